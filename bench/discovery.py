"""Discovery at a million works: the catalogue index against SQL, over HTTP, and full text.

    nice .venv/bin/python bench/discovery.py --works 1000000            # everything
    .venv/bin/python bench/discovery.py --works 50000 --skip-fulltext    # a quick look
    .venv/bin/python bench/discovery.py --skip-index --fulltext-works 50000 \\
        --postgres postgres://postgres@127.0.0.1:5432/postgres          # full text only

With --postgres, a throwaway database named after the URL's database (fanarchive_bench_<pid>
for `postgres`, <name>_bench_<pid> otherwise) is created beside it and dropped afterwards.

Builds a throwaway archive in a temporary directory (SQLite), with ~14 tags per
work drawn from 200,000 tags with Zipf-like popularity: fandoms hold up to ~9%
of works, characters and relationships mostly come from the work's own fandom.
It then measures, in one run:

- the index build (seconds) and this process's memory (RSS) after it;
- 200 seeded filter + facet queries in-process (1-3 includes, 0-3 excludes, a
  rating subset, complete on 30%, sort by kudos or updated): p50 / p99;
- the same queries as plain SQL (filter, count, ORDER BY ... LIMIT 20 and a
  GROUP BY for the facets) on the same database, and the ratio;
- /works/ over HTTP (gunicorn, one worker, the saved index) with a mix of popular
  and rare tags: p50 / p99;
- full text on a second archive of --fulltext-works works with ~3,000-word
  bodies: a two-word query plus a filter through `works_find`, on SQLite and,
  with --postgres (a server URL; a throwaway database is created and dropped),
  on PostgreSQL.

Bench only: the data is bulk-inserted (bulk_create and executemany), not posted
through the services, because a million `work_create` calls would take hours;
the app itself always writes through its services. Kudos and hits are
synthetic numbers fed in through the `work_stats` seam, since engagement does
not exist yet.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


TAGS_TOTAL = 200_000
FANDOMS = 2_000
SEED = 4


def status_mb(field: str) -> float:
    """A memory figure of this process from /proc (VmRSS now, VmHWM its peak), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1]) / 1024
    return 0.0


def rss_mb() -> float:
    return status_mb("VmRSS")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def zipf_weights(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


# -- generating an archive ----------------------------------------------------


class Plan:
    """The archive's shape, in numpy arrays (tag ids are indexes into the tag list)."""

    def __init__(self, works: int, rng: np.random.Generator) -> None:
        self.works = works
        chars = 80_000
        rels = 60_000
        frees = TAGS_TOTAL - FANDOMS - chars - rels
        self.sizes = {
            "fandom": FANDOMS,
            "character": chars,
            "relationship": rels,
            "freeform": frees,
        }
        # Fandom popularity: Zipf, the biggest holding ~9% of works.
        self.fandom_p = zipf_weights(FANDOMS, 0.93)
        # Characters and relationships belong to fandoms, more of them in big fandoms.
        share = self.fandom_p**0.6
        self.char_fandom = rng.choice(FANDOMS, size=chars, p=share / share.sum())
        self.rel_fandom = rng.choice(FANDOMS, size=rels, p=share / share.sum())
        self.free_p = zipf_weights(frees, 1.0)
        self.by_fandom_chars = _members(self.char_fandom, FANDOMS)
        self.by_fandom_rels = _members(self.rel_fandom, FANDOMS)


def _members(owner: np.ndarray, groups: int) -> list[np.ndarray]:
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(groups + 1))
    return [order[bounds[g] : bounds[g + 1]] for g in range(groups)]


