"""Writes of the catalogue's change log and of works' search documents.

Every service that changes what a listing, a count or a search shows calls these in
its own transaction: the works services, wrangling (a tag's works) and engagement
(counts only). They live in the works layer, the lowest those writers share; the
discovery app reads the log (`discovery.index`) and searches the documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction

from fanarchive.core.text import html_to_text
from fanarchive.tags.models import Tag
from fanarchive.tags.selectors import implied_by_tags
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag

# PostgreSQL's tsvector has a 1 MB limit; the first ~50,000 words of a work are searchable.
BODY_MAX = 300_000


def catalogue_work_changed(*, work_id: int) -> None:
    """Log that a work's listing data changed (tags, visibility, counts, existence).

    Call inside the transaction that makes the change. Also rewrites the work's
    search document in that transaction, so search never lags behind the work.
    """
    CatalogueChange.objects.create(work_id=work_id)
    search_document_refresh(work_id=work_id)


def catalogue_counts_changed(*, work_ids: Iterable[int]) -> None:
    """Log that these works' engagement counts changed (call inside the change's transaction).

    Indexes then refresh just the counts; no search document is rewritten.
    """
    CatalogueChange.objects.bulk_create(
        [CatalogueChange(work_id=work_id, counts_only=True) for work_id in sorted(set(work_ids))]
    )


@dataclass
class WorkText:
    """What a work's search document is made of: its fields, creators, tags and chapters.

    `creators` are (pseud name, user name) in byline order; `tags` the work's own
    tags (what they imply through wrangling is added here); `chapters` the posted
    chapters in order, as (title, summary, notes, end notes, content) with the
    summaries, notes and content as stored HTML.
    """

    title: str
    summary: str
    notes: str
    endnotes: str
    creators: list[tuple[str, str]]
    tags: list[Tag]
    chapters: list[tuple[str, str, str, str, str]]
    # An anonymous work's creators are not searchable (`Work.anonymous`).
    anonymous: bool = False


def catalogue_work_created(*, work_id: int, text: WorkText | None) -> None:
    """`catalogue_work_changed` for a work created in this transaction, from what the
    posting service has in memory: the same change-log entry, and for a posted work
    (`text` given; None for a draft) the same search document, without reading back
    what was just written."""
    CatalogueChange.objects.create(work_id=work_id)
    if text is not None:
        SearchDocument.objects.create(work_id=work_id, **_document_fields(text))


def _plain(html: str) -> str:
    return html_to_text(html).strip()


@dataclass
class _TagsRead:
    """What a batch of works' tags imply (`implied_by_tags` of all of them) and the tags
    read so far, so that each work's document costs no query of its own."""

    implied: dict[int, set[int]]
    known: dict[int, Tag]


def _tag_names(tags: list[Tag], read: _TagsRead | None = None) -> str:
    """The names of the tags and of everything they imply, ordered as tags are.

    What they imply is read in this transaction, as the catalogue files the work
    (`discovery.tagging`): a work being posted is found under the same tags.
    """
    if read is None:
        read = _TagsRead(implied_by_tags(tags), {})
    known = {tag.pk: tag for tag in tags} | read.known
    wanted: set[int] = set().union(*(read.implied[tag.pk] for tag in tags))
    if wanted - known.keys():
        known.update(Tag.objects.in_bulk(wanted - known.keys()))
    found = sorted((known[pk] for pk in wanted), key=lambda t: (str(t.type), t.sort_order, t.name))
    return " ; ".join(tag.name for tag in found)


def _document_fields(text: WorkText, tags_read: _TagsRead | None = None) -> dict[str, str]:
    parts: list[str] = []
    size = 0
    for title, summary, notes, endnotes, content in text.chapters:
        for part in (title, _plain(summary), _plain(notes), _plain(content), _plain(endnotes)):
            if part and size < BODY_MAX:
                parts.append(part[: BODY_MAX - size])
                size += len(parts[-1]) + 2
    return {
        "title": text.title,
        "creators": ""
        if text.anonymous
        else " ; ".join(f"{name} {username}" for name, username in text.creators),
        "tags": _tag_names(text.tags, tags_read),
        "summary": _plain(text.summary),
        "notes": " ".join(filter(None, (_plain(text.notes), _plain(text.endnotes)))),
        "body": "\n\n".join(parts),
    }


def search_document_refresh(*, work_id: int) -> None:
    """Rewrite the searchable text of a work: posted works only, drafts are never searchable."""
    work = Work.objects.filter(pk=work_id, posted=True).first()
    if work is None:
        SearchDocument.objects.filter(work_id=work_id).delete()
        return
    text = WorkText(
        title=work.title,
        summary=work.summary,
        notes=work.notes,
        endnotes=work.endnotes,
        creators=list(
            Creatorship.objects.filter(work_id=work_id).values_list(
                "pseud__name", "pseud__user__username"
            )
        ),
        tags=list(
            Tag.objects.filter(pk__in=WorkTag.objects.filter(work_id=work_id).values("tag_id"))
        ),
        chapters=list(
            Chapter.objects.filter(work_id=work_id, posted=True)
            .order_by("position")
            .values_list("title", "summary", "notes", "endnotes", "content")
        ),
        anonymous=work.anonymous,
    )
    SearchDocument.objects.update_or_create(work_id=work_id, defaults=_document_fields(text))


# Works per batch of `search_documents_rebuild`: a few queries each, bounded memory.
REBUILD_BATCH = 500


def search_documents_rebuild(*, work_ids: Sequence[int]) -> None:
    """`search_document_refresh` for many works (`reindex --search`, after a restore):
    the same documents, read in six queries and written in one per batch."""
    for start in range(0, len(work_ids), REBUILD_BATCH):
        with transaction.atomic():
            _rebuild_batch(list(work_ids[start : start + REBUILD_BATCH]))


def _rebuild_batch(batch: list[int]) -> None:
    works = list(
        Work.objects.filter(pk__in=batch, posted=True)
        .order_by("pk")
        .only("pk", "title", "summary", "notes", "endnotes", "anonymous")
    )
    posted = [work.pk for work in works]
    creators: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for work_id, name, username in (
        Creatorship.objects.filter(work_id__in=posted)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__name", "pseud__user__username")
    ):
        creators[work_id].append((name, username))
    tags: dict[int, list[Tag]] = defaultdict(list)
    for link in WorkTag.objects.filter(work_id__in=posted).select_related("tag"):
        tags[link.work_id].append(link.tag)
    chapters: dict[int, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for work_id, *chapter in (
        Chapter.objects.filter(work_id__in=posted, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "title", "summary", "notes", "endnotes", "content")
    ):
        chapters[work_id].append(tuple(chapter))  # type: ignore[arg-type]
    every_tag = {tag.pk: tag for work_tags in tags.values() for tag in work_tags}
    implied = implied_by_tags(every_tag.values())
    wanted: set[int] = set().union(*implied.values())
    every_tag.update(Tag.objects.in_bulk(wanted - every_tag.keys()))
    tags_read = _TagsRead(implied, every_tag)
    documents = [
        SearchDocument(
            work_id=work.pk,
            **_document_fields(
                WorkText(
                    title=work.title,
                    summary=work.summary,
                    notes=work.notes,
                    endnotes=work.endnotes,
                    creators=creators[work.pk],
                    tags=tags[work.pk],
                    chapters=chapters[work.pk],
                    anonymous=work.anonymous,
                ),
                tags_read,
            ),
        )
        for work in works
    ]
    SearchDocument.objects.filter(work_id__in=batch).delete()
    SearchDocument.objects.bulk_create(documents)
