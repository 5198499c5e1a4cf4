"""What the API says about works, chapters and tags: shared by the resource modules.

Functions here only turn models into plain dicts; every rule (visibility, the
adult-content gate, downloads) is asked of the selectors by the endpoints.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from ninja import Schema

from fanarchive.tags.models import Tag, TagType
from fanarchive.works.chapter_versions import chapter_version
from fanarchive.works.inputs import TAG_FIELDS
from fanarchive.works.models import Chapter, Work
from fanarchive.works.selectors import BylineViewer, byline_for, is_adult, shown_gifts
from fanarchive.works.stats import WorkStats

if TYPE_CHECKING:
    from fanarchive.works.selectors import AnyUser


class TagRef(Schema):
    id: int
    name: str
    type: str


class CreatorOut(Schema):
    pseud: str
    username: str
    byline: str


class SeriesPartOut(Schema):
    id: int
    title: str
    part: int


class StatsOut(Schema):
    kudos: int
    hits: int
    comments: int
    bookmarks: int


class WorkOut(Schema):
    """A work's metadata, as its blurb shows it."""

    id: int
    title: str
    url: str
    api_url: str
    rating: list[str]
    warnings: list[str]
    categories: list[str]
    fandoms: list[str]
    relationships: list[str]
    # Which of `relationships` the writer marked main (listed first there too).
    main_relationships: list[str]
    characters: list[str]
    freeforms: list[str]
    tags: list[TagRef]
    # The creators the caller may see: none for an anonymous work, but to its creators
    # and moderators; `byline` says it in words ("Anonymous").
    creators: list[CreatorOut]
    byline: str
    anonymous: bool
    gifts: list[str]
    summary: str
    language: str
    words: int
    posted_chapters: int
    expected_chapters: int | None
    complete: bool
    posted: bool
    restricted: bool
    hidden_by_admin: bool
    first_posted_at: datetime | None
    revised_at: datetime | None
    updated_at: datetime
    series: list[SeriesPartOut]
    stats: StatsOut
    adult: bool
    text_requires_consent: bool


class ChapterRef(Schema):
    id: int
    position: int
    title: str
    heading: str
    words: int
    posted: bool
    published_at: datetime | None
    api_url: str


class DownloadOut(Schema):
    format: str
    url: str


class WorkDetailOut(WorkOut):
    # null while `text_requires_consent`: repeat with ?adult=true to read them.
    notes: str | None
    endnotes: str | None
    chapters: list[ChapterRef]
    downloads: list[DownloadOut]
    downloads_unavailable: str | None
    # The work skin (CSS already checked and scoped under #workskin); "" when none.
    skin_css: str


class ChapterOut(ChapterRef):
    summary: str
    notes: str
    endnotes: str
    content: str
    # Send it back as `base_version` when editing: a PATCH on an older version is a 409.
    version: str


def tag_ref(tag: Tag) -> dict[str, Any]:
    return {"id": tag.pk, "name": tag.name, "type": tag.type}


def work_out(
    request: HttpRequest,
    work: Work,
    *,
    stats: WorkStats,
    text_requires_consent: bool,
    viewer: AnyUser | BylineViewer | None = None,
) -> dict[str, Any]:
    """`work` (with blurb data prefetched) as WorkOut, its creators as `viewer` may see
    them (None: the public)."""
    work_tags = work.ordered_work_tags()
    byline = byline_for(work, viewer)
    data: dict[str, Any] = {field: [] for field in TAG_FIELDS.values()}
    for work_tag in work_tags:
        data[TAG_FIELDS[TagType(work_tag.tag.type)]].append(work_tag.tag.name)
    data.update(
        id=work.pk,
        title=work.title,
        url=request.build_absolute_uri(work.get_absolute_url()),
        api_url=request.build_absolute_uri(reverse("api-v1:work_detail", args=[work.pk])),
        tags=[tag_ref(wt.tag) for wt in work_tags],
        main_relationships=[
            wt.tag.name for wt in work_tags if wt.main and wt.tag.type == TagType.RELATIONSHIP
        ],
        creators=[
            {"pseud": pseud.name, "username": pseud.user.username, "byline": pseud.byline}
            for pseud in byline.pseuds
        ],
        byline=byline.text,
        anonymous=work.anonymous,
        gifts=[gift.recipient for gift in shown_gifts(work)],
        summary=work.summary,
        language=work.language,
        words=work.word_count,
        posted_chapters=work.posted_chapters,
        expected_chapters=work.expected_chapters,
        complete=work.complete,
        posted=work.posted,
        restricted=work.restricted,
        hidden_by_admin=work.hidden_by_admin,
        first_posted_at=work.first_posted_at,
        revised_at=work.revised_at,
        updated_at=work.updated_at,
        series=[
            {"id": sw.series_id, "title": sw.series.title, "part": sw.position}
            for sw in work.series_works.all()
        ],
        stats={
            "kudos": stats.kudos,
            "hits": stats.hits,
            "comments": stats.comments,
            "bookmarks": stats.bookmarks,
        },
        adult=is_adult(work),
        text_requires_consent=text_requires_consent,
    )
    return data


def chapter_ref(request: HttpRequest, chapter: Chapter) -> dict[str, Any]:
    return {
        "id": chapter.pk,
        "position": chapter.position,
        "title": chapter.title,
        "heading": chapter.english_heading,
        "words": chapter.word_count,
        "posted": chapter.posted,
        "published_at": chapter.published_at,
        "api_url": request.build_absolute_uri(
            reverse("api-v1:chapter_detail", args=[chapter.work_id, chapter.pk])
        ),
    }


def chapter_out(request: HttpRequest, chapter: Chapter) -> dict[str, Any]:
    return {
        **chapter_ref(request, chapter),
        "summary": chapter.summary,
        "notes": chapter.notes,
        "endnotes": chapter.endnotes,
        "content": chapter.content,
        "version": chapter_version(chapter),
    }
