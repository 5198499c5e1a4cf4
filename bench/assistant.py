"""The wrangling assistant on its labelled sets: precision and recall per set and per
kind, and the time a suggestion pass takes.

    .venv/bin/python bench/assistant.py                  # both parts of the unseen set
    .venv/bin/python bench/assistant.py --mistakes       # and every pair it gets wrong
    .venv/bin/python bench/assistant.py --pool 5000      # and passes against big pools

Pure: no database. The unseen set is fanarchive/tags/tests/data/unseen (its "dev" part
was used to develop the assistant, its "heldout" part never); the evidence a pass reads
is that set's synthetic works (fanarchive/tags/tests/assistant_set.py). The project's
own earlier set (tests/data/wrangling_pairs.csv) is measured too. `--pool N` times a
pass for the set's fandom and additional tags against N canonical fandoms and 4N
canonical additional tags (the set's own, padded with generated names), as the
selector hands the assistant the whole archive's canonical tags of those types, and
for one fandom's character and relationship tags against N/2 characters and N/4
relationships.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanarchive.tags.tests import assistant_set
from fanarchive.wrangling.assistant import Candidate, Context, suggest

OLD_SET = Path(__file__).resolve().parent.parent / "fanarchive/tags/tests/data"
SYLLABLES = ["ka", "ri", "mo", "ne", "sa", "lu", "ta", "vi", "en", "or", "al", "is", "dr", "th"]
MEDIA = ["(TV)", "(Movies)", "(Video Game)", "(Anime)", "(Comics)", "- All Media Types", ""]


def line(label: str, figures: assistant_set.Figures) -> str:
    wrong = f", {figures.wrong} other targets" if figures.wrong else ""
    return (
        f"{label:<16} {figures.pairs:>4} pairs ({figures.tp + figures.fn:>3} same)  "
        f"precision {figures.precision:.3f}  recall {figures.recall:.3f}  "
        f"tp {figures.tp:>3} fp {figures.fp:>2} fn {figures.fn:>3}{wrong}"
    )


def unseen(mistakes: bool) -> None:
    labelled = assistant_set.load()
    for split in assistant_set.SPLITS:
        measured = assistant_set.measure(split, labelled)
        print(f"\nunseen set, {split} part")
        print(line("all kinds", measured.overall))
        for kind, figures in sorted(measured.by_kind.items()):
            print(line(f"  {kind}", figures))
        print(f"time per suggestion pass: {measured.seconds_per_pass * 1000:.2f} ms")
        if mistakes:
            for pair, found in measured.mistakes:
                wrong = "missed" if pair.same else "suggested"
                print(f"  {wrong} {pair.kind}: {pair.tag!r} -> {pair.target!r} (got {found})")


def old_set() -> None:
    canonicals: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    with (OLD_SET / "wrangling_canonicals.csv").open(encoding="utf-8") as file:
        for number, row in enumerate(csv.DictReader(file), start=1):
            canonicals[(row["fandom"], row["type"])].append(
                Candidate(number, row["name"], row["type"])
            )
    with (OLD_SET / "wrangling_pairs.csv").open(encoding="utf-8") as file:
        pairs = list(csv.DictReader(file))
    figures = assistant_set.Figures()
    for pair in pairs:
        pool = [
            c
            for c in canonicals[(pair["fandom"], pair["type"])]
            if c.name.casefold() != pair["tag"].casefold()
        ]
        context = Context(characters=canonicals[(pair["fandom"], "character")])
        found = {s.target.name for s in suggest(pair["tag"], pair["type"], pool, context=context)}
        hit = pair["target"] in found
        if pair["same"] == "1":
            figures.tp, figures.fn = figures.tp + hit, figures.fn + (not hit)
        else:
            figures.fp, figures.tn = figures.fp + hit, figures.tn + (not hit)
    print("\nthe project's own set (tests/data/wrangling_pairs.csv)")
    print(line("all kinds", figures))


def big_pools(size: int) -> None:
    rng = random.Random(7)
    labelled = assistant_set.load()

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    for tag_type, count in (("fandom", size), ("freeform", 4 * size)):
        pool = labelled.pool("", tag_type)
        names = {c.name.casefold() for c in pool}
        while len(pool) < count:
            if tag_type == "fandom":
                name = f"{word()} {word()}{rng.choice([':', ''])} {word()} {rng.choice(MEDIA)}"
            else:
                name = " ".join(word() for _ in range(rng.randint(1, 4)))
            if name.strip().casefold() not in names:
                names.add(name.strip().casefold())
                pool.append(Candidate(len(pool) + 10_000_000, name.strip(), tag_type))
        tags = [p.tag for p in labelled.pairs if p.type == tag_type]
        suggest(tags[0], tag_type, pool)  # the names are read once, then cached
        timings = []
        for tag in tags:
            started = time.perf_counter()
            suggest(tag, tag_type, pool)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"\n{tag_type} tags against {len(pool):,} canonical {tag_type} tags: "
            f"{len(timings)} passes, median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms, max {timings[-1]:.1f} ms"
        )


def big_fandom(size: int) -> None:
    """Character and relationship tags of one fandom against `size` characters and half
    as many relationships (the set's own, padded with generated names)."""
    rng = random.Random(11)
    labelled = assistant_set.load()
    fandom = "Harry Potter - J. K. Rowling"

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    characters = labelled.pool(fandom, "character")
    names = {c.name for c in characters}
    while len(characters) < size:
        name = f"{word()} {word()}"
        if name not in names:
            names.add(name)
            characters.append(Candidate(len(characters) + 20_000_000, name, "character"))
    relationships = labelled.pool(fandom, "relationship")
    while len(relationships) < size // 2:
        a, b = rng.sample(characters, 2)
        relationships.append(
            Candidate(len(relationships) + 30_000_000, f"{a.name}/{b.name}", "relationship")
        )
    context = Context(characters=characters, relationships=relationships)
    for tag_type, pool in (("character", characters), ("relationship", relationships)):
        tags = [p.tag for p in labelled.pairs if p.fandom == fandom and p.type == tag_type]
        started = time.perf_counter()
        suggest(tags[0], tag_type, pool, context=context)  # the cast is read once
        first = (time.perf_counter() - started) * 1000
        timings = []
        for tag in tags:
            started = time.perf_counter()
            suggest(tag, tag_type, pool, context=context)
            timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        print(
            f"\n{tag_type} tags in a fandom of {len(characters):,} characters and "
            f"{len(relationships):,} relationships: first pass {first:.0f} ms, then "
            f"{len(timings)} passes, median {statistics.median(timings):.1f} ms, "
            f"p95 {timings[int(len(timings) * 0.95)]:.1f} ms"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mistakes", action="store_true", help="list every pair it gets wrong")
    parser.add_argument("--pool", type=int, default=0, help="also time passes against N fandoms")
    args = parser.parse_args()
    unseen(args.mistakes)
    old_set()
    if args.pool:
        big_pools(args.pool)
        big_fandom(args.pool // 2)


if __name__ == "__main__":
    main()
