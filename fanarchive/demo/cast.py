"""The demo's invented fandoms and their casts, and the weighted draws the planner uses."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from fanarchive.demo.vocabulary import prose, words

T = TypeVar("T")
GENDER_WEIGHTS = (45, 45, 10)  # f, m, x


@dataclass(frozen=True)
class Character:
    name: str  # the tag, "Mira Vale"
    short: str  # what the prose calls them, "Mira"
    gender: str  # f, m or x: the English possessive, and the work's category

    @property
    def possessive(self) -> str:
        return {"f": "her", "m": "his"}.get(self.gender, "their")


@dataclass(frozen=True)
class Fandom:
    name: str
    # Most popular first: the leads turn up in more works than the side characters.
    characters: tuple[Character, ...]
    places: tuple[str, ...]


def zipf_weights(count: int, exponent: float = 1.0) -> list[float]:
    """Weights falling off with the rank, as popularity does: 1, 1/2^s, 1/3^s ..."""
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def weighted_sample(
    rng: random.Random, items: Sequence[T], weights: Sequence[float], k: int
) -> list[T]:
    """`k` distinct items, each draw weighted; `random.sample` cannot weigh."""
    pool = list(zip(items, weights, strict=True))
    chosen: list[T] = []
    while pool and len(chosen) < k:
        index = rng.choices(range(len(pool)), weights=[w for _, w in pool])[0]
        chosen.append(pool.pop(index)[0])
    return chosen


def invent_fandoms(rng: random.Random, count: int) -> list[Fandom]:
    """`count` fandoms, most popular first, each with its own characters and places."""
    vocabulary = words()
    english_places = prose("en").places
    taken: set[str] = set()
    fandoms = []
    for name in rng.sample(vocabulary.fandoms, min(count, len(vocabulary.fandoms))):
        characters: list[Character] = []
        shorts: set[str] = set()
        for _ in range(rng.randint(5, 9)):
            while True:
                gender = rng.choices("fmx", weights=GENDER_WEIGHTS)[0]
                short = rng.choice(vocabulary.given_names[gender])
                full = f"{short} {rng.choice(vocabulary.surnames)}"
                # Unique short names keep the prose clear; unique full names keep
                # each character one tag, not shared by two fandoms.
                if short not in shorts and full not in taken:
                    break
            shorts.add(short)
            taken.add(full)
            characters.append(Character(name=full, short=short, gender=gender))
        fandoms.append(Fandom(name, tuple(characters), tuple(rng.sample(english_places, 6))))
    return fandoms
