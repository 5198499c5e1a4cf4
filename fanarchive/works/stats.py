"""Engagement counts of works (kudos, hits, comments, bookmarks) as works' readers see them.

Blurbs, the API and the catalogue index show and sort by these numbers, but they are
kept by the engagement app, which sits above works. So works declares what it reads
(`WorkStats`, `work_stats`) and engagement supplies the counter once, when the app is
ready (`engagement.apps`, `engagement.stats.counts_of`): a port, not an upward import.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

STAT_NAMES = ("kudos", "hits", "comments", "bookmarks")


@dataclass(frozen=True)
class WorkStats:
    kudos: int = 0
    hits: int = 0
    comments: int = 0
    bookmarks: int = 0


ZERO = WorkStats()

Counter = Callable[[list[int]], Mapping[int, WorkStats]]
_counter: list[Counter] = []


def counts_supplied_by(counter: Counter) -> None:
    """Say where counts come from (the engagement app, once, when it is ready)."""
    _counter[:] = [counter]


def work_stats(work_ids: Iterable[int]) -> dict[int, WorkStats]:
    """The engagement counts of these works (every id is in the answer)."""
    if not _counter:
        raise ImproperlyConfigured("No app supplies works' engagement counts (engagement.apps).")
    ids = list(work_ids)
    counts = _counter[0](ids)
    return {work_id: counts.get(work_id, ZERO) for work_id in ids}
