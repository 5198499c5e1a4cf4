"""`fanarchive restore FILE`: fill an empty archive (SQLite or PostgreSQL) from a backup.

The database is migrated first, so a new data directory or an empty PostgreSQL database
is enough. Then the rows and data files are restored in one transaction (nothing is
left on an error), and the catalogue index and the search documents are rebuilt (on
PostgreSQL by several processes at once: `backup.rebuild`).
"""

from __future__ import annotations

import os
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fanarchive.backup.management.reading import read_backup
from fanarchive.backup.rebuild import rebuild_after_restore
from fanarchive.backup.restore_services import backup_restore


class Command(BaseCommand):
    help = "Restore a backup (FILE, or '-' for standard input) into an empty archive."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the backup file ('-': standard input)")
        parser.add_argument(
            "--no-rebuild",
            action="store_true",
            help="do not rebuild the index and search documents (run `fanarchive reindex "
            "--search` later)",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=os.cpu_count() or 1,
            help="processes rebuilding the search documents on PostgreSQL (default: one a core)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        name: str = options["file"]
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        started = time.monotonic()
        summary = read_backup(name, backup_restore, refused="Nothing was restored. ")
        loaded = time.monotonic() - started
        self.stdout.write(
            f"Restored {summary.works():,} works, {sum(summary.tables.values()):,} rows and "
            f"{len(summary.files)} data files from {name} (made {summary.created_at} on "
            f"{summary.engine}) in {loaded:.1f} s."
        )
        if options["no_rebuild"]:
            self.stdout.write("Not rebuilt: run `fanarchive reindex --search`.")
            return
        rebuild_after_restore(workers=options["workers"], stdout=self.stdout, stderr=self.stderr)
        rebuilt = time.monotonic() - started - loaded
        self.stdout.write(f"Rebuilt the index and search documents in {rebuilt:.1f} s.")