def generate(works: int, *, bodies: int = 0, seed: int = SEED) -> dict[str, Any]:
    """Fill the configured database with `works` works (and `bodies`-word search documents)."""
    from django.db import connection, transaction

    from fanarchive.accounts.models import Pseud, User
    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.models import Work

    rng = np.random.default_rng(seed)
    plan = Plan(works, rng)
    started = time.monotonic()
    users = max(100, works // 50)
    with transaction.atomic():
        unusable = "!"  # bench accounts cannot log in
        User.objects.bulk_create(
            [User(username=f"writer{i}", password=unusable) for i in range(users)], batch_size=5000
        )
        user_ids = list(User.objects.order_by("id").values_list("id", flat=True))
        Pseud.objects.bulk_create(
            [Pseud(user_id=u, name=f"writer{i}", is_default=True) for i, u in enumerate(user_ids)],
            batch_size=5000,
        )
        pseud_ids = np.array(Pseud.objects.order_by("id").values_list("id", flat=True))
        kinds = [
            (TagType.FANDOM, "Fandom"),
            (TagType.CHARACTER, "Character"),
            (TagType.RELATIONSHIP, "Pairing"),
            (TagType.FREEFORM, "Trope"),
        ]
        tag_ids: dict[str, np.ndarray] = {}
        for tag_type, word in kinds:
            count = plan.sizes[tag_type.value]
            Tag.objects.bulk_create(
                [Tag(type=tag_type, name=f"{word} {i}", canonical=True) for i in range(count)],
                batch_size=5000,
            )
            tag_ids[tag_type.value] = np.array(
                Tag.objects.filter(type=tag_type).order_by("id").values_list("id", flat=True)
            )
        fixed = {
            t: np.array(
                Tag.objects.filter(type=t).order_by("sort_order").values_list("id", flat=True)
            )
            for t in ("rating", "warning", "category")
        }
    now = time.time()
    revised = now - rng.uniform(0, 5 * 365 * 86400, size=works)
    posted = revised - rng.uniform(0, 365 * 86400, size=works) * (rng.random(works) < 0.5)
    words = np.minimum(rng.lognormal(8.3, 1.2, size=works).astype(int) + 100, 2_000_000)
    chapters = np.minimum(rng.geometric(0.35, size=works), 80)
    complete = rng.random(works) < 0.6
    restricted = rng.random(works) < 0.1
    hidden = rng.random(works) < 0.005
    languages = rng.choice(["en", "en", "en", "en", "en", "en", "es", "fr", "de", "zh"], works)
    fandom_of = rng.choice(FANDOMS, size=works, p=plan.fandom_p)
    crossover = rng.random(works) < 0.08
    second_fandom = rng.choice(FANDOMS, size=works, p=plan.fandom_p)
    from datetime import UTC, datetime

    pairs_work, pairs_tag = _tag_pairs(
        plan, rng, works, fandom_of, crossover, second_fandom, tag_ids, fixed
    )
    # Rows of one work are contiguous: split points per work index.
    bounds = np.searchsorted(pairs_work, np.arange(works + 1))
    titles = ["sea", "owl", "lantern", "storm"]
    batch = 20_000
    with connection.cursor() as cursor:
        for start in range(0, works, batch):
            stop = min(works, start + batch)
            objs = [
                Work(
                    title=f"Work {i} of the {titles[i % 4]}",
                    language=languages[i],
                    expected_chapters=int(chapters[i]) if complete[i] else None,
                    posted_chapters=int(chapters[i]),
                    word_count=int(words[i]),
                    complete=bool(complete[i]),
                    posted=True,
                    restricted=bool(restricted[i]),
                    hidden_by_admin=bool(hidden[i]),
                    first_posted_at=datetime.fromtimestamp(posted[i], UTC),
                    revised_at=datetime.fromtimestamp(revised[i], UTC),
                )
                for i in range(start, stop)
            ]
            with transaction.atomic():
                created = Work.objects.bulk_create(objs)
                ids = np.array([w.pk for w in created], dtype=np.int64)
                low, high = bounds[start], bounds[stop]
                work_ids = ids[pairs_work[low:high] - start]
                positions = np.arange(high - low) - (bounds[pairs_work[low:high]] - low)
                cursor.executemany(
                    "INSERT INTO works_worktag (position, tag_id, work_id, main) "
                    "VALUES (%s, %s, %s, FALSE)",
                    list(
                        zip(
                            positions.tolist(),
                            pairs_tag[low:high].tolist(),
                            work_ids.tolist(),
                            strict=True,
                        )
                    ),
                )
                pseuds = pseud_ids[np.arange(start, stop) % len(pseud_ids)]
                cursor.executemany(
                    "INSERT INTO works_creatorship (position, pseud_id, work_id) "
                    "VALUES (0, %s, %s)",
                    list(zip(pseuds.tolist(), ids.tolist(), strict=True)),
                )
                if bodies:
                    _documents(cursor, ids.tolist(), bodies, rng)
            print(f"\r  generated {stop:,} / {works:,} works", end="", flush=True)
    # Each work's first relationship is its main one, as the works migration marks them.
    first_relationships = importlib.import_module(
        "fanarchive.works.migrations.0010_main_relationship"
    ).MARK_FIRST_RELATIONSHIPS
    with connection.cursor() as cursor:
        cursor.execute(first_relationships, [True, "relationship", "relationship"])
    print(f"\n  generated in {time.monotonic() - started:.0f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"tag_ids": tag_ids, "fixed": fixed, "plan": plan}


def regenerated_plan(works: int, seed: int = SEED) -> dict[str, Any]:
    """What `generate` returned when it made the archive in the database: the plan comes
    from the same seed, the tag ids from the database (made in plan order)."""
    from fanarchive.tags.models import Tag

    plan = Plan(works, np.random.default_rng(seed))
    tag_ids = {
        kind: np.array(Tag.objects.filter(type=kind).order_by("id").values_list("id", flat=True))
        for kind in plan.sizes
    }
    fixed = {
        kind: np.array(
            Tag.objects.filter(type=kind).order_by("sort_order").values_list("id", flat=True)
        )
        for kind in ("rating", "warning", "category")
    }
    return {"tag_ids": tag_ids, "fixed": fixed, "plan": plan}


VOCABULARY = None


def _flat(groups: list[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    sizes = np.array([len(g) for g in groups], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(sizes)[:-1]))
    return np.concatenate(groups), starts, sizes


def _from_fandom(
    rng: np.random.Generator, groups: list[np.ndarray], fandoms: np.ndarray, per: int, total: int
) -> np.ndarray:
    """`per` members of each work's fandom, Zipf-ish (its first members are favourites)."""
    flat, starts, sizes = _flat(groups)
    n = len(fandoms)
    ranks = (rng.pareto(1.2, size=(n, per)) * 2).astype(np.int64)
    size = sizes[fandoms][:, None]
    picked = flat[np.minimum(starts[fandoms][:, None] + np.minimum(ranks, size - 1), len(flat) - 1)]
    empty = size[:, 0] == 0
    picked[empty] = rng.integers(0, total, size=(int(empty.sum()), per))
    return picked


def _tag_pairs(plan, rng, works, fandom_of, crossover, second_fandom, tag_ids, fixed):
    """(work index, tag id) pairs, sorted by work, without repeats: ~14 tags a work."""
    columns = [
        fixed["rating"][rng.integers(0, 5, size=works)][:, None],
        fixed["warning"][rng.integers(0, 6, size=(works, 2))],
        fixed["category"][rng.integers(0, 6, size=(works, 1))],
        tag_ids["fandom"][fandom_of][:, None],
        tag_ids["character"][
            _from_fandom(rng, plan.by_fandom_chars, fandom_of, 3, plan.sizes["character"])
        ],
        tag_ids["relationship"][
            _from_fandom(rng, plan.by_fandom_rels, fandom_of, 2, plan.sizes["relationship"])
        ],
        tag_ids["freeform"][rng.choice(plan.sizes["freeform"], size=(works, 5), p=plan.free_p)],
    ]
    rows = np.arange(works)
    work_parts = [np.repeat(rows, c.shape[1]) for c in columns]
    tag_parts = [c.reshape(-1) for c in columns]
    cross = np.flatnonzero(crossover & (second_fandom != fandom_of))
    second = second_fandom[cross]
    for extra in (
        tag_ids["fandom"][second][:, None],
        tag_ids["character"][
            _from_fandom(rng, plan.by_fandom_chars, second, 2, plan.sizes["character"])
        ],
        tag_ids["relationship"][
            _from_fandom(rng, plan.by_fandom_rels, second, 1, plan.sizes["relationship"])
        ],
    ):
        work_parts.append(np.repeat(cross, extra.shape[1]))
        tag_parts.append(extra.reshape(-1))
    stray = np.flatnonzero(rng.random(works) < 0.1)
    work_parts.append(stray)
    tag_parts.append(
        tag_ids["character"][rng.integers(0, plan.sizes["character"], size=len(stray))]
    )
    # A second warning for a third of the works, a category for two thirds: drop the rest.
    keep_rows = np.concatenate(work_parts)
    keep_tags = np.concatenate(tag_parts).astype(np.int64)
    drop = np.zeros(len(keep_rows), dtype=bool)
    offset = works  # the rating column
    second_warning = np.arange(works) * 2 + 1 + offset
    drop[second_warning[rng.random(works) < 0.67]] = True
    offset += 2 * works
    drop[(np.arange(works) + offset)[rng.random(works) < 0.35]] = True
    keep_rows, keep_tags = keep_rows[~drop], keep_tags[~drop]
    key = keep_rows * (1 << 32) + keep_tags
    key = np.unique(key)
    return key >> 32, key & ((1 << 32) - 1)


def _vocabulary() -> np.ndarray:
    syllables = ["ka", "ri", "mo", "ne", "sa", "lu", "ta", "vi", "en", "or", "al", "is", "ma"]
    made: set[str] = set()
    vocab_rng = random.Random(SEED)
    while len(made) < 20_000:
        made.add("".join(vocab_rng.choice(syllables) for _ in range(vocab_rng.randint(2, 4))))
    ordered = sorted(made)
    vocab_rng.shuffle(ordered)  # frequency must not follow spelling
    return np.array(ordered)


def _documents(cursor: Any, ids: list[int], words: int, rng: np.random.Generator) -> None:
    global VOCABULARY
    if VOCABULARY is None:
        VOCABULARY = _vocabulary()
    p = zipf_weights(len(VOCABULARY), 1.05)
    rows = []
    for work_id in ids:
        body = " ".join(VOCABULARY[rng.choice(len(VOCABULARY), size=words, p=p)])
        rows.append((work_id, f"Work {work_id}", "writer", "Trope", "A summary.", "", body))
    cursor.executemany(
        "INSERT INTO discovery_searchdocument "
        "(work_id, title, creators, tags, summary, notes, body) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s)",
        rows,
    )


# -- the queries --------------------------------------------------------------


def database_free_tags(fandom: int, position: int) -> list[int]:
    """The character, relationship and freeform tags of the fandom's `position`-th work
    (by id) in the database; none when it has fewer works."""
    from fanarchive.works.models import WorkTag

    work_id = (
        WorkTag.objects.filter(tag_id=fandom)
        .order_by("work_id")
        .values_list("work_id", flat=True)[position:][:1]
    )
    return list(
        WorkTag.objects.filter(
            work_id__in=list(work_id),
            tag__type__in=["character", "freeform", "relationship"],
        ).values_list("tag_id", flat=True)
    )


def make_queries(
    made: dict[str, Any],
    n: int,
    seed: int = SEED,
    free_tags: Callable[[int, int], list[int]] = database_free_tags,
) -> list[dict[str, Any]]:
    """Seeded filters: 1-3 includes (a fandom, then tags of one of its works, as
    `free_tags(fandom, position)` reads them), 0-3 excludes."""
    rng = random.Random(seed)
    plan = made["plan"]
    fandoms = made["tag_ids"]["fandom"]
    queries = []
    np_rng = np.random.default_rng(seed)
    for q in range(n):
        popular = q % 2 == 0
        if popular:
            fandom = int(fandoms[int(np_rng.choice(20))])  # one of the 20 biggest
        else:
            fandom = int(fandoms[int(np_rng.choice(FANDOMS, p=plan.fandom_p))])
        include = [fandom]
        extra = rng.randint(0, 2)
        if extra:
            others = free_tags(fandom, rng.randint(0, 50))
            rng.shuffle(others)
            include += others[:extra]
        excludes = [
            int(made["tag_ids"]["freeform"][rng.randint(0, 30)]) for _ in range(rng.randint(0, 3))
        ]
        ratings = (
            rng.sample([int(t) for t in made["fixed"]["rating"]], rng.randint(1, 3))
            if rng.random() < 0.5
            else []
        )
        queries.append(
            {
                "include": include,
                "exclude": [e for e in dict.fromkeys(excludes) if e not in include],
                "ratings": ratings,
                "complete": True if rng.random() < 0.3 else None,
                "sort": rng.choice(["kudos", "updated"]),
                "popular": popular,
            }
        )
    return queries


def to_filter(query: dict[str, Any]) -> Any:
    from fanarchive.discovery.index.catalogue import Filter

    return Filter(
        include=tuple(query["include"]),
        exclude=tuple(query["exclude"]),
        ratings=tuple(query["ratings"]),
        complete=query["complete"],
        sort=query["sort"],
        descending=True,
    )


def sql_query(cursor: Any, query: dict[str, Any]) -> tuple[int, list[int], list[tuple[int, int]]]:
    """The same filter, page and facets as plain SQL with GROUP BY, on the same database."""
    where = ["w.posted", "NOT w.hidden_by_admin", "NOT w.restricted"]
    params: list[Any] = []
    for tag_id in query["include"]:
        where.append("w.id IN (SELECT work_id FROM works_worktag WHERE tag_id = %s)")
        params.append(tag_id)
    if query["exclude"]:
        marks = ", ".join(["%s"] * len(query["exclude"]))
        where.append(f"w.id NOT IN (SELECT work_id FROM works_worktag WHERE tag_id IN ({marks}))")  # noqa: S608
        params += query["exclude"]
    if query["ratings"]:
        marks = ", ".join(["%s"] * len(query["ratings"]))
        where.append(f"w.id IN (SELECT work_id FROM works_worktag WHERE tag_id IN ({marks}))")  # noqa: S608
        params += query["ratings"]
    if query["complete"]:
        where.append("w.complete")
    condition = " AND ".join(where)
    order = (
        "k.kudos DESC, w.id DESC" if query["sort"] == "kudos" else "w.revised_at DESC, w.id DESC"
    )
    cursor.execute(f"SELECT count(*) FROM works_work w WHERE {condition}", params)  # noqa: S608
    total = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT w.id FROM works_work w JOIN bench_kudos k ON k.work_id = w.id "  # noqa: S608
        f"WHERE {condition} ORDER BY {order} LIMIT 20",
        params,
    )
    ids = [row[0] for row in cursor.fetchall()]
    cursor.execute(
        f"SELECT t.type, wt.tag_id, count(*) AS n FROM works_worktag wt "  # noqa: S608
        f"JOIN tags_tag t ON t.id = wt.tag_id "
        f"WHERE wt.work_id IN (SELECT w.id FROM works_work w WHERE {condition}) "
        f"GROUP BY t.type, wt.tag_id ORDER BY n DESC",
        params,
    )
    facets = cursor.fetchall()
    return total, ids, facets[:70]


def synthetic_stats(works_high: int, seed: int = SEED) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed + 1)
    kudos = (rng.pareto(1.5, size=works_high + 1) * 20).astype(np.int64)
    hits = kudos * 15 + rng.integers(0, 500, size=works_high + 1)
    return kudos, hits


def install_stats(kudos: np.ndarray, hits: np.ndarray) -> None:
    """Feed synthetic counts through the `work_stats` seam (engagement does not exist yet)."""
    from fanarchive.discovery.index import source
    from fanarchive.works import stats

    def work_stats(work_ids: Any) -> dict[int, stats.WorkStats]:
        return {i: stats.WorkStats(kudos=int(kudos[i]), hits=int(hits[i])) for i in work_ids}

    source.work_stats = work_stats  # type: ignore[assignment]


# -- the runs -----------------------------------------------------------------


def run_index(args: argparse.Namespace, data_dir: Path) -> dict[str, Any]:
    setup_django(data_dir, redis=True)
    from django.db import connection

    from fanarchive.discovery.index import live
    from fanarchive.discovery.index.catalogue import Viewer
    from fanarchive.works.models import Work

    reusing = args.reuse and Work.objects.exists()
    if reusing:
        # An archive this script generated before (`--keep`): measure it again.
        made = regenerated_plan(Work.objects.count())
        print(f"Reusing the {Work.objects.count():,} works in {data_dir}")
    else:
        print(f"Generating {args.works:,} works in {data_dir} ...")
        made = generate(args.works)
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM works_worktag")
        pairs = cursor.fetchone()[0]
        cursor.execute("SELECT max(id) FROM works_work")
        high = cursor.fetchone()[0]
    kudos, hits = synthetic_stats(high)
    install_stats(kudos, hits)
    if not reusing:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE bench_kudos (work_id integer PRIMARY KEY, kudos integer)")
            cursor.executemany(
                "INSERT INTO bench_kudos VALUES (%s, %s)",
                [(i, int(kudos[i])) for i in range(high + 1)],
            )
    print(f"  {pairs:,} work tags, {pairs / high:.1f} per work")
    # The build runs in a process of its own, as `fanarchive reindex` does, so its peak
    # memory is the build's alone (not the generator's); this process then loads the
    # saved index, as every web worker does.
    if reusing and args.keep_index and live.saved_index_usable():
        build = 0.0  # measured by the run that saved it
        print("Index build: skipped (--keep-index: the saved index is this archive's)")
    else:
        child = subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--build-child", "--child-data", str(data_dir)],
            check=True,
            capture_output=True,
            text=True,
        )
        built = json.loads(child.stdout.strip().splitlines()[-1])
        build = built["seconds"]
        print(
            f"Index build (own process): {build:.1f} s incl. saving; "
            f"peak memory (max RSS) {built['peak_mb']:.0f} MB"
        )
    before = rss_mb()
    started = time.monotonic()
    with live.reading() as catalogue:
        pass
    print(
        f"Index load from disk: {time.monotonic() - started:.1f} s, "
        f"RSS {before:.0f} -> {rss_mb():.0f} MB"
    )
    queries = make_queries(made, args.queries)
    viewer = Viewer()
    timings: list[float] = []
    popular_times: list[float] = []
    sizes: list[int] = []
    for query in queries:
        spec = to_filter(query)
        started = time.perf_counter()
        found = catalogue.find(spec, viewer)
        elapsed = time.perf_counter() - started
        timings.append(elapsed)
        sizes.append(found.total)
        if query["popular"]:
            popular_times.append(elapsed)
    print(
        f"In-process filter+facets+page over {len(queries)} queries: "
        f"p50 {pct(timings, 0.5):.2f} ms, p99 {pct(timings, 0.99):.2f} ms, "
        f"max {max(timings) * 1000:.2f} ms; results median {int(statistics.median(sizes)):,}, "
        f"max {max(sizes):,}"
    )
    sql_times: list[float] = []
    ratios: list[float] = []
    sql_popular: list[float] = []
    subset = queries[: args.sql_queries]
    with connection.cursor() as cursor:
        for n, query in enumerate(subset):
            started = time.perf_counter()
            total, _ids, _ = sql_query(cursor, query)
            elapsed = time.perf_counter() - started
            sql_times.append(elapsed)
            found = catalogue.find(to_filter(query), viewer)
            if found.total != total:
                raise SystemExit(f"index and SQL disagree: {found.total} != {total} for {query}")
            ratios.append(elapsed / timings[n])
            if query["popular"]:
                sql_popular.append(elapsed / timings[n])
    print(
        f"SQL GROUP BY on the same database, first {len(subset)} queries: "
        f"p50 {pct(sql_times, 0.5):.0f} ms, p99 {pct(sql_times, 0.99):.0f} ms; "
        f"ratio median {statistics.median(ratios):.0f}x, "
        f"popular-tag median {statistics.median(sql_popular or [0]):.0f}x, "
        f"popular-tag min {min(sql_popular or [0]):.0f}x"
    )
    slowest = sorted(range(len(timings)), key=lambda i: -timings[i])[:3]
    for i in slowest:
        print(
            f"  slow: {timings[i] * 1000:.1f} ms, {sizes[i]:,} results, "
            f"{len(queries[i]['include'])} includes, sort {queries[i]['sort']}"
        )
    print(f"RSS after queries: {rss_mb():.0f} MB")
    result = {
        "build": build,
        "rss": rss_mb(),
        "p50": pct(timings, 0.5),
        "p99": pct(timings, 0.99),
        "queries": queries,
        "kudos": kudos,
    }
    return result


