"""The import pipeline: files through an importer into the posting service.

`work_import` takes one file through an importer into the posting service's
`work_create`, in one transaction with its ImportRecord, so a file is either
imported whole or leaves nothing behind. `works_import` does that for many files
(`import_files.collect`: folders and zip archives expanded), one transaction per work,
with what every file would look up the same way read once, and big batches parsed in
a forked second process a few files ahead of the writing.
"""

from __future__ import annotations

import hashlib
import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import clean_line
from fanarchive.formats.child_process import end_with_parent
from fanarchive.formats.errors import ImportFailed, validation_text
from fanarchive.formats.import_files import Item
from fanarchive.formats.importers.registry import Source, parse_source
from fanarchive.formats.importers.titlerun import without_title_run
from fanarchive.formats.models import ImportRecord
from fanarchive.formats.parsed import ParsedWork, SeriesPart
from fanarchive.formats.review import rating_suggestion
from fanarchive.formats.selectors import imported_hashes, imported_work_id
from fanarchive.works.inputs import validate_chapter_input, validate_work_input
from fanarchive.works.models import Work
from fanarchive.works.series_selectors import series_titled
from fanarchive.works.series_services import series_work_add
from fanarchive.works.services import posting_batch, work_create

logger = logging.getLogger(__name__)

IMPORTED = "imported"
DUPLICATE = "duplicate"
FAILED = "failed"
WOULD_IMPORT = "would import"


@dataclass
class ImportOptions:
    """How to import: under whose pseud, posted or as a draft, and what to assume."""

    pseud_ids: list[int] = field(default_factory=list)
    post: bool = False
    # Used when a file names no fandom.
    fandoms: list[str] = field(default_factory=list)
    dry_run: bool = False
    # The title the writer gave on the review page, instead of the file's.
    title: str = ""
    # Take the title the importer proposed (ParsedWork.proposed_title) out of the start
    # of the text: only when the writer asked.
    cut_proposed_title: bool = False
    # The rating chosen on the review page (empty: the file's own).
    rating: str = ""


@dataclass
class ImportOutcome:
    """What happened to one file: the line of the report."""

    source: str
    status: str
    work_id: int | None = None
    title: str = ""
    importer: str = ""
    reason: str = ""
    location: str = ""
    chapters: int = 0
    notices: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


def _user_pseuds(user: User) -> list[tuple[int, str]]:
    """The user's pseuds as (id, name), in creation order."""
    return list(Pseud.objects.filter(user=user).order_by("id").values_list("pk", "name"))


def _pseuds_for(
    parsed: ParsedWork, options: ImportOptions, pseuds: list[tuple[int, str]]
) -> list[int]:
    """The pseuds to post under: as asked, else the user's pseud named like the source's author."""
    if options.pseud_ids:
        return list(options.pseud_ids)
    names = {n.lower() for n in parsed.creators}
    match = [pk for pk, name in pseuds if name.lower() in names]
    return match[:1]


def _complete(
    parsed: ParsedWork,
    user: User,
    options: ImportOptions,
    pseuds: list[tuple[int, str]] | None = None,
) -> None:
    if not parsed.work.fandoms and options.fandoms:
        parsed.work.fandoms = list(options.fandoms)
        parsed.notices.append(
            _("No fandom given: %(fandoms)s.") % {"fandoms": ", ".join(options.fandoms)}
        )
    if pseuds is None and not options.pseud_ids:
        pseuds = _user_pseuds(user)
    parsed.work.pseud_ids = _pseuds_for(parsed, options, pseuds or [])
    if parsed.proposed_title and options.cut_proposed_title and parsed.chapters:
        first = parsed.chapters[0]
        first.text = without_title_run(first.text, parsed.proposed_title)
    title = clean_line(options.title).strip()
    if title:
        parsed.work.title = title
    if options.rating:
        parsed.work.rating = options.rating


def _rating_notice(parsed: ParsedWork) -> str:
    """The rating the text reads as, for a file with none: reported, never applied."""
    suggestion = rating_suggestion(parsed)
    return suggestion.notice() if suggestion else ""


def proposal_notice(parsed: ParsedWork) -> str:
    """What the report says of a proposed title the import did not take."""
    if not parsed.proposed_title or parsed.work.title == parsed.proposed_title:
        return ""
    return _(
        'Proposed title: "%(proposed)s". The text seems to begin with it, run into its '
        'first sentence; the work is titled "%(title)s" and its text is left as it is.'
    ) % {"proposed": parsed.proposed_title, "title": parsed.work.title}


def validate_parsed(parsed: ParsedWork) -> list[str]:
    """Every rule of the posting service, as messages; chapter messages say which chapter."""
    problems: list[str] = []
    errors = validate_work_input(parsed.work)
    for key, messages in errors.items():
        for message in messages:
            if key == "fandoms":
                message = _("%(problem)s Give one in the file, or a default fandom.") % {
                    "problem": message
                }
            problems.append(message)
    if not parsed.chapters:
        problems.append(_("The file holds no chapter text."))
    for number, chapter in enumerate(parsed.chapters, start=1):
        for messages in validate_chapter_input(chapter).values():
            if len(parsed.chapters) > 1:
                messages = [
                    _("Chapter %(number)s: %(problem)s") % {"number": number, "problem": m}
                    for m in messages
                ]
            problems += messages
    return problems


