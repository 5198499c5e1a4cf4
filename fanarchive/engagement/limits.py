"""Engagement limits (shared REFERENCE, "Engagement")."""

# New accounts and guests may post this many comments per window (AO3: 3 per 15 minutes).
COMMENT_RATE_COUNT = 3
COMMENT_RATE_WINDOW_MINUTES = 15
# An account counts as new for this many days after it was created.
NEW_ACCOUNT_DAYS = 7
# AO3's comment length limit, in characters of what the commenter typed.
COMMENT_MAX = 10_000
GUEST_NAME_MAX = 100
# A hit flush is queued at most this often; the flush runs this long after the first hit.
HIT_FLUSH_SECONDS = 30
