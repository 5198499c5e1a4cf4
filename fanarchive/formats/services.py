"""Writes of the formats app: importing works, and building the cached download files.

`work_import` takes one file through an importer into the posting service's
`work_create`, in one transaction with its ImportRecord, so a file is either
imported whole or leaves nothing behind. `works_import` does that for many files
(folders and zip archives expanded), one transaction per work. `work_export`
builds (or reuses) a download file.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import clean_line
from fanarchive.formats import limits
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.importers.registry import Source, parse_source
from fanarchive.formats.importers.zipsafe import SafeZip
from fanarchive.formats.models import ImportRecord
from fanarchive.formats.parsed import ParsedWork, SeriesPart
from fanarchive.formats.selectors import export_document, imported_hashes, imported_work_id
from fanarchive.works.models import Work
from fanarchive.works.selectors import series_titled
from fanarchive.works.series_services import series_work_add
from fanarchive.works.services import (
    posting_batch,
    validate_chapter_input,
    validate_work_input,
    work_create,
)

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


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)


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
        parsed.notices.append(f"No fandom given: {', '.join(options.fandoms)}.")
    if pseuds is None and not options.pseud_ids:
        pseuds = _user_pseuds(user)
    parsed.work.pseud_ids = _pseuds_for(parsed, options, pseuds or [])


def validate_parsed(parsed: ParsedWork) -> list[str]:
    """Every rule of the posting service, as messages; chapter messages say which chapter."""
    problems: list[str] = []
    errors = validate_work_input(parsed.work)
    for key, messages in errors.items():
        for message in messages:
            hint = " Give one in the file, or a default fandom." if key == "fandoms" else ""
            problems.append(message + hint)
    if not parsed.chapters:
        problems.append("The file holds no chapter text.")
    for number, chapter in enumerate(parsed.chapters, start=1):
        for messages in validate_chapter_input(chapter).values():
            prefix = f"Chapter {number}: " if len(parsed.chapters) > 1 else ""
            problems += [prefix + m for m in messages]
    return problems


def parse_upload(*, user: User, source: Source, options: ImportOptions) -> ParsedWork:
    """Parse a file and fill in the defaults, without writing: what the review page shows."""
    parsed = parse_source(source)
    _complete(parsed, user, options)
    return parsed


def work_import(*, user: User, source: Source, options: ImportOptions) -> ImportOutcome:
    """Import one file as one work, or report why not. Never leaves half a work behind."""
    return _import(user, source, options, batch=None)


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
            source.name, DUPLICATE, work_id=existing, reason="already imported (same content)"
        )
    try:
        parsed = parsing.result() if parsing is not None else parse_source(source)
        _complete(parsed, user, options, batch.pseuds if batch else None)
    except ImportFailed as error:
        return ImportOutcome(source.name, FAILED, reason=error.reason, location=error.location)
    outcome = ImportOutcome(
        source.name,
        FAILED,
        title=parsed.work.title,
        importer=parsed.importer,
        chapters=len(parsed.chapters),
        notices=parsed.notices,
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
        outcome.reason = " ".join(validate_parsed(parsed)) or _error_text(error)
        return outcome
    except IntegrityError as error:
        # Most likely the same file, imported by another process a moment ago.
        outcome.work_id = imported_work_id(user=user, sha256=sha256)
        if outcome.work_id is None:
            outcome.reason = f"The database refused the work ({error})."
        else:
            outcome.status, outcome.reason = DUPLICATE, "already imported (same content)"
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
            notices.append(f'Not added to the series "{part.title}": {_error_text(error)}')
            continue
        if part.part is not None and entry.position != part.part:
            notices.append(
                f'Part {part.part} of "{entry.series.title}" is part {entry.position} for '
                "now: the series has fewer parts before it. Reorder it on the series page."
            )
    return notices


# -- many files -----------------------------------------------------------------------

SKIPPED_NAMES = ("__MACOSX/", ".DS_Store", "Thumbs.db")


@dataclass
class Item:
    """One file to import, read when its turn comes."""

    name: str
    load: Callable[[], bytes]


def _failing(error: ImportFailed) -> Callable[[], bytes]:
    def load() -> bytes:
        raise error

    return load


def _read_file(path: Path) -> Callable[[], bytes]:
    def load() -> bytes:
        size = path.stat().st_size
        if size > limits.MAX_FILE_BYTES and path.suffix.lower() != ".zip":
            raise ImportFailed(
                str(path),
                f"is {size / 1_048_576:.1f} MB; files over "
                f"{limits.MAX_FILE_BYTES // 1_048_576} MB are not imported.",
            )
        return path.read_bytes()

    return load


def _zip_items(path: Path) -> Iterator[Item]:
    size = path.stat().st_size
    if size > limits.MAX_ARCHIVE_BYTES:
        yield Item(str(path), _failing(ImportFailed(str(path), "is too large to import.")))
        return
    try:
        archive = SafeZip(path.read_bytes(), str(path))
    except ImportFailed as error:
        yield Item(str(path), _failing(error))
        return
    for member in sorted(archive.names()):
        base = member.rsplit("/", 1)[-1]
        if member.endswith("/") or base.startswith(".") or member.startswith(SKIPPED_NAMES):
            continue
        name = f"{path}:{member}"
        if base.lower().endswith(".zip"):
            nested = ImportFailed(name, "is an archive inside an archive; unpack it first.")
            yield Item(name, _failing(nested))
            continue
        yield Item(name, _member_reader(archive, member))


def _member_reader(archive: SafeZip, member: str) -> Callable[[], bytes]:
    def load() -> bytes:
        return archive.read(member)

    return load


def collect(paths: Sequence[Path]) -> list[Item]:
    """Every file to import under `paths`: files, folders (recursively) and zip archives."""
    items: list[Item] = []
    for path in paths:
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file())
            files = [
                p
                for p in files
                if not any(part.startswith(".") for part in p.relative_to(path).parts)
            ]
        elif path.exists():
            files = [path]
        else:
            items.append(Item(str(path), _failing(ImportFailed(str(path), "does not exist."))))
            continue
        for file in files:
            if file.suffix.lower() == ".zip":
                items += _zip_items(file)
            else:
                items.append(Item(str(file), _read_file(file)))
    return items


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
                outcome = _import(
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
    and exits without running the parent's clean-ups (multiprocessing's `os._exit`)."""
    if files < PARALLEL_AT or multiprocessing.parent_process() is not None:
        yield None
        return
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
        yield pool


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
                parsing = parser.submit(parse_source, loaded)
        pending.append((item, loaded, sha256, parsing))
        if len(pending) > PARSE_AHEAD:
            yield pending.popleft()
    yield from pending