def _parsed(source: Source, parsing: Future[ParsedWork] | None = None) -> ParsedWork:
    """The file parsed (here, or by the parser process), or ImportFailed: a bug an
    importer meets in one file (any other exception) is logged with its traceback and
    becomes that file's failure, so it never stops a batch or answers a page with 500."""
    try:
        if parsing is not None:
            try:
                return parsing.result()
            except BrokenProcessPool:
                # The parser process died (killed, out of memory): parse here instead.
                logger.warning("The parser process is gone; parsing %s here", source.name)
        return parse_source(source)
    except ImportFailed:
        raise
    except Exception as error:
        logger.exception("The importer failed unexpectedly on %s", source.name)
        raise ImportFailed(
            source.name,
            _(
                "could not be read: the importer met an unexpected error "
                "(%(error)s). It has been logged; please report it."
            )
            % {"error": type(error).__name__},
        ) from error


def parse_upload(*, user: User, source: Source, options: ImportOptions) -> ParsedWork:
    """Parse a file and fill in the defaults, without writing: what the review page shows."""
    parsed = _parsed(source)
    _complete(parsed, user, options)
    return parsed


def work_import(*, user: User, source: Source, options: ImportOptions) -> ImportOutcome:
    """Import one file as one work, or report why not. Never leaves half a work behind."""
    return _import_guarded(user, source, options, batch=None)


def _import_guarded(
    user: User,
    source: Source,
    options: ImportOptions,
    *,
    batch: _Batch | None,
    parsing: Future[ParsedWork] | None = None,
    sha256: str = "",
) -> ImportOutcome:
    """`_import`, with an unexpected error (a bug, a database gone away) logged with its
    traceback and reported as this file's failure: its transaction is rolled back, and
    the next file of a batch goes on."""
    try:
        return _import(user, source, options, batch=batch, parsing=parsing, sha256=sha256)
    except Exception as error:
        logger.exception("Importing %s failed unexpectedly", source.name)
        return ImportOutcome(
            source.name,
            FAILED,
            reason=_(
                "could not be imported: an unexpected error (%(error)s). "
                "It has been logged; please report it."
            )
            % {"error": type(error).__name__},
            location=source.name,
        )


@dataclass
class _Batch:
    """What every file of a batch would look up the same way, read once."""

    pseuds: list[tuple[int, str]]
    # The user's earlier imports, content hash -> work id; the batch adds its own.
    imported: dict[str, int]


def _import(
    user: User,
    source: Source,
    options: ImportOptions,
    *,
    batch: _Batch | None,
    parsing: Future[ParsedWork] | None = None,
    sha256: str = "",
) -> ImportOutcome:
    """`work_import`, given what a batch has read already (and maybe the file's hash and
    a parse under way)."""
    sha256 = sha256 or hashlib.sha256(source.data).hexdigest()
    existing = _duplicate_of(user, sha256, batch)
    if existing is not None:
        return ImportOutcome(
            source.name, DUPLICATE, work_id=existing, reason=_("already imported (same content)")
        )
    try:
        parsed = _parsed(source, parsing)
        _complete(parsed, user, options, batch.pseuds if batch else None)
    except ImportFailed as error:
        return ImportOutcome(source.name, FAILED, reason=error.reason, location=error.location)
    outcome = ImportOutcome(
        source.name,
        FAILED,
        title=parsed.work.title,
        importer=parsed.importer,
        chapters=len(parsed.chapters),
        notices=[*parsed.notices, *filter(None, [proposal_notice(parsed), _rating_notice(parsed)])],
        location=source.name,
    )
    if options.dry_run:
        problems = validate_parsed(parsed)
        if problems:
            outcome.reason = " ".join(problems)
        else:
            outcome.status, outcome.location = WOULD_IMPORT, ""
        return outcome
    # work_create validates everything before writing; when it refuses, the same rules
    # are asked again chapter by chapter, so the message says which chapter.
    try:
        with transaction.atomic():
            work = work_create(
                user=user, data=parsed.work, chapters=parsed.chapters, post=options.post
            )
            outcome.notices += _series_attach(user, work, parsed.series)
            ImportRecord.objects.create(
                work=work,
                owner=user,
                sha256=sha256,
                source_name=clean_line(source.name)[:500],
                importer=parsed.importer,
            )
    except ValidationError as error:
        outcome.reason = " ".join(validate_parsed(parsed)) or validation_text(error)
        return outcome
    except IntegrityError as error:
        # Most likely the same file, imported by another process a moment ago.
        outcome.work_id = imported_work_id(user=user, sha256=sha256)
        if outcome.work_id is None:
            outcome.reason = _("The database refused the work (%(error)s).") % {"error": error}
        else:
            outcome.status = DUPLICATE
            outcome.reason = _("already imported (same content)")
        return outcome
    if batch is not None:
        batch.imported[sha256] = work.pk
    outcome.status, outcome.work_id, outcome.location = IMPORTED, work.pk, ""
    return outcome


