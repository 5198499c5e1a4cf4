"""Engagement counts of works: what `works.stats.work_stats` answers (see `engagement.apps`).

When a count changes, the engagement services log a counts-only entry in the
catalogue's change log (`works.catalogue_services.catalogue_counts_changed`) in their
transaction: every process's index then refreshes just the work's kudos, hits,
comments and bookmarks when it next catches up, so sorting by kudos follows at once.
"""

from __future__ import annotations

from collections.abc import Iterable

from fanarchive.engagement.bookmark_selectors import bookmark_counts
from fanarchive.engagement.models import Comment, CommentState, Kudos, WorkHitCount
from fanarchive.engagement.work_counts import count_by_work, of_works
from fanarchive.works.stats import WorkStats


def counts_of(work_ids: Iterable[int]) -> dict[int, WorkStats]:
    """Kudos, hits, comments (published, not deleted) and public bookmarks of these works."""
    ids = sorted(set(work_ids))
    if not ids:
        return {}
    kudos = count_by_work(Kudos.objects.order_by(), ids)
    comments = count_by_work(
        Comment.objects.order_by().filter(state=CommentState.PUBLISHED, deleted=False), ids
    )
    hits = dict(of_works(WorkHitCount.objects.order_by(), ids).values_list("work_id", "hits"))
    bookmarks = bookmark_counts(ids)
    return {
        work_id: WorkStats(
            kudos=kudos.get(work_id, 0),
            hits=hits.get(work_id, 0),
            comments=comments.get(work_id, 0),
            bookmarks=bookmarks.get(work_id, 0),
        )
        for work_id in ids
    }
