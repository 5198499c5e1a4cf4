"""Autocomplete latency at 200,000 tags, through the real selector.

    .venv/bin/python bench/autocomplete.py                       # throwaway SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_ac .venv/bin/python bench/autocomplete.py
    FANARCHIVE_DATA_DIR=/tmp/ac .venv/bin/python bench/autocomplete.py [--reuse]   # keep it

Builds a throwaway archive's tag table and the tags' words (SQLite in a temporary data
directory, or the PostgreSQL database named by DATABASE_URL, which it empties), then
times `fanarchive.tags.selectors.autocomplete_tags` for prefixes of 1 to 8 characters
typed from the start of a name or of any later word in it, with and without a fandom
limit, and prints p50/p99 in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _django import setup_django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ne",
    "sa",
    "lu",
    "ta",
    "vi",
    "en",
    "or",
    "al",
    "is",
    "ma",
    "re",
    "do",
    "fi",
    "na",
    "ro",
    "ul",
    "be",
    "th",
    "ar",
    "ch",
    "el",
    "wy",
    "ga",
    "qu",
    "os",
    "ly",
    "zo",
    "ha",
    "ke",
    "ia",
    "on",
    "ir",
    "st",
    "ph",
    "dr",
]
TYPES = ["character"] * 45 + ["relationship"] * 25 + ["freeform"] * 25 + ["fandom"] * 5


def word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def name_for(rng: random.Random, tag_type: str) -> str:
    if tag_type == "relationship":
        sep = rng.choice(["/", " & ", " x "])
        return f"{word(rng)} {word(rng)}{sep}{word(rng)} {word(rng)}"
    if tag_type == "freeform":
        return " ".join(word(rng) for _ in range(rng.randint(1, 4)))
    return f"{word(rng)} {word(rng)}"


def build(count: int, rng: random.Random) -> None:
    from fanarchive.tags.models import FandomLink, Tag, TagWord, fold_name, name_words

    Tag.objects.exclude(type__in=["rating", "warning", "category"]).delete()
    seen: set[tuple[str, str]] = set()
    rows = []
    while len(rows) < count:
        tag_type = rng.choice(TYPES)
        name = name_for(rng, tag_type)[:100]
        key = (tag_type, name.lower())
        if key in seen:
            continue
        seen.add(key)
        rows.append(
            Tag(
                type=tag_type,
                name=name,
                name_folded=fold_name(name),
                canonical=rng.random() < 0.3,
                use_count=int(rng.paretovariate(1.2)) - 1,
            )
        )
    Tag.objects.bulk_create(rows, batch_size=5000)
    # What the tag services write with each tag (`tags.services._words_write`).
    TagWord.objects.bulk_create(
        (
            TagWord(tag_id=pk, type=tag_type, word=word)
            for pk, tag_type, folded in Tag.objects.values_list("pk", "type", "name_folded")
            for word in name_words(folded)
        ),
        batch_size=5000,
    )
    fandoms = list(Tag.objects.filter(type="fandom", canonical=True).values_list("pk", flat=True))
    members = Tag.objects.filter(type__in=["character", "relationship"]).values_list(
        "pk", flat=True
    )
    FandomLink.objects.bulk_create(
        [FandomLink(tag_id=pk, fandom_id=rng.choice(fandoms)) for pk in members],
        batch_size=5000,
    )


def measure(rng: random.Random, queries: int) -> None:
    from django.db import connection

    from fanarchive.tags.models import Tag, name_words
    from fanarchive.tags.selectors import autocomplete_tags

    names = list(Tag.objects.values_list("type", "name_folded"))
    fandoms = list(Tag.objects.filter(type="fandom", canonical=True).values_list("pk", flat=True))
    with connection.cursor() as cursor:
        # What autovacuum does in production: statistics, and on PostgreSQL the
        # visibility map that lets the covering index answer without the table.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    for label, with_fandoms in (("no fandom limit", False), ("limited to 2 fandoms", True)):
        timings = []
        for _ in range(queries):
            tag_type, folded = rng.choice(names)
            if with_fandoms:
                tag_type = rng.choice(["character", "relationship"])
            # Typed from the start of the name or of any later word in it.
            word = rng.choice(name_words(folded) or [folded])
            prefix = word[: rng.randint(1, 8)]
            chosen = rng.sample(fandoms, 2) if with_fandoms else []
            start = time.perf_counter()
            autocomplete_tags(tag_type=tag_type, query=prefix, fandom_ids=chosen)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p50 = statistics.median(timings)
        p99 = timings[int(len(timings) * 0.99) - 1]
        print(
            f"{connection.vendor}, {label}: p50 {p50:.2f} ms, p99 {p99:.2f} ms, "
            f"max {timings[-1]:.2f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the tags built by an earlier run"
    )
    args = parser.parse_args()
    # Its own SQLite archive, unless DATABASE_URL (and FANARCHIVE_DATA_DIR) name one.
    database_url = os.environ.get("DATABASE_URL")
    data_dir = os.environ.get("FANARCHIVE_DATA_DIR") or (
        Path(__file__).resolve().parent.parent / "data"
        if database_url
        else tempfile.mkdtemp(prefix="fanarchive-bench-")
    )
    setup_django(data_dir, database_url, redis=True)
    rng = random.Random(args.seed)
    if not args.reuse:
        start = time.perf_counter()
        build(args.tags, rng)
        print(f"built {args.tags:,} tags in {time.perf_counter() - start:.1f} s")
    measure(rng, args.queries)


if __name__ == "__main__":
    main()
