"""The bookmarks seam (owned by engage-social)."""

from __future__ import annotations

from collections.abc import Iterable


def bookmark_counts(work_ids: Iterable[int]) -> dict[int, int]:
    """placeholder: replaced by engage-social at merge"""
    return {}
