"""Kudos, hits, comments and bookmarks of works: the seam for the engagement issue.

The catalogue sorts and filters by these numbers but does not know where they
come from. Until engagement exists every count is zero; the engagement issue
fills `work_stats` (and logs `catalogue_work_changed` when a count changes),
and sorting by kudos starts to mean something without touching the index.
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
    """The engagement counts of these works (all zero until engagement lands)."""
    return dict.fromkeys(work_ids, ZERO)
