"""`fanarchive prune-revisions`: apply the version-history pruning policy to the whole archive."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanarchive.works import limits
from fanarchive.works.revision_services import revisions_prune


class Command(BaseCommand):
    help = (
        f"Thin out old versions of chapters and work details: keep every version from the "
        f"last {limits.REVISION_KEEP_ALL_DAYS} days, then the newest of each day; never the "
        "newest version. Safe to run at any time (for example daily from cron)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        removed = revisions_prune()
        self.stdout.write(f"Removed {removed} old revision{'s' if removed != 1 else ''}.")
