"""Saved-filter alerts in the background, and the hook that queues them.

The works services call the hook (through `works.catalogue_services.catalogue_log_heard_by`,
registered by `discovery.apps`) inside every transaction that logs a work's change. If
anybody subscribes to a saved filter, one run is queued on commit, `ALERT_DELAY` ahead,
and no other from this process until then (`core.tasks.QueuedOnceAhead`): every change
committed meanwhile is read by that run, so a burst of changes (a wrangling of thousands
of works) queues one task.
The run is idempotent (`alert_services.saved_filter_alerts_run`); cron may run it too
(`fanarchive saved-filter-alerts`).
"""

from __future__ import annotations

from datetime import timedelta

from fanarchive.core.tasks import QueuedOnceAhead, retrying_task
from fanarchive.discovery import alert_services
from fanarchive.discovery.models import SavedFilterAlert

ALERT_DELAY = timedelta(seconds=10)


@retrying_task()
def saved_filter_alerts() -> int:
    return alert_services.saved_filter_alerts_run().sent


queue = QueuedOnceAhead(saved_filter_alerts, ALERT_DELAY)


def alerts_log_grew() -> None:
    """A work's change was logged (in its transaction): queue a run on commit, if anybody
    subscribes to a saved filter."""
    if SavedFilterAlert.objects.exists():
        queue.on_commit()