# -- downloads --------------------------------------------------------------------------

EXPORT_VERSION = "1"


def downloads_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def work_export(*, work: Work, fmt: str) -> Path:
    """The download file of `work` in `fmt`, built now or reused from the cache.

    Files live under DATA_DIR/downloads/<work id>/, named by a stamp of the work's
    last change (its updated_at, creators and tags): any edit gives a new name, so
    a stale file is never served; older files of the work are removed.
    Visibility is the caller's business (see selectors.downloadable_work).
    """
    spec = FORMATS[fmt]
    doc = export_document(work)
    folder = downloads_dir() / str(work.pk)
    target = folder / f"{EXPORT_VERSION}-{doc.stamp()}.{spec.extension}"
    if target.exists():
        return target
    data = spec.build(doc)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    for old in folder.glob(f"*.{spec.extension}"):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def export_bytes(*, work: Work, fmt: str) -> bytes:
    """The download built afresh, not cached (the CLI's `export -o`)."""
    return FORMATS[fmt].build(export_document(work))


# -- uploads waiting for review on the import page ---------------------------------------


def _pending_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports" / "pending"


def _pending_path(user: User, token: str) -> Path:
    if not token.isalnum():
        raise ImportFailed("upload", "This upload has expired. Please choose the file again.")
    return _pending_dir() / f"{user.pk}-{token}.upload"


def pending_upload_save(*, user: User, data: bytes) -> str:
    """Keep an uploaded file until its owner confirms the import; returns its token.

    Uploads older than a day are removed on the way.
    """
    import secrets
    import time

    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - 86_400
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    _pending_path(user, token).write_bytes(data)
    return token


def pending_upload_load(*, user: User, token: str) -> bytes:
    path = _pending_path(user, token)
    if not path.exists():
        raise ImportFailed("upload", "This upload has expired. Please choose the file again.")
    return path.read_bytes()


def pending_upload_delete(*, user: User, token: str) -> None:
    _pending_path(user, token).unlink(missing_ok=True)
