"""Gift-exchange matching at 500, 2,000 and 5,000 sign-ups: seconds to match (graph,
maximum matching, best quality, reasons), how many are matched, peak memory.

    nice .venv/bin/python bench/matching.py                 # 500, 2,000 and 5,000
    nice .venv/bin/python bench/matching.py --sizes 5000    # one size

Pure: no database. Fandom popularity is Zipf-like (a few huge fandoms, a long tail);
each sign-up has 1-3 requests and 1-3 offers of 1-5 fandoms and a few characters of
those fandoms. Two rules: fandom must match 1; fandom 1 and character 1.
Targets: 5,000 sign-ups in at most 30 s, memory under 2 GB.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fanarchive.challenges.matching import MatchRules, Participant, Wish, match_exchange

FANDOMS = 400
CHARACTERS_PER_FANDOM = 12


def fandom_weights() -> list[float]:
    return [1.0 / (rank**1.1) for rank in range(1, FANDOMS + 1)]


def wish(chance: random.Random, weights: list[float]) -> Wish:
    fandoms: set[int] = set()
    wanted = chance.randint(1, 5)
    while len(fandoms) < wanted:
        fandoms.update(chance.choices(range(FANDOMS), weights=weights, k=wanted - len(fandoms)))
    characters = {
        100_000 + fandom * CHARACTERS_PER_FANDOM + chance.randrange(CHARACTERS_PER_FANDOM)
        for fandom in fandoms
        for _ in range(chance.randint(0, 2))
    }
    return Wish(tags={"fandom": frozenset(fandoms), "character": frozenset(characters)})


def exchange(size: int, seed: int) -> list[Participant]:
    chance = random.Random(seed)
    weights = fandom_weights()
    return [
        Participant(
            key=key,
            name=f"writer{key}",
            requests=tuple(wish(chance, weights) for _ in range(chance.randint(1, 3))),
            offers=tuple(wish(chance, weights) for _ in range(chance.randint(1, 3))),
        )
        for key in range(size)
    ]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[500, 2_000, 5_000])
    parser.add_argument("--seed", type=int, default=17)
    args = parser.parse_args()
    variants = {
        "fandom 1": MatchRules(must_match={"fandom": 1}),
        "fandom 1 + character 1": MatchRules(must_match={"fandom": 1, "character": 1}),
    }
    for size in args.sizes:
        participants = exchange(size, args.seed)
        for label, rules in variants.items():
            wall, cpu = time.perf_counter(), time.process_time()
            result = match_exchange(participants, rules)
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            unmatched = {u.key for u in result.unmatched_givers + result.unmatched_recipients}
            print(
                f"{size:>5,} sign-ups, {label:<22} {wall:6.2f} s (CPU {cpu:6.2f} s)  "
                f"pairs {result.possible_pairs:>9,}  assigned {len(result.assignments):>5,}  "
                f"left out {len(unmatched):>4,}  quality {result.total_quality:>6,}  "
                f"peak {peak_mb():,.0f} MB"
            )


if __name__ == "__main__":
    main()
