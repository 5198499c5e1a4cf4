"""The catalogue index alone, from a synthetic source: no database to generate or read.

    nice .venv/bin/python bench/catalogue_synthetic.py --works 3000000

bench/discovery.py measures the index as the archive builds it, from a database it first
fills (22 minutes for 3M works), so most of its build time is reading that database. This
builds the same shape of archive (`discovery.Plan`: the same tags per work, fandom sizes and
counts) straight from numpy arrays through the `backend.Source` seam, saves and loads the
index as a host does, and times the same mix of filter + facet queries part by part
(filter, page, facets), so the index's own build time and query CPU can be measured at
sizes the database bench would take hours to fill. Its figures are the index's share only:
a real build adds the reading of the database (`source.DatabaseSource`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# bench/discovery.py: the archive's shape (importing it puts the project on the path).
import discovery as bench
import numpy as np

from fanarchive.discovery.index import store
from fanarchive.discovery.index.catalogue import Catalogue, Viewer
from fanarchive.discovery.index.columns import (
    FLAG_NAMES,
    NUMBER_FIELDS,
    Columns,
)
from fanarchive.discovery.index.structures import bitmap_of, ids_of

FREE_KINDS = ("fandom", "character", "relationship", "freeform")
FIXED = {"rating": range(1, 6), "warning": range(6, 12), "category": range(12, 18)}
FIRST_FREE_TAG = 100


class SyntheticSource:
    """bench/discovery.py's archive as a `backend.Source`: works 1..N, every one posted."""

    def __init__(self, works: int, seed: int = bench.SEED) -> None:
        rng = np.random.default_rng(seed)
        self.works = works
        self.plan = bench.Plan(works, rng)
        self.fixed = {kind: np.array(ids) for kind, ids in FIXED.items()}
        self.tag_ids: dict[str, np.ndarray] = {}
        start = FIRST_FREE_TAG
        for kind in FREE_KINDS:
            self.tag_ids[kind] = np.arange(start, start + self.plan.sizes[kind])
            start += self.plan.sizes[kind]
        self.types = {int(t): kind for kind, ids in self.fixed.items() for t in ids}
        self.types |= {int(t): kind for kind, ids in self.tag_ids.items() for t in ids}
        fandom_of = rng.choice(bench.FANDOMS, size=works, p=self.plan.fandom_p)
        crossover = rng.random(works) < 0.08
        second = rng.choice(bench.FANDOMS, size=works, p=self.plan.fandom_p)
        rows, tags = bench._tag_pairs(
            self.plan, rng, works, fandom_of, crossover, second, self.tag_ids, self.fixed
        )
        self.pair_works, self.pair_tags = rows + 1, tags  # work ids from 1
        self.crossover = np.concatenate(([False], crossover))
        self.kudos, self.hits = bench.synthetic_stats(works)
        now = int(time.time())
        self.updated = now - rng.integers(0, 5 * 365 * 86400, size=works + 1)
        self.words = rng.integers(100, 100_000, size=works + 1)
        self.complete = rng.random(works + 1) < 0.6

    def newest_change_id(self) -> int:
        return 0

    def highest_work_id(self) -> int:
        return self.works

    def tag_types(self) -> dict[int, str]:
        return dict(self.types)

    def implied(self, types: Any) -> dict[int, set[int]]:
        return {}  # no synonyms or metatags: every tag filed as tagged

    def columns(
        self, *, types: Any, work_ids: Any = None, id_range: Any = None, implied: Any = None
    ) -> Columns:
        low, high = max(id_range[0], 1), min(id_range[1], self.works + 1)
        if low >= high:
            return Columns()
        ids = np.arange(low, high, dtype=np.int64)
        first, last = np.searchsorted(self.pair_works, [low, high])
        flags = {name: np.zeros(len(ids), dtype=bool) for name in FLAG_NAMES}
        flags["all"][:] = flags["posted"][:] = True
        flags["complete"] = self.complete[low:high]
        flags["crossover"] = self.crossover[low:high]
        numbers = {name: np.zeros(len(ids), dtype=np.int64) for name in NUMBER_FIELDS}
        numbers |= {
            "updated": self.updated[low:high],
            "posted": self.updated[low:high],
            "words": self.words[low:high],
            "kudos": self.kudos[low:high],
            "hits": self.hits[low:high],
        }
        return Columns(
            ids=ids,
            flags=flags,
            languages=["en"] * len(ids),
            numbers=numbers,
            texts={"title": [f"work {i}" for i in ids.tolist()], "creator": ["writer"] * len(ids)},
            tag_works=self.pair_works[first:last],
            tag_ids=self.pair_tags[first:last],
            creators=[[1]] * len(ids),
        )

    def batches(self, ranges: Any, *, types: Any, implied: Any) -> Iterator[Columns]:
        return (self.columns(types=types, id_range=r, implied=implied) for r in ranges)

    def filed_tags(self, **_: Any) -> Columns:
        raise NotImplementedError("the synthetic archive never changes")

    def counts(self, work_ids: list[int]) -> dict[int, dict[str, int]]:
        return {}