def run_http(args: argparse.Namespace, data_dir: Path, queries: list[dict[str, Any]]) -> None:
    from urllib.parse import urlencode

    port = args.port
    env = {
        **os.environ,
        "FANARCHIVE_DATA_DIR": str(data_dir),
        "FANARCHIVE_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "1",
            "--timeout",
            "600",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(Path(tempfile.gettempdir()) / "fanarchive-bench-server.log").open("w"),
    )
    try:
        base = f"http://127.0.0.1:{port}/works/"
        for _ in range(120):
            try:
                started = time.monotonic()
                urllib.request.urlopen(base, timeout=600).read()
                print(
                    "HTTP: first request (loads the saved index): "
                    f"{time.monotonic() - started:.1f} s"
                )
                break
            except urllib.error.HTTPError:
                raise
            except OSError:
                time.sleep(1)
        times = []
        for query in queries:
            params: list[tuple[str, Any]] = [("include", t) for t in query["include"]]
            params += [("exclude", t) for t in query["exclude"]]
            params += [("rating", t) for t in query["ratings"]]
            if query["complete"]:
                params.append(("complete", "T"))
            params.append(("sort", query["sort"]))
            url = f"{base}?{urlencode(params)}"
            started = time.perf_counter()
            with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310
                response.read()
            times.append(time.perf_counter() - started)
        print(
            f"HTTP /works/ over {len(times)} requests (half popular fandoms): "
            f"p50 {pct(times, 0.5):.1f} ms, p99 {pct(times, 0.99):.1f} ms"
        )
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                text = status.read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
            if fields.get("PPid", "").strip() == str(server.pid):
                rss = int(fields["VmRSS"].split()[0]) / 1024
                print(f"HTTP worker process memory (RSS, index loaded): {rss:.0f} MB")
    finally:
        server.terminate()
        server.wait(timeout=30)