def _duplicate_of(user: User, sha256: str, batch: _Batch | None) -> int | None:
    """The work a file with this content already became, if any."""
    if batch is None:
        return imported_work_id(user=user, sha256=sha256)
    return batch.imported.get(sha256)


def _series_attach(user: User, work: Work, parts: list[SeriesPart]) -> list[str]:
    """Put a new work in the series its file names, in the import's transaction: the
    user's own series of that title, made when missing, as the part number the file
    gives when the series has the parts before it (else at the end, said in a notice).
    A series the rules refuse (a title too long) is left out with a notice."""
    notices = []
    for part in parts:
        # Cleaned as the series service cleans titles, so the look-up finds the series
        # an earlier import made from the same name.
        series = series_titled(user, clean_line(part.title))
        try:
            with transaction.atomic():
                entry = series_work_add(
                    user=user,
                    work=work,
                    series=series,
                    new_title="" if series else part.title,
                    position=part.part,
                )
        except ValidationError as error:
            notices.append(
                _('Not added to the series "%(series)s": %(problem)s')
                % {"series": part.title, "problem": validation_text(error)}
            )
            continue
        if part.part is not None and entry.position != part.part:
            notices.append(
                f'Part {part.part} of "{entry.series.title}" is part {entry.position} for '
                "now: the series has fewer parts before it. Reorder it on the series page."
            )
    return notices


# -- many files -----------------------------------------------------------------------


def works_import(
    *,
    user: User,
    items: Sequence[Item],
    options: ImportOptions,
    progress: Callable[[ImportOutcome], None] | None = None,
) -> list[ImportOutcome]:
    """Import each item in its own transaction; one file's failure never stops the others.

    Each file goes through `work_import`'s own steps; what every file would look up
    the same way (the user's pseuds and earlier imports, the fixed tag sets) is read
    once for the batch.
    """
    outcomes = []
    batch = _Batch(pseuds=_user_pseuds(user), imported=imported_hashes(user=user))
    with posting_batch(user), _parser_for(len(items)) as parser:
        for item, loaded, sha256, parsing in _loaded_ahead(items, batch, parser):
            if isinstance(loaded, ImportFailed):
                outcome = ImportOutcome(
                    item.name, FAILED, reason=loaded.reason, location=loaded.location
                )
            elif isinstance(loaded, OSError):
                outcome = ImportOutcome(item.name, FAILED, reason=str(loaded), location=item.name)
            else:
                outcome = _import_guarded(
                    user, loaded, options, batch=batch, parsing=parsing, sha256=sha256
                )
            outcomes.append(outcome)
            if progress:
                progress(outcome)
    return outcomes


# A batch of at least this many files is parsed in a second process, a few files ahead
# of the writing: parsing is a sixth of an import's time, and the machine has a core
# to spare while this one writes (bench/imports.py).
PARALLEL_AT = 50
PARSE_AHEAD = 16


@contextmanager
def _parser_for(files: int) -> Iterator[ProcessPoolExecutor | None]:
    """A one-process pool for parsing a big batch; None for a small one. Forked, so it
    needs no setup: it only parses bytes it is sent and never touches the database,
    and exits without running the parent's clean-ups (multiprocessing's `os._exit`).
    It never outlives the importing process (`child_process`); when the import ends
    early (an exception, Ctrl-C, SIGTERM), the parses still queued are cancelled."""
    if files < PARALLEL_AT or multiprocessing.parent_process() is not None:
        yield None
        return
    pool = ProcessPoolExecutor(
        max_workers=1,
        mp_context=multiprocessing.get_context("fork"),
        initializer=end_with_parent,
        initargs=(os.getpid(),),
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_Loaded = tuple[Item, Source | ImportFailed | OSError, str, Future[ParsedWork] | None]


def _loaded_ahead(
    items: Sequence[Item], batch: _Batch, parser: ProcessPoolExecutor | None
) -> Iterator[_Loaded]:
    """Each item with its bytes (or why they could not be read), their hash, and, with a
    parser, its parse already under way. Files are read here, in order (zip members share
    a file handle); files already imported are not sent to be parsed."""
    pending: deque[_Loaded] = deque()
    for item in items:
        loaded: Source | ImportFailed | OSError
        sha256, parsing = "", None
        try:
            loaded = Source(item.name, item.load())
        except (ImportFailed, OSError) as error:
            loaded = error
        else:
            sha256 = hashlib.sha256(loaded.data).hexdigest()
            if parser is not None and sha256 not in batch.imported:
                try:
                    parsing = parser.submit(parse_source, loaded)
                except BrokenProcessPool:
                    parser = None  # the files left are parsed here, as they come
        pending.append((item, loaded, sha256, parsing))
        if len(pending) > PARSE_AHEAD:
            yield pending.popleft()
    yield from pending
