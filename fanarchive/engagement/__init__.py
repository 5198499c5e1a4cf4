"""Engagement: blocks, kudos, comments, hits (and bookmarks, subscriptions, the inbox)."""

from __future__ import annotations

from collections.abc import Iterable


def stats_changed(*, work_ids: Iterable[int]) -> None:
    """`engagement.stats.stats_changed`, importable as `fanarchive.engagement.stats_changed`
    (imported lazily: this package is loaded before the models are ready)."""
    from fanarchive.engagement.stats import stats_changed as changed

    changed(work_ids=work_ids)
