"""`fanarchive export`: one work to a file, or every posted work to a folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from fanarchive.formats import selectors
from fanarchive.formats.download_services import export_bytes
from fanarchive.formats.exporters import FORMATS, download_name
from fanarchive.works.models import Work


class Command(BaseCommand):
    help = (
        "Export a work as EPUB, PDF, HTML or text (`export WORK_ID --format epub -o FILE`), "
        "or every posted work (`export --all DIR`). Drafts and hidden works are never exported."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("work_id", nargs="?", type=int, help="the work to export")
        parser.add_argument(
            "--format",
            dest="formats",
            action="append",
            choices=sorted(FORMATS),
            help="epub, pdf, html or txt (repeat for several; --all defaults to all four)",
        )
        parser.add_argument("-o", "--output", type=Path, help="the file to write (one work)")
        parser.add_argument("--all", type=Path, metavar="DIR", help="export every posted work")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of what the archive adds (labels, headings, contents); "
            f"default {settings.LANGUAGE_CODE}. The work's own text is never translated.",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["all"] is not None:
            if options["work_id"] is not None or options["output"] is not None:
                raise CommandError("Give either WORK_ID with -o FILE, or --all DIR.")
            self._all(options["all"], options["formats"] or sorted(FORMATS), options)
            return
        if options["work_id"] is None or options["output"] is None:
            raise CommandError("Give WORK_ID and -o FILE (or --all DIR).")
        formats = options["formats"] or [self._format_of(options["output"])]
        if len(formats) != 1:
            raise CommandError("One work is exported to one file: give one --format.")
        work = self._work(options["work_id"])
        options["output"].write_bytes(
            export_bytes(work=work, fmt=formats[0], language=options["language"])
        )
        self.stdout.write(f"Wrote {options['output']}")

    @staticmethod
    def _format_of(path: Path) -> str:
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in FORMATS:
            raise CommandError(f"Give --format; {path.name} does not say which format it is.")
        return fmt

    @staticmethod
    def _work(work_id: int) -> Work:
        work = Work.objects.filter(pk=work_id).first()
        if work is None:
            raise CommandError(f"There is no work {work_id}.")
        if not work.posted:
            raise CommandError(f"Work {work_id} is a draft; drafts are never exported.")
        if work.hidden_by_admin:
            raise CommandError(f"Work {work_id} is hidden by an administrator.")
        return work

    def _all(self, folder: Path, formats: list[str], options: dict[str, Any]) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        ids = selectors.exportable_works()
        bar = tqdm(
            total=len(ids) * len(formats),
            unit="file",
            desc="Exporting",
            disable=options["no_progress"],
            file=self.stderr._out,
        )
        for work_id in ids:
            work = Work.objects.get(pk=work_id)
            for fmt in formats:
                name = f"{work.pk}-{download_name(work.title, work.pk, FORMATS[fmt].extension)}"
                (folder / name).write_bytes(
                    export_bytes(work=work, fmt=fmt, language=options["language"])
                )
                bar.update(1)
        bar.close()
        self.stdout.write(f"Exported {len(ids)} works ({', '.join(formats)}) to {folder}")
