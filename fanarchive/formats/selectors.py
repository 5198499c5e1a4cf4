"""Reads for downloads and imports: what a reader may download, and what goes in the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.engagement.permissions import work_permissions
from fanarchive.formats.models import EfictionMapping, ImportRecord
from fanarchive.tags.models import TagType
from fanarchive.works.models import SeriesWork, Work, chapter_heading
from fanarchive.works.selectors import PUBLIC, access_work, byline_for, with_blurb_data

if TYPE_CHECKING:
    from fanarchive.accounts.models import User
    from fanarchive.works.selectors import AnyUser


class DownloadRefused(Exception):
    """The work exists for this reader but cannot be downloaded (a draft, a hidden work)."""


def downloadable_work(user: AnyUser, work_id: int) -> Work:
    """The work, if `user` may download it; access_work's refusals, or DownloadRefused.

    Downloads follow the reading rules (restricted works for logged-in readers only),
    and drafts and hidden works are never downloadable, not even by their creators.
    """
    work = access_work(user, work_id)
    refusal = work_permissions(user, work).download_refusal
    if refusal:
        raise DownloadRefused(refusal)
    return with_blurb_data(Work.objects.filter(pk=work.pk)).get()


@dataclass
class ChapterDoc:
    position: int
    title: str
    summary: str
    notes: str
    content: str
    endnotes: str

    @property
    def heading(self) -> str:
        """ "Chapter 3: Title", in the language of the moment (the download's)."""
        return chapter_heading(self.position, self.title)


@dataclass
class ExportDocument:
    """Everything a download holds, read once and handed to each exporter."""

    work_id: int
    title: str
    creators: list[str]
    tags: dict[str, list[str]]
    language: str
    language_name: str
    summary: str
    notes: str
    endnotes: str
    published: datetime | None
    updated: datetime
    revised: datetime | None
    complete: bool
    words: int
    chapter_fraction: str
    site_name: str
    chapters: list[ChapterDoc] = field(default_factory=list)
    # (part, series title) for each series the work is in.
    series: list[tuple[int, str]] = field(default_factory=list)
    # An anonymous work's `creators` are ["Anonymous"]; `byline` says it in the download's
    # language.
    anonymous: bool = False

    @property
    def byline(self) -> list[str]:
        """The creators as the download names them."""
        return [_("Anonymous")] if self.anonymous else self.creators

    @property
    def rating(self) -> str:
        return (self.tags.get(TagType.RATING) or [""])[0]

    def stamp(self) -> str:
        """Changes whenever anything in the download changes."""
        import hashlib

        parts = [self.updated.isoformat(), *self.creators, repr(sorted(self.tags.items()))]
        parts.append(repr(self.series))
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


# The meta block's labels, AO3's; translated when a download is written (in the language
# of the reader who asks for it).
META_LABELS = [
    (TagType.RATING, gettext_lazy("Rating")),
    (TagType.WARNING, gettext_lazy("Archive Warning")),
    (TagType.CATEGORY, gettext_lazy("Category")),
    (TagType.FANDOM, gettext_lazy("Fandom")),
    (TagType.RELATIONSHIP, gettext_lazy("Relationship")),
    (TagType.CHARACTER, gettext_lazy("Character")),
    (TagType.FREEFORM, gettext_lazy("Additional Tags")),
]


def export_document(work: Work, *, drafts: bool = False) -> ExportDocument:
    """The work's posted chapters and metadata, as downloads show them (three queries
    beyond the work's prefetched tags and creators); with `drafts`, every chapter (the
    creator's own copy, in their data export)."""
    tags: dict[str, list[str]] = {}
    for work_tag in work.ordered_work_tags():
        tags.setdefault(work_tag.tag.type, []).append(work_tag.tag.name)
    # Downloads are shared by every reader: an anonymous work's files say "Anonymous".
    byline = byline_for(work, PUBLIC)
    creators = ["Anonymous"] if byline.anonymous else [pseud.name for pseud in byline.pseuds]
    chapters = [
        ChapterDoc(
            position=n,
            title=c.title,
            summary=c.summary,
            notes=c.notes,
            content=c.content,
            endnotes=c.endnotes,
        )
        for n, c in enumerate(
            (work.chapters.all() if drafts else work.chapters.filter(posted=True)).order_by(
                "position"
            ),
            start=1,
        )
    ]
    series = [
        (entry.position, entry.series.title)
        for entry in SeriesWork.objects.filter(work=work)
        .select_related("series")
        .order_by("series__created_at", "series_id")
    ]
    return ExportDocument(
        work_id=work.pk,
        title=work.title,
        creators=creators,
        tags=tags,
        language=work.language,
        language_name=work.language_name,
        summary=work.summary,
        notes=work.notes,
        endnotes=work.endnotes,
        published=work.first_posted_at,
        updated=work.updated_at,
        revised=work.revised_at,
        complete=work.complete,
        words=work.word_count,
        chapter_fraction=work.chapter_fraction,
        site_name=settings.SITE_NAME,
        chapters=chapters,
        series=series,
        anonymous=byline.anonymous,
    )


def exportable_works() -> list[int]:
    """Ids of every work a download can be made of (for `export --all`)."""
    return list(
        Work.objects.filter(posted=True, hidden_by_admin=False, unrevealed=False)
        .order_by("id")
        .values_list("id", flat=True)
    )


def imported_work_id(*, user: User, sha256: str) -> int | None:
    records = ImportRecord.objects.filter(owner=user, sha256=sha256)
    return records.values_list("work_id", flat=True).first()


def imported_hashes(*, user: User) -> dict[str, int]:
    """Every file `user` imported: content hash -> the work it became."""
    return dict(ImportRecord.objects.filter(owner=user).values_list("sha256", "work_id"))


def efiction_object_id(*, kind: str, efiction_id: int) -> int | None:
    """The new object an eFiction id became (the first archive migrated wins), or None."""
    return (
        EfictionMapping.objects.filter(kind=kind, efiction_id=efiction_id)
        .order_by("id")
        .values_list("object_id", flat=True)
        .first()
    )
