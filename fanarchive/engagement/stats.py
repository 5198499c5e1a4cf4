"""Engagement counts of works: what `works.stats.work_stats` answers (see `engagement.apps`).

When a count changes, the engagement services log a counts-only entry in the
catalogue's change log (`works.catalogue_services.catalogue_counts_changed`) in their
transaction: every process's index then refreshes just the work's kudos, hits,
comments and bookmarks when it next catches up, so sorting by kudos follows at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Count, QuerySet

from fanarchive.engagement.models import Bookmark, Comment, CommentState, Kudos, WorkHitCount
from fanarchive.works.stats import WorkStats

# Above this many ids, counts are read by id range instead of an IN list.
_IN_MAX = 500


def _by_work(queryset: QuerySet[Any], ids: list[int]) -> dict[int, int]:
    if len(ids) > _IN_MAX:
        queryset = queryset.filter(work_id__gte=ids[0], work_id__lte=ids[-1])
    else:
        queryset = queryset.filter(work_id__in=ids)
    return dict(queryset.values("work_id").annotate(n=Count("pk")).values_list("work_id", "n"))


def counts_of(work_ids: Iterable[int]) -> dict[int, WorkStats]:
    """Kudos, hits, comments (published, not deleted) and public bookmarks of these works."""
    ids = sorted(set(work_ids))
    if not ids:
        return {}
    kudos = _by_work(Kudos.objects.order_by(), ids)
    comments = _by_work(
        Comment.objects.order_by().filter(state=CommentState.PUBLISHED, deleted=False), ids
    )
    hit_rows = WorkHitCount.objects.order_by()
    if len(ids) > _IN_MAX:
        hit_rows = hit_rows.filter(work_id__gte=ids[0], work_id__lte=ids[-1])
    else:
        hit_rows = hit_rows.filter(work_id__in=ids)
    hits = dict(hit_rows.values_list("work_id", "hits"))
    bookmarks = _by_work(Bookmark.objects.order_by().filter(private=False), ids)
    return {
        work_id: WorkStats(
            kudos=kudos.get(work_id, 0),
            hits=hits.get(work_id, 0),
            comments=comments.get(work_id, 0),
            bookmarks=bookmarks.get(work_id, 0),
        )
        for work_id in ids
    }
