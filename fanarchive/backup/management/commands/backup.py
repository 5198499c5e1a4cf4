"""`fanarchive backup FILE`: a consistent snapshot of the archive, while it serves.

`fanarchive backup --verify FILE` reads a backup through and checks it, restoring nothing.
The format is described in docs/backup-format.md.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.backup.format import BackupError
from fanarchive.backup.management.reading import read_backup
from fanarchive.backup.restore_services import backup_check
from fanarchive.backup.snapshot import backup_to_path, backup_write


class Command(BaseCommand):
    help = (
        "Write a backup of the whole archive (database and data files) to FILE, or to "
        "standard output with '-'. With --verify, check the backup FILE instead."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file ('-': standard output or input)")
        parser.add_argument("--verify", action="store_true", help="check FILE without restoring it")

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["file"]
        started = time.monotonic()
        try:
            if options["verify"]:
                self._verify(name)
                return
            if name == "-":
                summary = backup_write(sys.stdout.buffer)
                sys.stdout.buffer.flush()
                self.stderr.write(self._described(summary.tables, summary.files, started))
                return
            path = Path(name)
            if path.is_dir():
                raise CommandError(f"{name} is a directory; give a file name.")
            summary = backup_to_path(path)
        except BackupError as error:
            raise CommandError(str(error)) from error
        except OSError as error:
            raise CommandError(f"Cannot write {name}: {error.strerror or error}.") from error
        self.stdout.write(
            self._described(summary.tables, summary.files, started)
            + f" {summary.bytes_written / 1e6:,.1f} MB written to {name}."
        )

    def _verify(self, name: str) -> None:
        started = time.monotonic()
        summary = read_backup(name, backup_check, refused=f"{name} is not a sound backup: ")
        self.stdout.write(f"{name}: a sound backup, made {summary.created_at} on {summary.engine}.")
        for table, count in summary.tables.items():
            if count:
                self.stdout.write(f"  {table}: {count:,} rows")
        self.stdout.write(self._described(summary.tables, summary.files, started))

    @staticmethod
    def _described(tables: dict[str, int], files: dict[str, int], started: float) -> str:
        return (
            f"{tables.get('works_work', 0):,} works, {sum(tables.values()):,} rows in "
            f"{len(tables)} tables, {len(files)} data files; "
            f"{time.monotonic() - started:.1f} s."
        )
