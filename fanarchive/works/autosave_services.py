"""Autosave: what a writer types into the posting and chapter forms is kept server-side.

static/js/autosave.js sends the form every ~30 seconds of typing and when the page
is left; the next time the form opens, the text is put back. Autosaves never
expire. A successful save of the form, or "Discard", empties the autosave and
raises its version, which tells a browser's local copy that it is out of date.

Keys: "work:new" (the posting form: one unposted work per user), "work:<id>"
(editing a work), "chapter:new:<work id>" (a new chapter), "chapter:<id>"
(editing a chapter).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.core.text import clean_text
from fanarchive.works import limits
from fanarchive.works.inputs import CHAPTER_FIELDS, WORK_FIELDS
from fanarchive.works.models import Autosave, Chapter
from fanarchive.works.selectors import access_work, require_creator

KEY_PATTERN = re.compile(
    r"^(?:work:new|work:(?P<work>\d+)|chapter:new:(?P<new_chapter>\d+)|chapter:(?P<chapter>\d+))$"
)

# The fields of the posting and chapter forms (`works.inputs`, as the forms name them: the
# pseuds, and the new work's chapter title), and the version of the chapter an edit
# started from, so restored text still builds on it (`chapter_versions`); anything else
# sent is ignored.
FIELDS = frozenset(
    {name for name in WORK_FIELDS if name != "pseud_ids"}
    | set(CHAPTER_FIELDS)
    | {"pseuds", "chapter_title", "base_version"}
)


def autosave_key_check(*, user: User, key: str) -> None:
    """Raise unless `key` names a form `user` may fill in (404/403 as for the form itself)."""
    match = KEY_PATTERN.match(key)
    if match is None:
        raise ValidationError({"key": [gettext("This form cannot be autosaved.")]})
    work_id = match["work"] or match["new_chapter"]
    if match["chapter"]:
        chapter = Chapter.objects.filter(pk=int(match["chapter"])).first()
        if chapter is None:
            raise Http404(gettext("No such chapter."))
        work_id = str(chapter.work_id)
    if work_id:
        work = access_work(user, int(work_id))
        require_creator(user, work)


def autosave_store(*, user: User, key: str, data: Mapping[str, Sequence[str]]) -> Autosave:
    """Keep what the form holds now; returns the autosave with its new version."""
    autosave_key_check(user=user, key=key)
    # Cleaned as the posting services clean: PostgreSQL's JSON cannot even hold a NUL.
    kept = {
        name: [clean_text(str(value)) for value in values]
        for name, values in data.items()
        if name in FIELDS and all(isinstance(value, str) for value in values)
    }
    size = sum(len(value) for values in kept.values() for value in values)
    if size > limits.AUTOSAVE_MAX_CHARS:
        raise ValidationError(
            {
                "text": [
                    gettext("This is too long to autosave (%(size)s characters).")
                    % {"size": f"{size:,}"}
                ]
            }
        )
    with transaction.atomic():
        autosave, _ = Autosave.objects.select_for_update().get_or_create(
            user=user, key=key, defaults={"saved_at": timezone.now()}
        )
        autosave.data = kept
        autosave.version += 1
        autosave.saved_at = timezone.now()
        autosave.save()
    return autosave


def autosave_clear(*, user: User, key: str) -> None:
    """Empty an autosave (the form was saved, or the writer discarded it)."""
    with transaction.atomic():
        autosave = Autosave.objects.select_for_update().filter(user=user, key=key).first()
        if autosave is None:
            return
        autosave.data = {}
        autosave.version += 1
        autosave.saved_at = timezone.now()
        autosave.save()
