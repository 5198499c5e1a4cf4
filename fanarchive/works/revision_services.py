"""Version history: snapshots of chapters and work metadata, restore, and pruning.

Every service that saves a chapter or a work's metadata records a full snapshot
(never a diff), so restoring brings back exactly what was there. A restore is an
ordinary save, so it becomes a new revision itself and nothing is ever lost by
restoring.

Pruning policy (`revisions_prune`, also run for one chapter or work whenever a
revision is added to it, and by `fanarchive prune-revisions` for everything):
every revision younger than REVISION_KEEP_ALL_DAYS (30) days is kept; of older
ones, the newest of each calendar day (UTC) is kept; the newest revision of a
chapter or work is never removed, however old.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.tags.models import Tag, TagType
from fanarchive.works import limits
from fanarchive.works.inputs import CHAPTER_FIELDS as CHAPTER_INPUT_FIELDS
from fanarchive.works.inputs import CONTENT_FIELDS, TAG_FIELDS
from fanarchive.works.models import Chapter, ChapterRevision, Work, WorkRevision, WorkTag

# What a work revision holds: what the work says (`inputs.CONTENT_FIELDS`), and its tag
# names by type. Comment settings are not history: a restore keeps the current ones.
WORK_FIELDS = CONTENT_FIELDS
# A chapter's, with its text as the writer typed it (`source`).
CHAPTER_FIELDS = tuple("source" if name == "text" else name for name in CHAPTER_INPUT_FIELDS)


def work_snapshot(work: Work, *, tags: Sequence[Tag] | None = None) -> dict[str, Any]:
    """A work's metadata as plain data: its fields and its tag names by type, in order.

    Creators and gifts are not part of it: they change only with the consent of
    the people named, never by restoring an old version. `tags` are the work's
    tags in position order when the caller has just set them; otherwise they are read.
    """
    data: dict[str, Any] = {name: getattr(work, name) for name in WORK_FIELDS}
    for key in TAG_FIELDS.values():
        data[key] = []
    if tags is None:
        # Read afresh: a prefetched `work_tags` may be older than this transaction's changes.
        work_tags = WorkTag.objects.filter(work=work).select_related("tag").order_by("position")
        tags = [wt.tag for wt in work_tags]
    positioned = sorted(enumerate(tags), key=lambda pair: (pair[1].sort_order, pair[0]))
    for _, tag in positioned:
        data[TAG_FIELDS[TagType(tag.type)]].append(tag.name)
    data["rating"] = data["rating"][0] if data["rating"] else ""
    return data


def _work_size(data: dict[str, Any]) -> int:
    return sum(len(str(value)) for value in data.values())


def chapter_snapshot(chapter: Chapter) -> dict[str, Any]:
    return {name: getattr(chapter, name) for name in CHAPTER_FIELDS}


# -- recording (called by the services, inside their transaction) -----------------


def work_revision_record(
    *,
    work: Work,
    user: User | None,
    restored_from: WorkRevision | None = None,
    first: bool = False,
    tags: Sequence[Tag] | None = None,
) -> WorkRevision | None:
    """Snapshot the work's metadata, unless it is the same as the newest revision.

    `first` says the work was just created: it has no revision to compare with
    or prune, so those queries are skipped (posting and imports stay cheap).
    `tags`: the work's tags in position order, when the caller has just set them.
    """
    data = work_snapshot(work, tags=tags)
    latest = None if first else work.revisions.order_by("-created_at", "-id").first()
    if latest is not None and latest.data == data and restored_from is None:
        return None
    now = timezone.now()
    revision = WorkRevision.objects.create(
        work=work,
        created_at=now,
        created_by=user,
        data=data,
        size=_work_size(data),
        restored_from=restored_from,
    )
    if not first:
        _prune(WorkRevision.objects.filter(work=work), "work_id", now=now)
    return revision


def chapter_revision_record(
    *,
    chapter: Chapter,
    user: User | None,
    restored_from: ChapterRevision | None = None,
    first: bool = False,
) -> ChapterRevision | None:
    """Snapshot the chapter, unless it is the same as the newest revision.

    `first`: the chapter was just created (see `work_revision_record`).
    """
    data = chapter_snapshot(chapter)
    latest = None if first else chapter.revisions.order_by("-created_at", "-id").first()
    if (
        latest is not None
        and restored_from is None
        and all(getattr(latest, name) == value for name, value in data.items())
    ):
        return None
    now = timezone.now()
    revision = ChapterRevision.objects.create(
        chapter=chapter,
        created_at=now,
        created_by=user,
        size=len(chapter.source),
        word_count=chapter.word_count,
        restored_from=restored_from,
        **data,
    )
    if not first:
        _prune(ChapterRevision.objects.filter(chapter=chapter), "chapter_id", now=now)
    return revision


# -- pruning ------------------------------------------------------------------------


def _prune(revisions: QuerySet[Any], owner_field: str, *, now: dt.datetime) -> int:
    """Delete what the policy lets go among `revisions` (of one or many chapters or works)."""
    cutoff = now - dt.timedelta(days=limits.REVISION_KEEP_ALL_DAYS)
    model: type[Model] = revisions.model
    # Owners with revisions old enough to consider; the rest keep everything.
    owners = revisions.filter(created_at__lt=cutoff).values_list(owner_field, flat=True).distinct()
    doomed: list[int] = []
    for owner_id in owners.iterator():
        rows = (
            model._default_manager.filter(**{owner_field: owner_id})
            .order_by("-created_at", "-id")
            .values_list("id", "created_at")
        )
        kept_days: set[dt.date] = set()
        for index, (revision_id, created_at) in enumerate(rows.iterator()):
            if index == 0 or created_at >= cutoff:
                # The newest revision, and everything inside the window.
                kept_days.add(created_at.astimezone(dt.UTC).date())
                continue
            day = created_at.astimezone(dt.UTC).date()
            if day in kept_days:
                doomed.append(revision_id)
            else:
                kept_days.add(day)
    deleted = 0
    for start in range(0, len(doomed), 500):
        deleted += model._default_manager.filter(pk__in=doomed[start : start + 500]).delete()[0]
    return deleted


def revisions_prune(*, now: dt.datetime | None = None) -> int:
    """Apply the pruning policy to every chapter and work; returns how many were removed."""
    now = now or timezone.now()
    with transaction.atomic():
        removed = _prune(ChapterRevision.objects.all(), "chapter_id", now=now)
        removed += _prune(WorkRevision.objects.all(), "work_id", now=now)
    return removed
