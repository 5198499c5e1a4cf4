"""More like this: the time of a work's list, the incremental refresh, and its quality.

    nice .venv/bin/python bench/recommend.py --works 20000
    nice .venv/bin/python bench/recommend.py --works 100000 --kudos-per-work 10   # the issue's size

Builds a throwaway SQLite archive in a temporary directory: works with ~10 tags
each (a Zipf-like fandom, characters and relationships of that fandom, Zipf-like tropes), then
readers with tastes (`make_readers`: fandoms and tropes, which tags show, and fandom
communities and each work's appeal, which only readers show). 20% of each reader's kudos
are held out (never written). Kudos are bulk-inserted (bench only; the app writes them through
`kudos_give`), then the catalogue index is built.

It prints, in a warm process (index built, Django's database cache as by default):
- `similar_works` for --samples works as a logged-in reader: p50 / p95 / p99 with the
  co-kudos list not cached (the first visit after a change) and cached;
- after one kudos through `kudos_give`, the refresh (`similar.refresh`: drops the lists
  the kudos made stale) and the next list of the work that got it: p50 / p95;
- hit rate at 10: for sampled readers, the list of one of their (kept) kudos works hits
  when it holds one of their held-out works; for the combined score, tags only
  (KUDOS_WEIGHT 0) and 10 random works.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def millis(values: list[float]) -> str:
    return " / ".join(f"{pct(values, q) * 1000:.1f}" for q in (0.5, 0.95, 0.99)) + " ms"


FANDOMS, CHARACTERS, RELATIONSHIPS, TROPES = 300, 6000, 4000, 12000
UNUSABLE = "!"  # bench accounts cannot log in


def zipf(n: int, s: float) -> np.ndarray:
    weights = 1.0 / np.arange(1, n + 1) ** s
    return weights / weights.sum()


def generate(works: int, seed: int) -> None:
    """`works` posted works, each with a rating, a fandom (Zipf), 2-4 characters and 0-2
    relationships of that fandom, and 3-6 tropes (Zipf); a tenth restricted, a few hidden.
    Bench only: bulk-inserted through the ORM, not posted through the services."""
    from datetime import UTC, datetime

    from django.db import transaction

    from fanarchive.accounts.models import Pseud, User
    from fanarchive.tags.models import Tag, TagType
    from fanarchive.works.models import Creatorship, Work, WorkTag

    rng = np.random.default_rng(seed)
    started = time.monotonic()
    with transaction.atomic():
        writers = User.objects.bulk_create(
            [
                User(username=f"bench_writer{i}", password=UNUSABLE)
                for i in range(max(50, works // 20))
            ]
        )
        pseuds = Pseud.objects.bulk_create(
            [Pseud(user=u, name=u.username, is_default=True) for u in writers]
        )
        made = {}
        for tag_type, word, count in (
            (TagType.FANDOM, "Fandom", FANDOMS),
            (TagType.CHARACTER, "Character", CHARACTERS),
            (TagType.RELATIONSHIP, "Pairing", RELATIONSHIPS),
            (TagType.FREEFORM, "Trope", TROPES),
        ):
            Tag.objects.bulk_create(
                [Tag(type=tag_type, name=f"{word} {i}", canonical=True) for i in range(count)],
                batch_size=5000,
            )
            made[tag_type] = np.array(
                Tag.objects.filter(type=tag_type, name__startswith=word)
                .order_by("id")
                .values_list("id", flat=True)
            )
        ratings = list(Tag.objects.filter(type=TagType.RATING).values_list("id", flat=True))
    fandom_p, trope_p = zipf(FANDOMS, 0.9), zipf(TROPES, 1.0)
    # Characters and relationships belong to a fandom: index ranges of equal width.
    per_char, per_rel = CHARACTERS // FANDOMS, RELATIONSHIPS // FANDOMS
    now = time.time()
    for start in range(0, works, 10_000):
        stop = min(works, start + 10_000)
        with transaction.atomic():
            created = Work.objects.bulk_create(
                [
                    Work(
                        title=f"Bench work {i}",
                        language="en",
                        posted_chapters=1,
                        expected_chapters=1,
                        word_count=int(rng.integers(500, 50_000)),
                        complete=True,
                        posted=True,
                        restricted=bool(rng.random() < 0.1),
                        hidden_by_admin=bool(rng.random() < 0.005),
                        first_posted_at=datetime.fromtimestamp(now - i, UTC),
                        revised_at=datetime.fromtimestamp(now - i, UTC),
                    )
                    for i in range(start, stop)
                ],
                batch_size=2000,
            )
            links, tags = [], []
            for work in created:
                fandom = int(rng.choice(FANDOMS, p=fandom_p))
                chosen = {ratings[int(rng.integers(len(ratings)))], int(made["fandom"][fandom])}
                chosen.update(
                    int(made["character"][fandom * per_char + c])
                    for c in rng.integers(0, per_char, size=rng.integers(2, 5))
                )
                chosen.update(
                    int(made["relationship"][fandom * per_rel + r])
                    for r in rng.integers(0, per_rel, size=rng.integers(0, 3))
                )
                chosen.update(
                    int(made["freeform"][t])
                    for t in rng.choice(TROPES, size=rng.integers(3, 7), p=trope_p)
                )
                tags.extend(WorkTag(work=work, tag_id=t, position=n) for n, t in enumerate(chosen))
                links.append(Creatorship(work=work, pseud=pseuds[int(rng.integers(len(pseuds)))]))
            WorkTag.objects.bulk_create(tags, batch_size=5000)
            Creatorship.objects.bulk_create(links, batch_size=5000)
        print(f"\r  generated {stop:,} / {works:,} works", end="", flush=True)
    print(f"\n  generated in {time.monotonic() - started:.0f} s")


def work_tags() -> tuple[np.ndarray, dict[int, int], dict[int, list[int]]]:
    """Every posted, unhidden work id, its fandom, and its tropes (freeform tags)."""
    from django.db import connection

    from fanarchive.tags.models import TagType

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT wt.work_id, t.id, t.type FROM works_worktag wt "
            "JOIN tags_tag t ON t.id = wt.tag_id WHERE t.type IN (%s, %s)",
            [TagType.FANDOM.value, TagType.FREEFORM.value],
        )
        rows = cursor.fetchall()
        cursor.execute("SELECT id FROM works_work WHERE NOT hidden_by_admin AND NOT restricted")
        ids = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
    fandom: dict[int, int] = {}
    tropes: dict[int, list[int]] = {}
    for work_id, tag_id, tag_type in rows:
        if tag_type == TagType.FANDOM.value:
            fandom.setdefault(work_id, tag_id)
        else:
            tropes.setdefault(work_id, []).append(tag_id)
    return ids, fandom, tropes


def make_readers(
    works: np.ndarray, fandom: dict[int, int], tropes: dict[int, list[int]], args: Any
) -> dict[int, tuple[list[int], list[int]]]:
    """{reader index: (kept kudos, held-out kudos)}: readers with tastes.

    What tags can see: each reader likes 1-3 fandoms and 10 tropes (drawn as tropes are
    used), and keeps a work without a liked trope only half the time. What only readers
    can see: fandoms form communities of ten (a reader's fandoms come from one community
    four times in five), and each work has an appeal (log-normal) that makes readers of
    its fandom pick it more often. A tenth of the kudos go anywhere.
    """
    rng = random.Random(args.seed)
    by_fandom: dict[int, list[int]] = {}
    for work_id in works.tolist():
        if work_id in fandom:
            by_fandom.setdefault(fandom[work_id], []).append(work_id)
    fandoms = sorted(by_fandom)
    community = {f: rng.randrange(max(1, len(fandoms) // 10)) for f in fandoms}
    members: dict[int, list[int]] = {}
    for f in fandoms:
        members.setdefault(community[f], []).append(f)
    sizes = [len(by_fandom[f]) for f in fandoms]
    appeal = {w: rng.lognormvariate(0, 1) for w in works.tolist()}
    appeal_of = {f: [appeal[w] for w in by_fandom[f]] for f in fandoms}
    trope_uses = [t for ts in tropes.values() for t in ts]
    readers = max(100, int(len(works) * args.kudos_per_work / args.kudos_per_reader))
    made: dict[int, tuple[list[int], list[int]]] = {}
    for reader in range(readers):
        first = rng.choices(fandoms, weights=sizes)[0]
        liked = {first}
        for _ in range(rng.randint(0, 2)):
            near = members[community[first]]
            liked.add(rng.choice(near) if rng.random() < 0.8 else rng.choice(fandoms))
        liked_list = sorted(liked)
        liked_tropes = set(rng.sample(trope_uses, k=min(len(trope_uses), 10)))
        wanted = max(2, int(rng.expovariate(1 / args.kudos_per_reader)))
        chosen: set[int] = set()
        for _ in range(wanted * 4):
            if len(chosen) >= wanted:
                break
            if rng.random() < 0.1:
                candidate = int(works[rng.randrange(len(works))])
            else:
                f = rng.choice(liked_list)
                candidate = rng.choices(by_fandom[f], weights=appeal_of[f])[0]
                if not liked_tropes & set(tropes.get(candidate, ())) and rng.random() < 0.5:
                    continue
            chosen.add(candidate)
        ordered = sorted(chosen)
        rng.shuffle(ordered)
        held = max(1, len(ordered) // 5) if len(ordered) >= 2 else 0
        made[reader] = (ordered[held:], ordered[:held])
    return made


def insert_kudos(readers: dict[int, tuple[list[int], list[int]]]) -> list[int]:
    """Bench only: accounts and their kept kudos, inserted in bulk. Returns the user ids."""
    from django.db import connection, transaction

    from fanarchive.accounts.models import User

    with transaction.atomic():
        User.objects.bulk_create(
            [User(username=f"bench_reader{n}", password=UNUSABLE) for n in readers], batch_size=5000
        )
        user_ids = list(
            User.objects.filter(username__startswith="bench_reader")
            .order_by("id")
            .values_list("id", flat=True)
        )
        rows = [(user_ids[n], work_id) for n, (kept, _) in readers.items() for work_id in kept]
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO engagement_kudos (user_id, work_id, created_at) "
                "VALUES (%s, %s, CURRENT_TIMESTAMP)",
                rows,
            )
    print(f"  {len(readers):,} readers, {len(rows):,} kudos kept")
    return user_ids


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--kudos-per-work", type=float, default=10.0)
    parser.add_argument("--kudos-per-reader", type=float, default=20.0)
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--refreshes", type=int, default=50)
    parser.add_argument("--quality-readers", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="fanarchive-bench-recommend-"))
    print(f"Working in {workdir}")
    try:
        run(args, workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args: argparse.Namespace, workdir: Path) -> None:
    setup_django(workdir)
    from django.core.exceptions import ValidationError

    from fanarchive.core.testing import make_user
    from fanarchive.discovery import similar
    from fanarchive.discovery.index import live
    from fanarchive.engagement.kudos_services import kudos_give
    from fanarchive.works.age_gate import AgeGateContext
    from fanarchive.works.models import Work

    generate(args.works, args.seed)
    works, fandom, tropes = work_tags()
    readers = make_readers(works, fandom, tropes, args)
    user_ids = insert_kudos(readers)
    started = time.monotonic()
    with live.reading():
        pass
    print(f"  index built in {time.monotonic() - started:.1f} s")
    someone = make_user("bench_someone")
    reader = AgeGateContext(user=someone, session_consented=True)
    rng = random.Random(args.seed)
    sample = [int(w) for w in rng.sample(works.tolist(), k=min(args.samples, len(works)))]
    similar.similar_works(user=someone, work_id=sample[0], reader=reader)  # warm up

    cold, warm, cold_cpu, warm_cpu = [], [], [], []
    for work_id in sample:
        for bucket, cpu in ((cold, cold_cpu), (warm, warm_cpu)):
            began, began_cpu = time.perf_counter(), time.process_time()
            similar.similar_works(user=someone, work_id=work_id, reader=reader)
            bucket.append(time.perf_counter() - began)
            cpu.append(time.process_time() - began_cpu)
    # The ranking alone (co-kudos list cached, index, scores; no blurbs loaded).
    ranking, ranking_cpu = [], []
    for work_id in sample:
        began, began_cpu = time.perf_counter(), time.process_time()
        similar.candidate_ids(user=someone, work_id=work_id, most=similar.SHOWN)
        ranking.append(time.perf_counter() - began)
        ranking_cpu.append(time.process_time() - began_cpu)
    # CPU time too: on a shared machine it says what a list costs whatever the load.
    print(f"similar_works, p50 / p95 / p99, {len(sample)} works (wall; CPU):")
    print(f"  co-kudos list not cached: {millis(cold)}; {millis(cold_cpu)}")
    print(f"  cached:                   {millis(warm)}; {millis(warm_cpu)}")
    print(f"  ranking only (no blurbs): {millis(ranking)}; {millis(ranking_cpu)}")

    # One kudos, then the refresh and the next list of the work that got it.
    refreshing, next_list = [], []
    givers = [u for u, (kept, _) in zip(user_ids, readers.values(), strict=True) if kept]
    for n in range(args.refreshes):
        giver = givers[rng.randrange(len(givers))]
        target = Work.objects.get(pk=sample[n % len(sample)])
        try:
            kudos_give(work=target, user=type(someone).objects.get(pk=giver))
        except ValidationError:  # already left kudos there: skip
            continue
        began = time.perf_counter()
        similar.refresh()
        refreshing.append(time.perf_counter() - began)
        began = time.perf_counter()
        similar.similar_works(user=someone, work_id=target.pk, reader=reader)
        next_list.append(time.perf_counter() - began)
    print(f"after one kudos ({len(refreshing)} kudos), p50 / p95 / p99:")
    print(f"  refresh (stale lists dropped): {millis(refreshing)}")
    print(f"  the work's next list:          {millis(next_list)}")

    # Hit rate at 10.
    chosen = [r for r, (kept, held) in readers.items() if kept and held]
    chosen = rng.sample(chosen, k=min(args.quality_readers, len(chosen)))
    seeds = {r: rng.choice(readers[r][0]) for r in chosen}
    hits = {"combined": 0, "tags only": 0, "random": 0}
    everything = works.tolist()
    for name in hits:
        weight = similar.KUDOS_WEIGHT
        if name == "tags only":
            similar.KUDOS_WEIGHT = 0.0
        try:
            for r in chosen:
                held = set(readers[r][1])
                if name == "random":
                    found = set(rng.sample(everything, k=10))
                else:
                    listed = similar.similar_works(
                        user=someone, work_id=seeds[r], reader=reader, limit=10
                    )
                    found = {w.pk for w in listed}
                hits[name] += bool(found & held)
        finally:
            similar.KUDOS_WEIGHT = weight
    print(f"hit rate at 10, {len(chosen)} readers (one kept kudos as the seed):")
    for name, count in hits.items():
        print(f"  {name:10} {count / len(chosen):.3f}")
    if hits["tags only"]:
        gain = hits["combined"] / hits["tags only"] - 1
        print(f"  combined vs tags only: {gain:+.0%}")


if __name__ == "__main__":
    main()
