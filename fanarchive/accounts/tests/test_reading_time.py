"""The estimated reading time: one helper, the same words everywhere."""

from __future__ import annotations

import pytest

from fanarchive.accounts.reading_time import reading_time


@pytest.mark.parametrize(
    ("words", "speed", "said"),
    [
        (0, 200, "about 1 min"),  # never "0 min": even a drabble takes a moment
        (99, 200, "about 1 min"),
        (2400, 200, "about 12 min"),
        (2500, 200, "about 13 min"),  # 12.5 rounds to the nearest minute, up
        (12000, 200, "about 1 h"),
        (37000, 200, "about 3 h 5 min"),
        (37000, 400, "about 1 h 33 min"),
        (1000, 50, "about 20 min"),
        (10**9, 1500, "about 11111 h 7 min"),
    ],
)
def test_words_at_a_speed_read_as_hours_and_minutes(words, speed, said):
    assert reading_time(words, speed) == said


def test_a_speed_out_of_bounds_is_held_to_them():
    assert reading_time(1500, 1) == reading_time(1500, 50) == "about 30 min"
    assert reading_time(3000, 10**6) == reading_time(3000, 1500) == "about 2 min"
    assert reading_time(3000) == "about 15 min"  # the default, 200 words a minute
