"""Which version of a chapter an edit started from, so a save on an old one is caught.

Two creators (or one in two windows) may open the same chapter; without a check the
later save silently replaces the earlier, which survives only in the history. As a
wiki does, the edit form and the API carry the version they started from, and
`works.services.chapter_update` refuses a save whose base is no longer current
(`ChapterEditConflict`), unless it would store exactly what is there already.

A version is a digest of what an editor sees and changes (`revision_services.
CHAPTER_FIELDS`: title, summary, notes, end notes, format and the text as typed), not a
clock or a counter: moving, posting or recounting a chapter is not an edit, and a
restore or an identical save gives the same version.
"""

from __future__ import annotations

import hashlib
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

from fanarchive.works.models import Chapter, ChapterRevision
from fanarchive.works.revision_services import chapter_snapshot

# English; translated when raised.
CONFLICT_MESSAGE = gettext_noop(
    "Someone saved this chapter while you were editing it. Your text is still below, "
    "beside the version they saved; merge what you want to keep, then save again."
)


def chapter_version(chapter: Chapter) -> str:
    """A short digest of the chapter's editable fields (16 hex digits)."""
    encoded = json.dumps(chapter_snapshot(chapter), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()[:16]


class ChapterEditConflict(ValidationError):
    """A save built on an older version of the chapter than the stored one.

    Keyed to "text" like any other refusal, so forms and the API show it; `current` is
    the chapter as stored now, and `current_version` its version, the base a save that
    has taken it into account sends.
    """

    def __init__(self, current: Chapter) -> None:
        super().__init__({"text": [gettext(CONFLICT_MESSAGE)]})
        self.current = current
        self.current_version = chapter_version(current)


def last_saved(chapter: Chapter) -> ChapterRevision | None:
    """The chapter's newest revision (who saved it last, and when), if it has one."""
    return chapter.revisions.select_related("created_by").order_by("-created_at", "-id").first()
