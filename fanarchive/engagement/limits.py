"""Engagement limits (shared REFERENCE, "Engagement"; README, "Spam").

The spam settings are read here and nowhere else in engagement: `comment_rate()`,
`repeated_comment_works()` and, from works (below, which limits new accounts' works
with the same definition), `new_account_days()`.
"""

from __future__ import annotations

from django.conf import settings

from fanarchive.works.new_accounts import new_account_days as new_account_days
from fanarchive.works.new_accounts import new_account_posts as new_account_posts
from fanarchive.works.new_accounts import per_window as per_window

# AO3's comment length limit, in characters of what the commenter typed.
COMMENT_MAX = 10_000
GUEST_NAME_MAX = 100
# A hit flush is queued at most this often; the flush runs this long after the first hit.
HIT_FLUSH_SECONDS = 30
# Repeated comments are looked for among the commenter's comments of this many hours.
REPEATED_COMMENT_HOURS = 24


def comment_rate() -> tuple[int, int]:
    """(comments, seconds): what new accounts and guests may post (AO3: 3 per 15 minutes)."""
    count, seconds = settings.NEW_ACCOUNT_COMMENT_RATE
    return int(count), int(seconds)


def repeated_comment_works() -> int:
    """The same comment on this many different works within a day is held."""
    return int(settings.REPEATED_COMMENT_WORKS)


def __getattr__(name: str) -> int:
    # The names these limits had as constants, read from the settings now.
    if name == "COMMENT_RATE_COUNT":
        return comment_rate()[0]
    if name == "COMMENT_RATE_WINDOW_MINUTES":
        return comment_rate()[1] // 60
    if name == "NEW_ACCOUNT_DAYS":
        return new_account_days()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
