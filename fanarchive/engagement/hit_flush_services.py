"""Counting buffered hits: `hits_flush`, run by `tasks.hits_flush_task`.

Reading a work only writes a `HitMark` (`hit_services.hit_record`), which queues the
flush task at most every `HIT_FLUSH_SECONDS`; the flush adds the marks not yet counted
to `WorkHitCount`, and to `WorkHitDay` by the day of each mark (the creator's
statistics by day). It lives apart from `hit_services` because that module queues the
task, and the task runs this.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fanarchive.engagement.models import HitMark, WorkHitCount, WorkHitDay
from fanarchive.works.catalogue_services import catalogue_counts_changed

_BATCH = 500


def hits_flush() -> int:
    """Add the uncounted marks to the works' hit counts; returns how many were added.

    Idempotent and safe to run concurrently: each mark is counted by the one
    transaction whose UPDATE flips it, and its count is what that UPDATE reports.
    """
    added = 0
    while True:
        rows = list(
            HitMark.objects.filter(counted=False)
            .order_by("id")
            .values_list("id", "work_id", "day")[:_BATCH]
        )
        if not rows:
            break
        by_work_day: dict[tuple[int, date], list[int]] = {}
        for mark_id, work_id, day in rows:
            by_work_day.setdefault((work_id, day), []).append(mark_id)
        with transaction.atomic():
            counts: dict[int, int] = {}
            for (work_id, day), ids in by_work_day.items():
                flipped = HitMark.objects.filter(id__in=ids, counted=False).update(counted=True)
                if flipped:
                    counts[work_id] = counts.get(work_id, 0) + flipped
                    _count_day(work_id, day, flipped)
            if counts:
                WorkHitCount.objects.bulk_create(
                    [WorkHitCount(work_id=work_id, hits=0) for work_id in counts],
                    ignore_conflicts=True,
                )
                for work_id, flipped in counts.items():
                    WorkHitCount.objects.filter(work_id=work_id).update(hits=F("hits") + flipped)
                catalogue_counts_changed(work_ids=counts)
        added += sum(counts.values())
    # Past days' marks are no longer needed to keep visits unique.
    HitMark.objects.filter(counted=True, day__lt=timezone.now().date()).delete()
    return added


def _count_day(work_id: int, day: date, hits: int) -> None:
    WorkHitDay.objects.bulk_create(
        [WorkHitDay(work_id=work_id, day=day, hits=0)], ignore_conflicts=True
    )
    WorkHitDay.objects.filter(work_id=work_id, day=day).update(hits=F("hits") + hits)
