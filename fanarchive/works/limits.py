"""AO3's posting limits (shared REFERENCE, "Posting limits")."""

from fanarchive.accounts import limits as account_limits

TITLE_MAX = 255
SUMMARY_MAX = 1_250
NOTES_MAX = 5_000
CHAPTER_TITLE_MAX = 255
CHAPTER_TEXT_MIN = 10
CHAPTER_TEXT_MAX = 510_000
USER_TAGS_MAX = 75
# Far beyond any real work, and inside the database's integer column.
EXPECTED_CHAPTERS_MAX = 100_000

# The account orphaned works are handed to (AO3's orphan_account). It cannot log in.
ORPHAN_USERNAME = account_limits.ORPHAN_USERNAME
# Version history: every revision younger than this is kept; older ones, one per day.
REVISION_KEEP_ALL_DAYS = 30
# The most an autosave may hold, all fields together (a chapter may hold 510,000).
AUTOSAVE_MAX_CHARS = 600_000
SERIES_TITLE_MAX = 240
