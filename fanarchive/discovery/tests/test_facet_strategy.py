"""Which way a big result's facets are counted: by intersecting tags' bitmaps or by counting
the works' tags, chosen from a sample of the result and a few timed intersections."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import pytest

from fanarchive.discovery.index import facets
from fanarchive.discovery.index.catalogue import Catalogue, Filter, Viewer
from fanarchive.discovery.index.columns import (
    CHARACTER,
    FANDOM,
    FLAG_NAMES,
    FREEFORM,
    NUMBER_FIELDS,
    RATING,
    Columns,
)

WORKS = 600
# Tag ids by type: one rating, three fandoms, characters and freeforms of varied sizes.
TYPES = {1: RATING, 10: FANDOM, 11: FANDOM, 12: FANDOM}
TYPES |= {20 + n: CHARACTER for n in range(12)} | {40 + n: FREEFORM for n in range(20)}


def tags_of(work_id: int) -> list[int]:
    """A made-up but fixed spread: every work rated, one fandom in three, characters and
    freeforms picked by residues, so tags' sizes differ."""
    chosen = {1, 10 + work_id % 3, 20 + work_id % 12, 20 + work_id % 5}
    chosen |= {40 + work_id % 20, 40 + work_id % 7, 40 + work_id % 3}
    return sorted(chosen)


class MemorySource:
    """The few works above, as a `backend.Source` hands them over (no database)."""

    def newest_change_id(self) -> int:
        return 0

    def highest_work_id(self) -> int:
        return WORKS

    def tag_types(self) -> dict[int, str]:
        return dict(TYPES)

    def implied(self, types: Mapping[int, str]) -> Mapping[int, set[int]]:
        return {}

    def columns(
        self,
        *,
        types: dict[int, str],
        work_ids: list[int] | None = None,
        id_range: tuple[int, int] | None = None,
        implied: Mapping[int, set[int]] | None = None,
    ) -> Columns:
        assert id_range is not None  # the build reads by id range
        low, high = id_range
        ids = np.arange(max(low, 1), min(high, WORKS + 1), dtype=np.int64)
        if not len(ids):
            return Columns()
        pairs = [(work_id, tag) for work_id in ids.tolist() for tag in tags_of(work_id)]
        flags = {name: np.zeros(len(ids), dtype=bool) for name in FLAG_NAMES}
        flags["all"][:] = flags["posted"][:] = True
        return Columns(
            ids=ids,
            flags=flags,
            languages=["en"] * len(ids),
            numbers={name: ids.copy() for name in NUMBER_FIELDS},
            texts={"title": [f"Work {i}" for i in ids.tolist()], "creator": ["w"] * len(ids)},
            tag_works=np.array([w for w, _ in pairs], dtype=np.int64),
            tag_ids=np.array([t for _, t in pairs], dtype=np.int64),
            creators=[[1]] * len(ids),
        )

    def batches(
        self, ranges: list[tuple[int, int]], *, types: dict[int, str], implied: Any
    ) -> Iterator[Columns]:
        return (self.columns(types=types, id_range=r, implied=implied) for r in ranges)

    def filed_tags(
        self, *, types: dict[int, str], work_ids: list[int], memo: dict[int, set[int]]
    ) -> Columns:
        raise AssertionError("nothing is re-filed here")

    def counts(self, work_ids: list[int]) -> Mapping[int, Mapping[str, int]]:
        return {}


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue.build(MemorySource())


@pytest.fixture
def big(monkeypatch):
    """Every result counts as big (the strategies are chosen only for big ones)."""
    monkeypatch.setattr(facets, "BINCOUNT_LIMIT", 0)


def ways_taken(monkeypatch) -> list[str]:
    taken: list[str] = []
    for name in ("facets_by_bitmaps", "facets_by_counting"):
        real = getattr(facets, name)

        def spy(*args, real=real, name=name, **kwargs):
            taken.append(name)
            return real(*args, **kwargs)

        monkeypatch.setattr(facets, name, spy)
    return taken


def test_a_few_intersections_are_timed_on_the_biggest_tags_of_each_free_type(catalogue):
    works = catalogue.matching(Filter(include=(10,)), Viewer())
    assert facets.intersection_cost(catalogue, works) > 0
    empty = Catalogue()
    assert facets.intersection_cost(empty, works) == 0.0  # nothing to time


def test_counting_is_chosen_when_intersecting_is_foreseen_to_cost_more(catalogue, big, monkeypatch):
    works = catalogue.matching(Filter(include=(10,)), Viewer())
    counting = facets.COUNTING_COST * len(works)
    foreseen = facets.intersections_foreseen(catalogue, works)
    assert foreseen > 0
    taken = ways_taken(monkeypatch)
    expected = facets.facets_by_counting(catalogue, works)
    taken.clear()
    # Foreseen just past what it may cost, then just within it.
    dear = facets.FORESIGHT_EXCESS * counting / foreseen * 1.01
    monkeypatch.setattr(facets, "intersection_cost", lambda *_: dear)
    assert facets.facets_of(catalogue, works) == expected
    assert taken == ["facets_by_counting"]
    taken.clear()
    cheap = facets.FORESIGHT_EXCESS * counting / foreseen * 0.99
    monkeypatch.setattr(facets, "intersection_cost", lambda *_: cheap)
    assert facets.facets_of(catalogue, works) == expected  # the same counts either way
    assert taken[0] == "facets_by_bitmaps"


def test_intersecting_that_runs_past_what_counting_costs_counts_instead(
    catalogue, big, monkeypatch
):
    works = catalogue.matching(Filter(include=(11,)), Viewer())
    expected = facets.facets_by_counting(catalogue, works)
    taken = ways_taken(monkeypatch)
    monkeypatch.setattr(facets, "intersection_cost", lambda *_: 0.0)  # foreseen as free
    monkeypatch.setattr(facets, "COUNTING_COST", 0.0)  # ... but its deadline is now
    assert facets.facets_of(catalogue, works) == expected
    assert taken == ["facets_by_bitmaps", "facets_by_counting"]
