"""`fanarchive saved-filter-alerts`: alert subscribers of works new in their saved filters."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanarchive.discovery.alert_services import saved_filter_alerts_run


class Command(BaseCommand):
    help = (
        "Read the catalogue change log past the position the saved-filter alerts reached, "
        "and tell each subscriber of the works that entered their saved filters. A run is "
        "also queued whenever a work changes: this catches any the queue missed. Safe to run "
        "at any time (for example every 10 minutes from cron); nobody is told twice."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        run = saved_filter_alerts_run()
        self.stdout.write(
            f"Read {run.read} change{'s' if run.read != 1 else ''}; "
            f"sent {run.sent} alert{'s' if run.sent != 1 else ''}."
        )
