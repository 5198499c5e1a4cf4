"""Quality sorts of the catalogue index: kudos per hit and bookmarks per kudos.

A ratio on a handful of readers says nothing (one hit and one kudos is "100%"), so a
work takes part only once it has `MIN_HITS` hits (and, for bookmarks per kudos, at
least one kudos to divide by). Works below that sort after every work above it in
either direction, so neither the best nor the worst end of the list fills with new
works; among themselves they keep id order.

Each sort is two precomputed orders (see `Catalogue._make_orders`): one whose key puts
the works without a ratio below every ratio (walked from the top for "descending"), one
whose key puts them above (walked from the bottom for "ascending").
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

# Hits a work needs before its ratio counts (readers' userscripts commonly use 100).
MIN_HITS = 100
# Sort name: (numerator, denominator), both engagement counts in the index's numbers.
QUALITY_SORTS: dict[str, tuple[str, str]] = {
    "kudos_per_hit": ("kudos", "hits"),
    "bookmarks_per_kudos": ("bookmarks", "kudos"),
}
# The name of the order used when a quality sort is walked from the bottom.
ASCENDING_SUFFIX = ":ascending"


def quality_keys(
    name: str, numbers: Mapping[str, np.ndarray], ids: np.ndarray, *, ascending: bool
) -> np.ndarray:
    """The sort keys (float64) of these works: their ratio, or ±inf without one."""
    top, bottom = QUALITY_SORTS[name]
    hits = numbers["hits"][ids]
    numerator = numbers[top][ids].astype(np.float64)
    denominator = numbers[bottom][ids].astype(np.float64)
    rated = (hits >= MIN_HITS) & (denominator > 0)
    keys = np.full(len(ids), np.inf if ascending else -np.inf)
    # Integer counts below 2**53 divide exactly-rounded, so equal ratios get equal keys.
    np.divide(numerator, denominator, out=keys, where=rated)
    return keys
