"""`fanarchive prune-catalogue-log`: save this host's index caught up, then prune the log."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.discovery.index.live import checkpoint
from fanarchive.works.catalogue_services import LOG_KEEP, catalogue_log_prune


class Command(BaseCommand):
    help = (
        "Save this host's catalogue index caught up with the change log (so a restart "
        "catches up from here), then delete the log entries that every host's saved index, "
        "and the saved-filter alerts, have read and that are older than --keep-hours. Each "
        "host's task worker does this every 15 minutes; run it from cron on hosts without one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--keep-hours",
            type=float,
            default=LOG_KEEP.total_seconds() / 3600,
            help="keep every entry younger than this (default %(default)s)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keep_hours: float = options["keep_hours"]
        if keep_hours < 0:
            raise CommandError("--keep-hours cannot be negative.")
        position = checkpoint()
        deleted = catalogue_log_prune(keep=timedelta(hours=keep_hours))
        self.stdout.write(
            f"This host's index is saved at change {position}; "
            f"pruned {deleted} log entr{'ies' if deleted != 1 else 'y'}."
        )
