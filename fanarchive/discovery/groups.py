"""The groups a work is listed in, supplied by an app above discovery: a port.

The catalogue index can scope every listing to a group of works (a collection and its
sub-collections) with all its filters, sorts and facet counts. Which works a group lists
is decided by the collections app, which sits above discovery (docs/architecture.md,
Layers), so discovery declares here what it asks (`GroupSource`) and the collections app
registers the answer once, when it is ready (`collections.apps`, `collections.catalogue_groups`).

With no source registered every work is in no group. A change of membership reaches the
index through the change log: the writer calls `works.catalogue_services.catalogue_work_changed`
and the index re-reads the work, its groups included.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

import numpy as np

from fanarchive.discovery.index.structures import sorted_unique

EMPTY = np.zeros(0, dtype=np.int64)


class GroupSource(Protocol):
    def __call__(
        self, *, work_ids: Sequence[int] | None, id_range: tuple[int, int] | None
    ) -> Iterable[tuple[int, int]]:
        """(work id, group id) pairs of the given works, or of the works with ids in
        [low, high): the groups each work is listed in."""


_source: list[GroupSource] = []


def provide(source: GroupSource | None) -> GroupSource | None:
    """Make `source` answer (None: nobody); the one that answered before (tests swap)."""
    previous = _source[0] if _source else None
    _source[:] = [] if source is None else [source]
    return previous


def group_pairs(
    *, work_ids: Sequence[int] | None = None, id_range: tuple[int, int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(work ids, group ids) as parallel arrays, sorted by work then group, no repeats."""
    if not _source or (work_ids is not None and not work_ids):
        return EMPTY, EMPTY
    pairs = list(_source[0](work_ids=work_ids, id_range=id_range))
    if not pairs:
        return EMPTY, EMPTY
    array = np.asarray(pairs, dtype=np.int64)
    key = sorted_unique(array[:, 0] << 32 | array[:, 1])
    return key >> 32, key & 0xFFFFFFFF
