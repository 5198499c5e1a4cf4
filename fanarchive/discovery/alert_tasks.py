"""Saved-filter alerts in the background, and the hook that queues them.

The works services call the hook (through `works.catalogue_services.catalogue_log_heard_by`,
registered by `discovery.apps`) inside every transaction that logs a work's change. If
anybody subscribes to a saved filter, one run is queued on commit, `ALERT_DELAY` ahead,
and no other from this process until then: every change committed meanwhile is read by
that run, so a burst of changes (a wrangling of thousands of works) queues one task.
The run is idempotent (`alert_services.saved_filter_alerts_run`); cron may run it too
(`fanarchive saved-filter-alerts`).
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fanarchive.core.tasks import retrying_task
from fanarchive.discovery import alert_services
from fanarchive.discovery.models import SavedFilterAlert

ALERT_DELAY = timedelta(seconds=10)

_queued_lock = threading.Lock()
_queued_at = float("-inf")


@retrying_task()
def saved_filter_alerts() -> int:
    return alert_services.saved_filter_alerts_run().sent


def alerts_log_grew() -> None:
    """A work's change was logged (in its transaction): queue a run on commit, if anybody
    subscribes to a saved filter."""
    if SavedFilterAlert.objects.exists():
        transaction.on_commit(_queue, robust=True)


def _queue() -> None:
    global _queued_at
    now = time.monotonic()
    with _queued_lock:
        if now - _queued_at < ALERT_DELAY.total_seconds():
            return  # the run already queued comes after this commit
        _queued_at = now
    saved_filter_alerts.using(run_after=timezone.now() + ALERT_DELAY).enqueue()


def forget_queued() -> None:
    """Let the next change queue a run at once (tests)."""
    global _queued_at
    with _queued_lock:
        _queued_at = float("-inf")