def free_tags_of(catalogue: Catalogue, source: SyntheticSource) -> Callable[[int, int], list[int]]:
    """`discovery.make_queries`' reading of a fandom's `position`-th work's free tags,
    from the index instead of the database."""

    def free_tags(fandom: int, position: int) -> list[int]:
        members = ids_of(catalogue.tags[fandom])
        if position >= len(members):
            return []
        own = catalogue.work_tags.gather(bitmap_of(members[position : position + 1]))
        return [t for t in own.tolist() if source.types.get(t) in FREE_KINDS[1:]]

    return free_tags


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2, help="the query mix this many times")
    args = parser.parse_args()
    started = time.monotonic()
    source = SyntheticSource(args.works)
    print(
        f"{args.works:,} works, {len(source.pair_works):,} work tags "
        f"({len(source.pair_works) / args.works:.1f} a work), "
        f"made in {time.monotonic() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory(prefix="fanarchive-synthetic-") as folder:
        started = time.monotonic()
        built = Catalogue.build(source)
        build = time.monotonic() - started
        started = time.monotonic()
        path = store.save(built, None, Path(folder) / "catalogue.idx")
        save = time.monotonic() - started
        del built
        print(
            f"Index build: {build:.1f} s, save {save:.1f} s; "
            f"file {path.stat().st_size / 1e6:.0f} MB; "
            f"peak memory (VmHWM) {bench.status_mb('VmHWM'):.0f} MB"
        )
        started = time.monotonic()
        loaded = store.load(path, source)
        if loaded is None:
            raise SystemExit("the index just saved could not be loaded")
        catalogue = loaded[0]
        print(f"Index load: {time.monotonic() - started:.1f} s")
        made = {"plan": source.plan, "tag_ids": source.tag_ids, "fixed": source.fixed}
        free_tags = free_tags_of(catalogue, source)
        mix = [
            bench.to_filter(q) for q in bench.make_queries(made, args.queries, free_tags=free_tags)
        ]
        viewer = Viewer()
        for round_number in range(1, args.rounds + 1):
            rows = []
            for spec in mix:
                t0 = time.perf_counter()
                works = catalogue.matching(spec, viewer)
                t1 = time.perf_counter()
                catalogue.page(works, spec, 0, 20)
                t2 = time.perf_counter()
                catalogue.facets(works)
                t3 = time.perf_counter()
                rows.append((t3 - t0, t1 - t0, t2 - t1, t3 - t2, len(works)))
            totals = [row[0] for row in rows]
            print(
                f"Round {round_number}: filter + page + facets "
                f"p50 {bench.pct(totals, 0.5):.2f} ms, "
                f"p99 {bench.pct(totals, 0.99):.2f} ms, max {max(totals) * 1000:.2f} ms"
            )
        for total, matching, page, facets, size in sorted(rows, reverse=True)[:5]:
            print(
                f"  slow: {total * 1000:.1f} ms (filter {matching * 1000:.1f}, page "
                f"{page * 1000:.1f}, facets {facets * 1000:.1f}), {size:,} works"
            )


if __name__ == "__main__":
    main()
