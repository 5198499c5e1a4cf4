"""`fanarchive import PATH...`: import works from files, folders and zip archives."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fanarchive.accounts.models import Pseud, User
from fanarchive.formats import import_services
from fanarchive.formats.import_files import collect


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

        def advance(outcome: import_services.ImportOutcome) -> None:
            bar.update(1)
            if outcome.status == import_services.FAILED and not options["json"]:
                bar.write(
                    f"failed: {outcome.location or outcome.source}: {outcome.reason}",
                    file=self.stderr._out,
                )

        outcomes = import_services.works_import(
            user=user, items=items, options=import_options, progress=advance
        )
        bar.close()
        if options["json"]:
            self.stdout.write(json.dumps([o.as_dict() for o in outcomes], indent=2))
        else:
            self._summary(outcomes, dry_run=options["dry_run"])
        failed = sum(o.status == import_services.FAILED for o in outcomes)
        if failed:
            raise CommandError(f"{failed} of {len(outcomes)} files could not be imported.")

    def _summary(self, outcomes: list[import_services.ImportOutcome], *, dry_run: bool) -> None:
        for o in outcomes:
            if o.status == import_services.IMPORTED:
                self.stdout.write(f"imported: {o.source} -> work {o.work_id} ({o.title})")
            elif o.status == import_services.WOULD_IMPORT:
                self.stdout.write(
                    f"would import: {o.source} -> {o.title} ({o.chapters} chapters, {o.importer})"
                )
                for notice in o.notices:
                    self.stdout.write(f"    {notice}")
            elif o.status == import_services.DUPLICATE:
                self.stdout.write(f"skipped: {o.source} (already imported as work {o.work_id})")
            else:
                self.stdout.write(f"failed: {o.location or o.source}: {o.reason}")
        counts = {s: sum(o.status == s for o in outcomes) for s in {o.status for o in outcomes}}
        summary = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
        self.stdout.write(f"{'Dry run: ' if dry_run else ''}{summary}.")
