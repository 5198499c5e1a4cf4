"""Benchmark: a wrangling queue page, with the assistant's suggestions for each tag.

    .venv/bin/python bench/wrangling_queue.py [--fandoms 5000] [--runs 5]

Makes a throwaway SQLite archive with N canonical fandoms and 4N canonical additional
tags (generated names, a tenth of them with a synonym), plus 30 unwrangled tags of each
type, then times the queue page (`/wrangling/queue/?type=fandom` and `?type=freeform`:
25 tags, each with its suggestions against every canonical tag of its type) through
Django's test client as an admin, printing the first view's time (when a process first
indexes the pool's names), then the median and worst, and the SQL queries of one view.
The canonical tags are inserted in bulk (bench only).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _django import setup_django

SYLLABLES = ["ka", "ri", "mo", "ne", "sa", "lu", "ta", "vi", "en", "or", "al", "is", "dr", "th"]


def build(fandoms: int, rng: random.Random) -> None:
    from fanarchive.tags.models import Tag, TagType, fold_name

    def name() -> str:
        words = ("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in "..")
        return " ".join(words).title()

    seen: set[tuple[str, str]] = set()
    canonical: list[Tag] = []
    for tag_type, count in ((TagType.FANDOM, fandoms), (TagType.FREEFORM, 4 * fandoms)):
        made = 0
        while made < count:
            text = name() + (f" {rng.randint(2, 99)}" if rng.random() < 0.3 else "")
            if (tag_type, text.casefold()) in seen:
                continue
            seen.add((tag_type, text.casefold()))
            canonical.append(
                Tag(name=text, name_folded=fold_name(text), type=tag_type, canonical=True)
            )
            made += 1
    Tag.objects.bulk_create(canonical, batch_size=2000)
    synonyms = []
    stored = list(Tag.objects.filter(canonical=True).order_by("pk"))
    for tag in rng.sample(stored, len(stored) // 10):
        text = tag.name + " (alt)"
        synonyms.append(
            Tag(name=text, name_folded=fold_name(text), type=tag.type, synonym_of_id=tag.pk)
        )
    Tag.objects.bulk_create(synonyms, batch_size=2000)
    # Unwrangled tags: misspellings and variants of canonical names, and new names.
    picks = rng.sample(stored, 200)
    unwrangled = []
    for tag_type in (TagType.FANDOM, TagType.FREEFORM):
        of_type = [t for t in picks if t.type == tag_type][:20]
        texts = [t.name.lower().replace("a", "e", 1) for t in of_type] + [
            name() + " x" for _ in range(10)
        ]
        for text in texts:
            if (tag_type, text.casefold()) not in seen:
                seen.add((tag_type, text.casefold()))
                unwrangled.append(Tag(name=text, name_folded=fold_name(text), type=tag_type))
    Tag.objects.bulk_create(unwrangled)


def measure(client: object, url: str, runs: int) -> tuple[float, float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = suggested = 0
    for _ in range(runs + 1):  # the first run (the names not yet indexed) is apart
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        queries = len(captured.captured_queries)
        suggested = response.content.decode().count("close spelling")
    counted = times[1:]
    return times[0], statistics.median(counted), max(counted), queries, suggested


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fandoms", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="fanarchive-bench-queue-")
    try:
        setup_django(data_dir)
        from django.test import Client

        from fanarchive.core.testing import make_user

        started = time.perf_counter()
        build(args.fandoms, random.Random(5))
        print(
            f"{args.fandoms:,} canonical fandoms and {4 * args.fandoms:,} canonical additional "
            f"tags, built in {time.perf_counter() - started:.1f} s; "
            f"load average {os.getloadavg()[0]:.2f}"
        )
        admin = make_user("bench_admin")
        admin.is_staff = True
        admin.save(update_fields=["is_staff"])
        client = Client(SERVER_NAME="localhost")
        client.force_login(admin)
        for tag_type in ("fandom", "freeform"):
            first, median, worst, queries, suggested = measure(
                client, f"/wrangling/queue/?type={tag_type}", args.runs
            )
            print(
                f"queue page, {tag_type} tags: first view {first * 1000:.0f} ms, "
                f"then median {median * 1000:.0f} ms, "
                f"worst {worst * 1000:.0f} ms, {queries} queries, "
                f"{suggested} close-spelling suggestions shown"
            )
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
