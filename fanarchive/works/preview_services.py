"""Previews: a work or chapter shown as readers will see it, before anything is saved.

A preview never writes. It runs the very service the form's button would (`work_create`,
`work_update`, `chapter_add`, `chapter_update`, always as a draft, so nothing is announced,
rate-limited or posted), inside a transaction that is then rolled back: the same rules
refuse the same input with the same messages, the text is rendered and sanitised by the
same code, and the page is built from what the archive would hold. `show` renders that
page while the rows exist; it gets the work as the work page reads it
(`selectors.with_blurb_data`) and the chapters to show, both set as they will read once
posted. Mail and tasks wait for a commit (`transaction.on_commit`), so the rollback drops
them too. Readers never see a preview (it exists only inside the writer's request), and
the writer's words stay in the preview page's form until they post, save or go back to
edit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.works import selectors
from fanarchive.works.models import Chapter, Work
from fanarchive.works.services import (
    ChapterInput,
    WorkInput,
    chapter_add,
    chapter_update,
    work_create,
    work_update,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Preview:
    """What a preview page shows: the work (its meta block, preface, byline) and the
    chapters of the page (every chapter for a work, the one chapter for a chapter)."""

    work: Work
    chapters: list[Chapter]
    # How many chapters the work will have posted (the "2/5" of its meta block).
    chapter_count: int


Show = Callable[[Preview], T]


class _Discard(Exception):
    """Raised to roll the preview's writes back once the page is rendered."""


def _shown(
    work_id: int, chapters: Sequence[Chapter], show: Show[T], *, was_posted: Work | None
) -> T:
    """Call `show` with the work re-read as the work page reads it and the chapters set
    as they will read once posted, then undo everything."""
    work = selectors.with_blurb_data(Work.objects.filter(pk=work_id)).get()
    now = timezone.now()
    posted_before = was_posted is not None and was_posted.posted
    work.posted = True
    work.first_posted_at = work.first_posted_at or now
    if not posted_before:
        work.revised_at = now
    for chapter in chapters:
        if not chapter.posted:
            chapter.posted = True
            chapter.published_at = now
            work.revised_at = now
    stored = {c.pk: c for c in work.chapters.all()}
    for chapter in chapters:
        stored[chapter.pk] = chapter
    count = sum(1 for c in stored.values() if c.posted or not posted_before)
    work.posted_chapters = count
    work.complete = work.expected_chapters == count
    work.word_count = sum(c.word_count for c in stored.values() if c.posted or not posted_before)
    return show(Preview(work=work, chapters=list(chapters), chapter_count=count))


def _rolled_back(write: Callable[[], T]) -> T:
    result: list[T] = []
    try:
        with transaction.atomic():
            result.append(write())
            raise _Discard
    except _Discard:
        pass
    return result[0]


def work_preview(*, user: User, data: WorkInput, chapter: ChapterInput, show: Show[T]) -> T:
    """A new work's page before it is posted or saved (refused as `work_create` would)."""

    def write() -> T:
        work = work_create(user=user, data=data, chapters=[chapter], post=False)
        chapters = list(work.chapters.order_by("position"))
        return _shown(work.pk, chapters, show, was_posted=None)

    return _rolled_back(write)


def work_update_preview(*, user: User, work: Work, data: WorkInput, show: Show[T]) -> T:
    """A work's page with these changes to its metadata and tags, the work itself unchanged."""
    before = Work.objects.get(pk=work.pk)

    def write() -> T:
        changed = work_update(user=user, work=Work.objects.get(pk=work.pk), data=data)
        chapters = selectors.readable_chapters(user, changed)
        if before.posted:
            chapters = [c for c in chapters if c.posted]
        return _shown(changed.pk, chapters, show, was_posted=before)

    return _rolled_back(write)


def chapter_preview(
    *, user: User, work: Work, data: ChapterInput, expected_chapters: int | None, show: Show[T]
) -> T:
    """A new chapter's page before it is posted or saved (refused as `chapter_add` would)."""
    before = Work.objects.get(pk=work.pk)

    def write() -> T:
        chapter = chapter_add(
            user=user,
            work=Work.objects.get(pk=work.pk),
            data=data,
            post=False,
            expected_chapters=expected_chapters,
        )
        return _shown(work.pk, [chapter], show, was_posted=before)

    return _rolled_back(write)


def chapter_update_preview(*, user: User, chapter: Chapter, data: ChapterInput, show: Show[T]) -> T:
    """A chapter's page with these changes, the chapter itself unchanged. Whether someone
    saved it meanwhile is checked when the writer saves (`chapter_update`'s base version)."""
    before = Work.objects.get(pk=chapter.work_id)

    def write() -> T:
        changed = chapter_update(
            user=user, chapter=Chapter.objects.get(pk=chapter.pk), data=data, post=False
        )
        return _shown(before.pk, [changed], show, was_posted=before)

    return _rolled_back(write)
