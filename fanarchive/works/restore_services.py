"""Restoring a revision: an ordinary edit through the works services, recorded as a new
revision that says where it came from, so nothing is ever lost by restoring."""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.works.inputs import (
    TAG_FIELDS,
    ChapterInput,
    main_relationships_kept,
    work_input_of,
)
from fanarchive.works.models import Chapter, ChapterRevision, Work, WorkRevision
from fanarchive.works.revision_services import (
    WORK_FIELDS,
    chapter_revision_record,
    work_revision_record,
)
from fanarchive.works.selectors import require_creator
from fanarchive.works.services import chapter_update, work_update


def chapter_revision_restore(*, user: User, revision: ChapterRevision) -> Chapter:
    """Make the chapter what it was in `revision`; the restore is itself a new revision."""
    chapter = revision.chapter
    require_creator(user, chapter.work, to=_("see and restore its history"))
    data = ChapterInput(
        text=revision.source,
        text_format=revision.text_format,
        title=revision.title,
        summary=revision.summary,
        notes=revision.notes,
        endnotes=revision.endnotes,
    )
    with transaction.atomic():
        chapter = chapter_update(user=user, chapter=chapter, data=data, record_revision=False)
        chapter_revision_record(chapter=chapter, user=user, restored_from=revision)
    return chapter


def work_revision_restore(*, user: User, revision: WorkRevision) -> Work:
    """Make the work's metadata what it was in `revision`; the restore is a new revision.

    The expected chapter count is checked as on any edit: a work cannot expect
    fewer chapters than it has now. What a revision does not hold (comment settings)
    stays as it is now.
    """
    work = revision.work
    require_creator(user, work, to=_("see and restore its history"))
    data = dict(revision.data)
    try:
        restored = {k: data[k] for k in (*WORK_FIELDS, *TAG_FIELDS.values())}
        # Revisions do not record the main relationships: the current ones that the restored
        # relationships still hold stay main (else the first is).
        work_input = main_relationships_kept(replace(work_input_of(work), **restored))
    except (KeyError, TypeError):
        raise ValidationError(_("This revision cannot be restored: it is incomplete.")) from None
    with transaction.atomic():
        work = work_update(user=user, work=work, data=work_input, record_revision=False)
        work_revision_record(work=work, user=user, restored_from=revision)
    return work
