"""Reads of the reading list: one reader's list as a viewer may see it, its fandoms and
counts, where "continue" leads, and the statuses blurbs show.

A list is its owner's alone unless they made it public (`Preference.reading_list_public`);
either way it shows only the works the *viewer* may list (`Work.objects.visible_to`, as
the history page does), so a work made a draft, hidden or restricted vanishes from it for
them, and comes back if shown again.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, OrderBy, QuerySet
from django.db.models.functions import Coalesce

from fanarchive.accounts.models import Preference, User
from fanarchive.engagement.models import ReadingListEntry, ReadingStatus
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Chapter, Work, WorkTag

AnyUser = User | AnonymousUser

# ?sort= of the list page: the work's last update (as its blurb's date), or when added.
SORTS: dict[str, tuple[str | OrderBy, ...]] = {
    "updated": (F("work_updated").desc(), "-id"),
    "added": ("-added_at", "-id"),
}
DEFAULT_SORT = "updated"


def reading_list_is_public(owner: User) -> bool:
    return Preference.objects.filter(user=owner, reading_list_public=True).exists()


def reading_list_shown_to(owner: User, viewer: AnyUser) -> bool:
    """Whether `viewer` may open `owner`'s reading list: theirs, or made public."""
    if viewer.is_authenticated and viewer.pk == owner.pk:
        return True
    return reading_list_is_public(owner)


def _listed(owner: User, viewer: AnyUser) -> QuerySet[ReadingListEntry]:
    return ReadingListEntry.objects.filter(
        user=owner, work__in=Work.objects.visible_to(viewer).values("id")
    )


def reading_list_of(
    owner: User,
    viewer: AnyUser,
    *,
    status: str | None = None,
    fandom_id: int | None = None,
    sort: str = DEFAULT_SORT,
) -> QuerySet[ReadingListEntry]:
    """`owner`'s entries that `viewer` may see, of one status and fandom when given (an
    unknown status or fandom lists nothing), sorted by `SORTS[sort]` (else the default)."""
    entries = _listed(owner, viewer)
    if status is not None:
        entries = entries.filter(status=status)
    if fandom_id is not None:
        entries = entries.filter(
            work__in=WorkTag.objects.filter(tag_id=fandom_id).values("work_id")
        )
    return (
        entries.annotate(work_updated=Coalesce("work__revised_at", "work__updated_at"))
        .select_related("work")
        .order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))
    )


def reading_list_counts(owner: User, viewer: AnyUser) -> dict[str, int]:
    """How many entries of each status `viewer` may see (every status is in the answer)."""
    counts = dict(
        _listed(owner, viewer)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in ReadingStatus.values}


def reading_list_fandoms(owner: User, viewer: AnyUser) -> QuerySet[Tag]:
    """The fandoms of the works on the list that `viewer` may see, for its filter."""
    work_ids = _listed(owner, viewer).values("work_id")
    return Tag.objects.filter(
        type=TagType.FANDOM,
        pk__in=WorkTag.objects.filter(work_id__in=work_ids).values("tag_id"),
    ).order_by("name")


def reading_entry(user: AnyUser, work_id: int) -> ReadingListEntry | None:
    """`user`'s entry for one work, or None (always for guests)."""
    if not user.is_authenticated:
        return None
    return ReadingListEntry.objects.filter(user=user, work_id=work_id).first()


def reading_statuses(user: AnyUser) -> dict[int, str]:
    """Every status on `user`'s list by work id, for a page of blurbs: one query for the
    page, however many blurbs (a list holds a reader's choices: hundreds, not millions)."""
    if not user.is_authenticated:
        return {}
    return dict(ReadingListEntry.objects.filter(user=user).values_list("work_id", "status"))


@dataclass(frozen=True)
class Continuation:
    """Where "continue" leads on a work being read: the chapter last opened, and the one
    after it when there is one."""

    chapter: Chapter
    following: Chapter | None


def continuations(entries: list[ReadingListEntry]) -> dict[int, Continuation]:
    """For the "reading" entries among `entries` that remember a chapter still posted: where
    to continue, by work id. One query for the page."""
    reading = {
        e.work_id: e.chapter_id
        for e in entries
        if e.status == ReadingStatus.READING and e.chapter_id is not None
    }
    if not reading:
        return {}
    by_work: dict[int, list[Chapter]] = {}
    for chapter in (
        Chapter.objects.filter(work_id__in=reading, posted=True)
        .only("id", "work_id", "position", "title")
        .order_by("work_id", "position")
    ):
        by_work.setdefault(chapter.work_id, []).append(chapter)
    places = {}
    for work_id, chapter_id in reading.items():
        chapters = by_work.get(work_id, [])
        index = next((i for i, c in enumerate(chapters) if c.pk == chapter_id), None)
        if index is None:
            continue
        following = chapters[index + 1] if index + 1 < len(chapters) else None
        places[work_id] = Continuation(chapters[index], following)
    return places
