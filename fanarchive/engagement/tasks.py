"""Background tasks of the engagement app (django-tasks; run by the worker)."""

from __future__ import annotations

from fanarchive.core.tasks import retrying_task
from fanarchive.engagement.hit_flush_services import hits_flush


@retrying_task()
def hits_flush_task() -> int:
    """Add buffered hits to the works' counts (queued by `hit_services.hits_flush_schedule`)."""
    return hits_flush()