def run_fulltext(args: argparse.Namespace, database_url: str | None, data_dir: Path) -> None:
    """In a child process per database: Django is configured once per process."""
    env = {**os.environ}
    cmd = [
        sys.executable,
        __file__,
        "--fulltext-child",
        "--fulltext-works",
        str(args.fulltext_works),
        "--body-words",
        str(args.body_words),
        "--queries",
        str(args.queries),
    ]
    if args.reuse:
        cmd.append("--reuse")
    if database_url:
        cmd += ["--child-database", database_url]
    cmd += ["--child-data", str(data_dir)]
    subprocess.run(cmd, env=env, check=True)  # noqa: S603


def build_child(args: argparse.Namespace) -> None:
    """Build and save the index of the archive in `--child-data`; print time and peak RSS."""
    setup_django(Path(args.child_data), redis=True)
    from django.db import connection

    from fanarchive.discovery.index import live

    with connection.cursor() as cursor:
        cursor.execute("SELECT max(id) FROM works_work")
        high = cursor.fetchone()[0]
    install_stats(*synthetic_stats(high))
    started = time.monotonic()
    live.rebuild()
    seconds = time.monotonic() - started
    # VmHWM: the peak of this program's own memory. (getrusage's ru_maxrss would also
    # count the parent's memory, copied at the fork before this program was exec'd.)
    peak = status_mb("VmHWM")
    print(json.dumps({"seconds": seconds, "peak_mb": peak}))


