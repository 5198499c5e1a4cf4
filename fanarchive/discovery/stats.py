"""Kudos, hits, comments and bookmarks of works: the seam to the engagement app.

The catalogue sorts and filters by these numbers but does not know where they
come from: `work_stats` asks `engagement.stats.counts_of`, and the engagement
services log a counts-only change (`engagement.stats.stats_changed`) when a
count changes, so the index refreshes just these numbers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

STAT_NAMES = ("kudos", "hits", "comments", "bookmarks")


@dataclass(frozen=True)
class WorkStats:
    kudos: int = 0
    hits: int = 0
    comments: int = 0
    bookmarks: int = 0


ZERO = WorkStats()


def work_stats(work_ids: Iterable[int]) -> dict[int, WorkStats]:
    """The engagement counts of these works (every id is in the answer)."""
    from fanarchive.engagement.stats import counts_of

    ids = list(work_ids)
    counts = counts_of(ids)
    return {work_id: counts.get(work_id, ZERO) for work_id in ids}
