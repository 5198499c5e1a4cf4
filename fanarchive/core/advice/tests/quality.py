"""The advice measured on its labelled set (data/passages.csv), for the tests and
bench/advice.py.

Each passage has its true rating and warnings. "More mature than its rating" is asked
of every passage against every rating a writer might choose: the answer should be yes
exactly for the ratings below its true one. The `dev` part was used to write the word
lists and rules; the `heldout` part was written afterwards and only measured.
"""

from __future__ import annotations

import csv
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from fanarchive.core.advice import Advice, ArchiveWarning, Rating, analyse

PASSAGES = Path(__file__).parent / "data" / "passages.csv"
SPLITS = ("dev", "heldout")
RATING_CODES = {
    "G": Rating.GENERAL,
    "T": Rating.TEEN,
    "M": Rating.MATURE,
    "E": Rating.EXPLICIT,
}
WARNING_CODES = {
    "violence": ArchiveWarning.VIOLENCE,
    "death": ArchiveWarning.CHARACTER_DEATH,
    "noncon": ArchiveWarning.NON_CON,
    "underage": ArchiveWarning.UNDERAGE,
}


@dataclass(frozen=True)
class Passage:
    id: str
    split: str
    rating: Rating
    warnings: frozenset[ArchiveWarning]
    text: str


def load(path: Path = PASSAGES) -> list[Passage]:
    with path.open(encoding="utf-8", newline="") as file:
        return [
            Passage(
                row["id"],
                row["split"],
                RATING_CODES[row["rating"]],
                frozenset(WARNING_CODES[w] for w in row["warnings"].split(";") if w),
                row["text"],
            )
            for row in csv.DictReader(file)
        ]


@dataclass
class Figures:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def count(self, *, truth: bool, said: bool) -> None:
        self.tp += truth and said
        self.fp += said and not truth
        self.fn += truth and not said

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


@dataclass
class Measured:
    passages: int = 0
    # "More mature than the chosen rating", over every (passage, chosen rating) pair.
    more_mature: Figures = field(default_factory=Figures)
    # "Reads as this rating" against the label, per rating.
    by_rating: dict[Rating, Figures] = field(default_factory=dict)
    by_warning: dict[ArchiveWarning, Figures] = field(default_factory=dict)
    mistakes: list[tuple[Passage, Advice]] = field(default_factory=list)


def measure(passages: list[Passage], split: str) -> Measured:
    measured = Measured(
        by_rating={r: Figures() for r in Rating},
        by_warning={w: Figures() for w in ArchiveWarning},
    )
    for passage in (p for p in passages if p.split == split):
        advice = analyse([passage.text])
        measured.passages += 1
        for chosen in Rating:
            measured.more_mature.count(
                truth=passage.rating.level > chosen.level,
                said=advice.more_mature_than(chosen),
            )
        for rating, figures in measured.by_rating.items():
            figures.count(truth=passage.rating is rating, said=advice.rating is rating)
        for warning, figures in measured.by_warning.items():
            figures.count(truth=warning in passage.warnings, said=warning in advice.warnings)
        if advice.rating is not passage.rating or set(advice.warnings) != passage.warnings:
            measured.mistakes.append((passage, advice))
    return measured


# -- time ---------------------------------------------------------------------------------

FILLER_TEXT = (
    "the rain fell on the harbour and the lamps came on one by one while she walked "
    "home past the market stalls thinking about the letter in her pocket and what "
    "her brother would say when he read it at last over supper in the old kitchen"
)


def generated_work(words: int = 10_000, *, seed: int = 15, chapters: int = 5) -> list[str]:
    """A work of about `words` words in HTML paragraphs: plain prose with the labelled
    passages scattered through it, so every list and rule is exercised."""
    rng = random.Random(seed)
    passages = [p.text for p in load()]
    per_chapter = words // chapters
    work = []
    for _ in range(chapters):
        paragraphs, count = [], 0
        while count < per_chapter:
            if rng.random() < 0.15:
                text = rng.choice(passages)
            else:
                sentence = rng.choices(FILLER_TEXT.split(), k=rng.randint(8, 20))
                text = " ".join(sentence).capitalize() + "."
            paragraphs.append(f"<p>{text}</p>")
            count += len(text.split())
        work.append("\n".join(paragraphs))
    return work


def cpu_ms(chapters: list[str], *, runs: int = 15) -> float:
    """The median CPU time of one analysis of `chapters`, in milliseconds."""
    analyse(chapters)  # the word lists are read once per process
    times = []
    for _ in range(runs):
        start = time.process_time()
        analyse(chapters)
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000