def fulltext_child(args: argparse.Namespace) -> None:
    setup_django(Path(args.child_data), args.child_database, redis=True)
    from django.db import connection

    from fanarchive.discovery.index import live
    from fanarchive.discovery.index.catalogue import Filter, Viewer
    from fanarchive.discovery.search import parse
    from fanarchive.discovery.selectors import works_find

    label = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    from fanarchive.tags.models import Tag
    from fanarchive.works.models import Work

    if args.reuse and Work.objects.exists():
        # An archive this script generated before (same seed, same size): measure again.
        print(f"Full text on {label}: reusing the {Work.objects.count():,} works in the database")
        vocabulary = _vocabulary()
    else:
        print(
            f"Full text on {label}: generating {args.fulltext_works:,} works "
            f"of ~{args.body_words:,} words ..."
        )
        generate(args.fulltext_works, bodies=args.body_words)
        vocabulary = VOCABULARY
    live.rebuild()
    rng = random.Random(SEED)
    if vocabulary is None:
        raise SystemExit("no vocabulary: generate() made no bodies")
    ratings = list(
        Tag.objects.filter(type="rating").order_by("sort_order").values_list("id", flat=True)
    )
    from fanarchive.discovery.search import backend

    search = backend()
    # Collected as a web worker collects: rarely inside a request, and each request's
    # garbage after its response (fanarchive/core/gc_policy.py), here after each query.
    from fanarchive.core import gc_policy

    gc_policy.tune()
    times: list[float] = []
    hit_times: list[float] = []
    snippet_times: list[float] = []
    hits: list[int] = []
    for n in range(args.queries):
        # Two words of middling frequency (ranks 50-2000), sometimes as a phrase.
        first, second = (vocabulary[rng.randint(50, 2000)] for _ in range(2))
        text = f'"{first} {second}"' if n % 5 == 0 else f"{first} {second}"
        spec = Filter(
            ratings=tuple(rng.sample(ratings, 2)),
            complete=True if n % 3 == 0 else None,
            sort="relevance" if n % 2 else "updated",
        )
        started = time.perf_counter()
        listing = works_find(viewer=Viewer(), spec=spec, text=parse(text), facets=True)
        times.append(time.perf_counter() - started)
        hits.append(listing.total)
        started = time.perf_counter()
        search.candidates(parse(text))
        hit_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        search.snippets(parse(text), [w.pk for w in listing.works])
        snippet_times.append(time.perf_counter() - started)
        del listing
        gc_policy.collect_request_garbage()
    print(
        f"Full text ({label}, {args.fulltext_works:,} works): two-word query + filter + facets + "
        f"snippets, {len(times)} queries: p50 {pct(times, 0.5):.1f} ms, "
        f"p99 {pct(times, 0.99):.1f} ms; "
        f"results median {int(statistics.median(hits)):,}; of which the index's candidates "
        f"p50 {pct(hit_times, 0.5):.1f} / p99 {pct(hit_times, 0.99):.1f} ms, "
        f"snippets p50 {pct(snippet_times, 0.5):.1f} / p99 {pct(snippet_times, 0.99):.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--sql-queries", type=int, default=30, help="SQL is slow: time this many")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--fulltext-works", type=int, default=50_000)
    parser.add_argument("--body-words", type=int, default=3_000)
    parser.add_argument("--postgres", help="server URL for the PostgreSQL full-text run")
    parser.add_argument("--skip-index", action="store_true")
    parser.add_argument("--skip-http", action="store_true")
    parser.add_argument("--skip-fulltext", action="store_true")
    parser.add_argument(
        "--keep-index",
        action="store_true",
        help="with --reuse-dir: query the index saved there instead of building it again",
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    parser.add_argument("--fulltext-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--build-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--child-database", help=argparse.SUPPRESS)
    parser.add_argument("--child-data", help=argparse.SUPPRESS)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="with --fulltext-child: measure an archive this script made before, if any",
    )
    parser.add_argument(
        "--reuse-dir",
        help="measure again the archives a run with --keep left in this folder (kept)",
    )
    args = parser.parse_args()
    if args.fulltext_child:
        fulltext_child(args)
        return
    if args.build_child:
        build_child(args)
        return
    if args.reuse_dir:
        workdir = Path(args.reuse_dir)
        args.reuse = args.keep = True
    else:
        workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-"))
    print(f"Working in {workdir}")
    try:
        if not args.skip_index:
            result = run_index(args, workdir / "index")
            if not args.skip_http:
                run_http(args, workdir / "index", result["queries"])
        if not args.skip_fulltext:
            run_fulltext(args, None, workdir / "fulltext-sqlite")
            if args.postgres:
                import psycopg

                # Named after the database in the URL (unless it is a system one), so
                # a shared server's databases say whose they are.
                given = args.postgres.rsplit("/", 1)[1].split("?")[0]
                prefix = "fanarchive" if given in ("", "postgres", "template1") else given
                # Kept with --keep (and measured again with --reuse-dir), else dropped.
                name = f"{prefix}_bench_{'kept' if args.keep else os.getpid()}"
                with psycopg.connect(args.postgres, autocommit=True) as admin:
                    exists = admin.execute(
                        "SELECT 1 FROM pg_database WHERE datname = %s", [name]
                    ).fetchone()
                    if not exists:
                        admin.execute(f"CREATE DATABASE {name}")
                try:
                    base = args.postgres.rsplit("/", 1)[0]
                    run_fulltext(args, f"{base}/{name}", workdir / "fulltext-postgres")
                finally:
                    if not args.keep:
                        with psycopg.connect(args.postgres, autocommit=True) as admin:
                            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
