"""Hits: one per visitor per work per day, whichever chapter is read (shared REFERENCE).

Reading a work inserts a `HitMark` (work, visitor, day); the unique constraint keeps
one per visitor and day, and nothing else is written while the page is served.
`hits_flush` (in `hit_flush_services`, run by `tasks.hits_flush_task`, queued here at most every
`HIT_FLUSH_SECONDS`) adds the marks not yet counted to `WorkHitCount` and drops counted
marks of past days.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.engagement import limits, tasks
from fanarchive.engagement.models import HitFlushSchedule, HitMark, WorkHitCount
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.models import Work
from fanarchive.works.selectors import is_creator

logger = logging.getLogger(__name__)

# Marks this process already wrote, so a reader turning pages costs no query at all.
_SEEN_MAX = 10_000
_seen: OrderedDict[tuple[int, str, str], None] = OrderedDict()
_seen_lock = threading.Lock()
_last_queued = 0.0


def _remember(key: tuple[int, str, str]) -> bool:
    """True when `key` was not yet remembered (and remember it)."""
    with _seen_lock:
        if key in _seen:
            return False
        _seen[key] = None
        if len(_seen) > _SEEN_MAX:
            _seen.popitem(last=False)
        return True


def forget_seen() -> None:
    """Drop what this process remembers (tests)."""
    global _last_queued
    with _seen_lock:
        _seen.clear()
        _last_queued = 0.0


def hit_record(*, work: Work, user: User | None, visitor: str) -> bool:
    """Count a visit by `visitor` (see `visitors.visitor_key`) to `work` today.

    Not for drafts, hidden works or the work's creators. Returns whether a new mark
    was written (False: not counted, or already counted today).
    """
    if not work.posted or work.hidden_by_admin:
        return False
    if _seen_today(work.pk, visitor):
        return False
    if user is not None and is_creator(user, work):
        return False
    return _count(work.pk, visitor)


def hit_record_of_cached_page(*, work_id: int, visitor: str) -> bool:
    """`hit_record` for a guest served the work's page from the shared page cache: the page
    was kept only when the work was posted and visible, and stays cached only while it is
    (its key follows the work's change log), and a guest creates nothing."""
    return _count(work_id, visitor)


def _seen_today(work_id: int, visitor: str) -> bool:
    with _seen_lock:
        return (work_id, visitor, timezone.now().date().isoformat()) in _seen


def _count(work_id: int, visitor: str) -> bool:
    day = timezone.now().date()
    if not _remember((work_id, visitor, day.isoformat())):
        return False
    created = HitMark.objects.bulk_create(
        [HitMark(work_id=work_id, visitor=visitor, day=day)], ignore_conflicts=True
    )
    hits_flush_schedule()
    return bool(created)


def hits_flush_schedule() -> bool:
    """Queue a flush unless one was queued less than `HIT_FLUSH_SECONDS` ago (any process)."""
    global _last_queued
    now_monotonic = time.monotonic()
    if now_monotonic - _last_queued < limits.HIT_FLUSH_SECONDS:
        return False
    _last_queued = now_monotonic
    now = timezone.now()
    stale = now - timedelta(seconds=limits.HIT_FLUSH_SECONDS)
    with transaction.atomic():
        claimed = HitFlushSchedule.objects.filter(pk=1, queued_at__lt=stale).update(queued_at=now)
        if not claimed:
            _, created = HitFlushSchedule.objects.get_or_create(pk=1, defaults={"queued_at": now})
            claimed = int(created)
        if claimed:
            transaction.on_commit(_enqueue_flush)
    return bool(claimed)


def _enqueue_flush() -> None:
    """Queue the flush task; a queue that is down must never break reading (logged,
    and the next claim in `HIT_FLUSH_SECONDS` tries again; the marks wait meanwhile)."""
    task = tasks.hits_flush_task
    try:
        if task.get_backend().supports_defer:
            task = task.using(
                run_after=timezone.now() + timedelta(seconds=limits.HIT_FLUSH_SECONDS)
            )
        task.enqueue()
    except Exception:
        logger.exception("Could not queue the hit flush")


def hits_import(*, hits: dict[int, int]) -> int:
    """Add hits counted on another archive (migrations) to works' hit counts.

    `hits` maps work ids to the number of old hits (negative numbers are refused,
    zeros ignored). The counts are added to what the works already have, in one
    transaction, and the catalogue is told. Returns how many hits were added. The
    caller makes sure each work's old hits are added once (the eFiction migration
    marks them in its mapping).
    """
    if any(n < 0 for n in hits.values()):
        raise ValidationError({"hits": [gettext("A hit count cannot be negative.")]})
    counts = {work_id: n for work_id, n in hits.items() if n}
    if not counts:
        return 0
    known = set(Work.objects.filter(pk__in=counts).values_list("pk", flat=True))
    missing = sorted(set(counts) - known)
    if missing:
        raise ValidationError(
            {"hits": [gettext("No work with the id %(missing)s.") % {"missing": missing[0]}]}
        )
    with transaction.atomic():
        WorkHitCount.objects.bulk_create(
            [WorkHitCount(work_id=work_id, hits=0) for work_id in counts], ignore_conflicts=True
        )
        for work_id, n in counts.items():
            WorkHitCount.objects.filter(work_id=work_id).update(hits=F("hits") + n)
        catalogue_counts_changed(work_ids=counts)
    return sum(counts.values())
