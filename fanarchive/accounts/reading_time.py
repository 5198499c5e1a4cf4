"""Estimated reading time: a work's words at the reader's reading speed.

Here, with the preference it reads (`Preference.reading_speed`), so that every layer that
shows a work (blurbs in works, the API) can say it the same way.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.models import User

DEFAULT_WORDS_PER_MINUTE = 200
# Below 50 a long work reads as weeks; above 1500 is skimming, not reading.
MIN_WORDS_PER_MINUTE = 50
MAX_WORDS_PER_MINUTE = 1500


def reading_time(words: int, words_per_minute: int = DEFAULT_WORDS_PER_MINUTE) -> str:
    """`words` at `words_per_minute` as "about 12 min" / "about 3 h 5 min": whole minutes,
    rounded to the nearest, never under one (a drabble still takes a moment)."""
    speed = min(max(int(words_per_minute), MIN_WORDS_PER_MINUTE), MAX_WORDS_PER_MINUTE)
    minutes = max(1, (max(int(words), 0) + speed // 2) // speed)
    hours, minutes = divmod(minutes, 60)
    if not hours:
        return f"about {minutes} min"
    if not minutes:
        return f"about {hours} h"
    return f"about {hours} h {minutes} min"


def reading_speed_of(user: User | AnonymousUser | None) -> int:
    """The reader's words per minute: their preference, the default for guests (read from
    `user.preference`, which Django caches on the request's user)."""
    if user is None or not user.is_authenticated:
        return DEFAULT_WORDS_PER_MINUTE
    preference = getattr(user, "preference", None)
    if preference is None:
        return DEFAULT_WORDS_PER_MINUTE
    return int(preference.reading_speed)
