"""Facet counts of a result: the sidebar's top tags of each type, exact.

Two ways, chosen by `Catalogue.facets`: small results count their works' tags; big
ones intersect the tags' bitmaps in order of size and stop when no remaining tag
could enter the top ten, unless a sample foresees that counting is cheaper.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np
from pyroaring import BitMap

from fanarchive.discovery.index.columns import FIXED_TYPES, FREE_TYPES, TAG_TYPES
from fanarchive.discovery.index.structures import bitmap_of, ids_of, offer_top

if TYPE_CHECKING:
    from fanarchive.discovery.index.catalogue import Catalogue

FACET_SIZE = 10
TYPE_CODES = {tag_type: code for code, tag_type in enumerate(TAG_TYPES, start=1)}
# Fewer works than this in a result: count facets from each work's tags; more: by bitmaps,
# unless intersecting takes longer than counting would (see `Catalogue.facets`).
BINCOUNT_LIMIT = 40_000
# Counting fewer tag uses than this sorts them (np.unique); more, a bincount over every
# tag id, whose fixed cost (~0.35 ms for 200,000 tags) sorting only beats for few.
SORT_COUNT_LIMIT = 16_000
# Counting facets costs about this many seconds per work in the result (gathering and
# counting ~14 tags a work; 9 ms for 44,000 works at a million works, bench/discovery.py).
COUNTING_COST = 0.2e-6
# Intersections timed on a big result to learn what one costs here, which grows with the
# archive and the result (3-10 us at a million works; 23-29 us for results of 80,000-180,000
# works at three million, where a fixed guess had bitmaps run to the deadline, then count).
PROBE_INTERSECTIONS = 16
# The foreseen cost of intersecting is this many times what it turns out to be, measured
# on bench/discovery.py's archives: the sample's margin foresees too many tags (3-10x),
# and the probed tags are the biggest, the costliest to intersect (2-4x). Only results
# whose top tags are the archive's biggest come in under it, where bitmaps win.
FORESIGHT_EXCESS = 4
# Works sampled from a big result to foresee how many intersections bitmaps would need.
FACET_SAMPLE = 2_000


def intersections_foreseen(catalogue: Catalogue, works: BitMap) -> int:
    """About how many tags `facets_by_bitmaps` would intersect with `works`: those
    at least as big as the 10th biggest count of each free type in a sample (scaled
    up, less a margin for the sample's error)."""
    ids = ids_of(works)
    sample = ids[:: max(1, len(ids) // FACET_SAMPLE)]
    present, counts = tag_counts(catalogue, bitmap_of(sample))
    codes = catalogue.type_code[present]
    scale = len(ids) / len(sample)
    needed = len(catalogue.grown)
    for tag_type in FREE_TYPES:
        chosen = np.sort(counts[codes == TYPE_CODES[tag_type]])
        if len(chosen) < FACET_SIZE:
            needed += len(catalogue.by_size.get(tag_type, ()))
            continue
        threshold = 0.7 * scale * chosen[-FACET_SIZE]
        sizes = catalogue.sizes_by_type.get(tag_type)
        if sizes is not None:  # descending: the tags at least `threshold` big
            needed += int(np.searchsorted(-sizes, -threshold, side="right"))
    return needed


def intersection_cost(catalogue: Catalogue, works: BitMap) -> float:
    """Seconds one intersection of `works` with a tag's bitmap takes, timed on the biggest
    tags of each free type (the first that `facets_by_bitmaps` would intersect)."""
    each = PROBE_INTERSECTIONS // len(FREE_TYPES)
    probe = [
        tag_id for tag_type in FREE_TYPES for tag_id in catalogue.by_size.get(tag_type, ())[:each]
    ]
    if not probe:
        return 0.0
    started = time.perf_counter()
    for tag_id in probe:
        works.intersection_cardinality(catalogue.tags[tag_id])
    return (time.perf_counter() - started) / len(probe)


def tag_counts(catalogue: Catalogue, works: BitMap) -> tuple[np.ndarray, np.ndarray]:
    """The tags these works carry (ascending) and how many of the works carry each."""
    values = catalogue.work_tags.gather(works)
    if len(values) < SORT_COUNT_LIMIT:
        present, counts = np.unique(values, return_counts=True)
        return present, counts
    by_tag = np.bincount(values)
    present = np.flatnonzero(by_tag)
    return present, by_tag[present]


def facets_by_counting(catalogue: Catalogue, works: BitMap) -> dict[str, list[tuple[int, int]]]:
    result: dict[str, list[tuple[int, int]]] = {}
    present, counts = tag_counts(catalogue, works)
    if not len(present):
        return {tag_type: [] for tag_type in TAG_TYPES}
    codes = catalogue.type_code[present]
    for tag_type in TAG_TYPES:
        of_type = codes == TYPE_CODES[tag_type]
        chosen, chosen_counts = present[of_type], counts[of_type]
        order = np.lexsort((chosen, -chosen_counts))
        if tag_type in FREE_TYPES:
            order = order[:FACET_SIZE]
        result[tag_type] = [(int(chosen[i]), int(chosen_counts[i])) for i in order]
    return result


def facets_by_bitmaps(
    catalogue: Catalogue, works: BitMap, *, deadline: float | None = None
) -> dict[str, list[tuple[int, int]]] | None:
    """None when `deadline` (a perf_counter time) passes before the counts are known."""
    result: dict[str, list[tuple[int, int]]] = {}
    for tag_type in FIXED_TYPES:
        counted = [
            (tag_id, works.intersection_cardinality(catalogue.tags[tag_id]))
            for tag_id in catalogue.fixed.get(tag_type, ())
            if tag_id in catalogue.tags
        ]
        result[tag_type] = sorted(((t, c) for t, c in counted if c), key=lambda tc: (-tc[1], tc[0]))
    for tag_type in FREE_TYPES:
        best: list[tuple[int, int]] = []  # min-heap of (count, -tag id)
        seen: set[int] = set()
        for tag_id in catalogue.by_size.get(tag_type, ()):
            if len(best) == FACET_SIZE and catalogue.size_then[tag_id] < best[0][0]:
                break
            if deadline is not None and not len(seen) % 64 and time.perf_counter() > deadline:
                return None
            seen.add(tag_id)
            offer_top(
                best, FACET_SIZE, tag_id, works.intersection_cardinality(catalogue.tags[tag_id])
            )
        for tag_id in catalogue.grown:
            if tag_id not in seen and catalogue.tag_type.get(tag_id) == tag_type:
                offer_top(
                    best, FACET_SIZE, tag_id, works.intersection_cardinality(catalogue.tags[tag_id])
                )
        result[tag_type] = sorted(
            ((-negative, count) for count, negative in best if count),
            key=lambda tc: (-tc[1], tc[0]),
        )
    return result


# The facet group of main relationships (`WorkTag.main`), beside the tag types' groups.
MAIN_RELATIONSHIP = "main_relationship"


# Counting main relationships costs about this many seconds per work in the result (a
# gather of ~1 value a work; 25 ms for a million works on 2 busy cores).
MAIN_COUNTING_COST = 25e-9


def main_relationship_facet(catalogue: Catalogue, works: BitMap) -> list[tuple[int, int]]:
    """The top main relationships within `works`, by count then tag id, exact.

    Small results count their works' main tags. Big ones intersect the main tags'
    bitmaps biggest first and stop when no remaining tag could enter the top ten (as
    `facets_by_bitmaps`), falling back to counting if that takes longer than counting."""
    if len(works) > BINCOUNT_LIMIT:
        deadline = time.perf_counter() + MAIN_COUNTING_COST * len(works)
        found = _main_by_bitmaps(catalogue, works, deadline)
        if found is not None:
            return found
    values = catalogue.work_main.gather(works)
    if not len(values):
        return []
    if len(values) < SORT_COUNT_LIMIT:
        present, counts = np.unique(values, return_counts=True)
    else:
        by_tag = np.bincount(values)
        present = np.flatnonzero(by_tag)
        counts = by_tag[present]
    order = np.lexsort((present, -counts))[:FACET_SIZE]
    return [(int(present[i]), int(counts[i])) for i in order]


def _main_by_bitmaps(
    catalogue: Catalogue, works: BitMap, deadline: float
) -> list[tuple[int, int]] | None:
    best: list[tuple[int, int]] = []  # min-heap of (count, -tag id)
    seen: set[int] = set()
    for tag_id in catalogue.main_by_size:
        if len(best) == FACET_SIZE and catalogue.main_size_then[tag_id] < best[0][0]:
            break
        if not len(seen) % 64 and time.perf_counter() > deadline:
            return None
        seen.add(tag_id)
        offer_top(
            best, FACET_SIZE, tag_id, works.intersection_cardinality(catalogue.main_tags[tag_id])
        )
    for tag_id in catalogue.main_grown - seen:
        offer_top(
            best, FACET_SIZE, tag_id, works.intersection_cardinality(catalogue.main_tags[tag_id])
        )
    return sorted(
        ((-negative, count) for count, negative in best if count), key=lambda tc: (-tc[1], tc[0])
    )


def facets_of(catalogue: Catalogue, works: BitMap) -> dict[str, list[tuple[int, int]]]:
    """Tag counts within `works`: the top 10 of each free type, every fixed tag that occurs.

    Ordered by count, then tag id. Exact in both strategies: small results
    count their works' tags; big ones intersect tags in order of size and stop
    when no remaining tag could enter the top 10.
    """
    if len(works) <= BINCOUNT_LIMIT:
        return facets_by_counting(catalogue, works)
    # Intersecting stops early when the result's top tags are the archive's biggest
    # (5 ms for the biggest fandom's 90,000 works) but takes thousands of
    # intersections when they are not (27 ms for a fandom of 44,000, which counting
    # does in 9). A sample of the result foresees how many, a few timed ones what each
    # costs; should intersecting still run past what counting would cost, counting finishes.
    counting = COUNTING_COST * len(works)
    intersecting = intersections_foreseen(catalogue, works) * intersection_cost(catalogue, works)
    if intersecting > FORESIGHT_EXCESS * counting:
        return facets_by_counting(catalogue, works)
    found = facets_by_bitmaps(catalogue, works, deadline=time.perf_counter() + counting)
    return found if found is not None else facets_by_counting(catalogue, works)
