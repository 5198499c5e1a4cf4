"""The advice's targets on its labelled set (bench/advice.py prints the figures):
precision of "more mature than its rating" >= 0.95 (writers must not be nagged), and
for Explicit precision >= 0.95 and recall >= 0.8, on both parts; under 50 ms of CPU for
a 10,000-word work."""

from __future__ import annotations

from collections import Counter

import pytest

from fanarchive.core.advice import Rating
from fanarchive.core.advice.tests import quality

TARGET_PRECISION = 0.95
TARGET_EXPLICIT_RECALL = 0.8
TARGET_CPU_MS = 50


def test_the_set_is_big_enough_and_split():
    passages = quality.load()
    assert len(passages) >= 200
    assert len({p.id for p in passages}) == len(passages)
    splits = Counter(p.split for p in passages)
    assert set(splits) == set(quality.SPLITS)
    assert 0.28 <= splits["heldout"] / len(passages) <= 0.35
    for split in quality.SPLITS:
        ratings = Counter(p.rating for p in passages if p.split == split)
        assert all(ratings[r] >= 10 for r in Rating), (split, ratings)
        warned = Counter(w for p in passages if p.split == split for w in p.warnings)
        assert len(warned) == 4 and min(warned.values()) >= 3, (split, warned)


@pytest.mark.parametrize("split", quality.SPLITS)
def test_targets(split):
    measured = quality.measure(quality.load(), split)
    assert measured.more_mature.precision >= TARGET_PRECISION
    explicit = measured.by_rating[Rating.EXPLICIT]
    assert explicit.precision >= TARGET_PRECISION
    assert explicit.recall >= TARGET_EXPLICIT_RECALL
    for warning, figures in measured.by_warning.items():
        assert figures.precision >= TARGET_PRECISION, warning


def test_a_10000_word_work_takes_under_50_ms_of_cpu():
    work = quality.generated_work(10_000)
    assert sum(len(chapter.split()) for chapter in work) >= 10_000
    assert quality.cpu_ms(work, runs=7) < TARGET_CPU_MS
