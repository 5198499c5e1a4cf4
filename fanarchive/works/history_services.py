"""A work's dates on the archive it came from: the migration-only part of posting.

The eFiction migration (and the demo archive) give works the dates they had elsewhere;
`work_create(history=...)` applies them to a new work, `work_history_set` to one that
exists. Nothing else calls these: they skip the checks that only make sense for new
writing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.inputs import Errors, add_error, raise_if
from fanarchive.works.models import Chapter, Work


@dataclass
class WorkHistory:
    """The dates a work had on the archive it came from (migrations)."""

    first_posted_at: dt.datetime
    revised_at: dt.datetime


def history_errors(history: WorkHistory) -> Errors:
    errors: Errors = {}
    now = timezone.now()
    for key in ("first_posted_at", "revised_at"):
        if getattr(history, key) > now:
            add_error(errors, key, _("A date in the future cannot be kept."))
    if history.revised_at < history.first_posted_at:
        add_error(errors, "revised_at", _("The last update cannot come before the posting date."))
    return errors


def history_dates(work: Work, chapters: Sequence[Chapter], history: WorkHistory) -> None:
    """Set (without saving) the posting dates of a posted work and its posted chapters:
    the first chapter at the posting date, the last at the update, those between evenly."""
    if not work.posted:
        return
    work.first_posted_at = history.first_posted_at
    work.revised_at = history.revised_at
    posted = sorted((c for c in chapters if c.posted), key=lambda c: c.position)
    step = (history.revised_at - history.first_posted_at) / max(len(posted) - 1, 1)
    for index, chapter in enumerate(posted):
        chapter.published_at = history.first_posted_at + step * index


def backdate_creation(work: Work, history: WorkHistory) -> None:
    """The work's and its chapters' creation dates (auto-set on insert, so updated after)."""
    Work.objects.filter(pk=work.pk).update(created_at=history.first_posted_at)
    Chapter.objects.filter(work=work).update(created_at=history.first_posted_at)
    work.created_at = history.first_posted_at


def apply_history(work: Work, history: WorkHistory) -> None:
    """Give an existing work its migrated dates (see `history_dates`)."""
    backdate_creation(work, history)
    chapters = list(work.chapters.filter(posted=True).order_by("position"))
    history_dates(work, chapters, history)
    Chapter.objects.bulk_update(chapters, ["published_at"])


def work_history_set(*, work: Work, history: WorkHistory) -> Work:
    """Give an existing work the dates it had on the archive it came from (migrations).

    A date in the future, or an update before the posting date, is refused.
    `work_create(history=...)` does the same for a new work.
    """
    raise_if(history_errors(history))
    with transaction.atomic():
        apply_history(work, history)
        work.save(update_fields=["first_posted_at", "revised_at", "updated_at"])
        catalogue_work_changed(work_id=work.pk)
    return work
