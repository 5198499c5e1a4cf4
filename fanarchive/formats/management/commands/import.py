"""`fanarchive import PATH...`: import works from files, folders and zip archives."""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fanarchive.accounts.models import Pseud, User
from fanarchive.formats import import_services
from fanarchive.formats.import_files import collect


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised between two files: a BaseException, so no file's failure
    handling catches it, and the import unwinds (shuts its parser down) at once."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


class _StopRequest:
    """The signal that asked the import to stop, if one did.

    The handler only notes it: an exception raised in a signal handler surfaces wherever
    the main thread happens to be, and inside a callback from native code (the HTML
    sanitiser's) Python prints and drops it, so the file would go on half-filtered and
    the stop be lost. The import stops after the file under way; a second signal stops
    it at once.
    """

    def __init__(self) -> None:
        self.signum: int | None = None

    def note(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            raise Stopped(signum)
        self.signum = signum

    def check(self) -> None:
        if self.signum is not None:
            raise Stopped(self.signum)


@contextmanager
def _stoppable(stop: _StopRequest) -> Iterator[None]:
    """Ctrl-C and SIGTERM end the import between two files (only the main thread may
    set handlers)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {
        signum: signal.signal(signum, stop.note) for signum in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Command(BaseCommand):
    help = (
        "Import works from text, Markdown, HTML and EPUB files (AO3 and FanFicFare downloads "
        "too), folders and .zip archives, under one user's pseud. Each work is imported in "
        "its own transaction; files imported before (same content) are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", type=Path, help="files, folders or .zip archives")
        parser.add_argument(
            "--as", dest="username", required=True, help="the user the works are posted by"
        )
        parser.add_argument(
            "--pseud",
            help="that user's pseud to post under (default: the pseud named like the file's "
            "author, else the default pseud)",
        )
        parser.add_argument(
            "--publish", action="store_true", help="post the works (default: save as drafts)"
        )
        parser.add_argument("--fandom", help="the fandom for files that name none")
        parser.add_argument(
            "--dry-run", action="store_true", help="report what would be imported; write nothing"
        )
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def _options(self, user: User, options: dict[str, Any]) -> import_services.ImportOptions:
        pseud_ids: list[int] = []
        if options["pseud"]:
            pseud = Pseud.objects.filter(user=user, name__iexact=options["pseud"]).first()
            if pseud is None:
                raise CommandError(f'{user.username} has no pseud named "{options["pseud"]}".')
            pseud_ids = [pseud.pk]
        return import_services.ImportOptions(
            pseud_ids=pseud_ids,
            post=options["publish"],
            fandoms=[options["fandom"]] if options["fandom"] else [],
            dry_run=options["dry_run"],
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f'There is no user named "{options["username"]}".')
        import_options = self._options(user, options)
        items = collect(options["paths"])
        if not items:
            raise CommandError("No files to import under the paths given.")
        bar = tqdm(
            total=len(items),
            unit="file",
            desc="Dry run" if options["dry_run"] else "Importing",
            disable=options["no_progress"],
            file=self.stderr._out,
        )

        outcomes: list[import_services.ImportOutcome] = []
        stop = _StopRequest()

        def advance(outcome: import_services.ImportOutcome) -> None:
            outcomes.append(outcome)
            bar.update(1)
            if outcome.status == import_services.FAILED and not options["json"]:
                bar.write(
                    f"failed: {outcome.location or outcome.source}: {outcome.reason}",
                    file=self.stderr._out,
                )
            stop.check()

        try:
            with _stoppable(stop):
                import_services.works_import(
                    user=user, items=items, options=import_options, progress=advance
                )
        except KeyboardInterrupt as stop:
            # Ctrl-C or SIGTERM: the files done are committed (the one under way, if a
            # second signal cut it short, rolled back), the parser process shut down; say
            # what was done. Imported files are skipped when run again.
            signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
            bar.close()
            self._report(outcomes, options)
            raise CommandError(
                f"Stopped ({signal.Signals(signum).name}) after {len(outcomes)} of "
                f"{len(items)} files. Run the same command again to import the rest: files "
                "imported already are skipped.",
                returncode=128 + signum,
            ) from None
        bar.close()
        self._report(outcomes, options)
        failed = sum(o.status == import_services.FAILED for o in outcomes)
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} files could not be imported.")

    def _report(
        self, outcomes: list[import_services.ImportOutcome], options: dict[str, Any]
    ) -> None:
        if options["json"]:
            self.stdout.write(json.dumps([o.as_dict() for o in outcomes], indent=2))
        else:
            self._summary(outcomes, dry_run=options["dry_run"])

    def _notices(self, outcome: import_services.ImportOutcome) -> None:
        for notice in outcome.notices:
            self.stdout.write(f"    {notice}")

    def _summary(self, outcomes: list[import_services.ImportOutcome], *, dry_run: bool) -> None:
        for o in outcomes:
            if o.status == import_services.IMPORTED:
                self.stdout.write(f"imported: {o.source} -> work {o.work_id} ({o.title})")
                self._notices(o)
            elif o.status == import_services.WOULD_IMPORT:
                self.stdout.write(
                    f"would import: {o.source} -> {o.title} ({o.chapters} chapters, {o.importer})"
                )
                self._notices(o)
            elif o.status == import_services.DUPLICATE:
                self.stdout.write(f"skipped: {o.source} (already imported as work {o.work_id})")
            else:
                self.stdout.write(f"failed: {o.location or o.source}: {o.reason}")
        counts = {s: sum(o.status == s for o in outcomes) for s in {o.status for o in outcomes}}
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no file done"
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{summary}.")
