"""Writes of the catalogue's change log and of works' search documents.

Every service that changes what a listing, a count or a search shows calls these in
its own transaction: the works services, wrangling (a tag's works) and engagement
(counts only). They live in the works layer, the lowest those writers share; the
discovery app reads the log (`discovery.index`) and searches the documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


def _tag_names(tags: list[Tag]) -> str:
    """The names of the tags and of everything they imply, ordered as tags are.

    What they imply is read in this transaction, as the catalogue files the work
    (`discovery.tagging`): a work being posted is found under the same tags.
    """
    known = {tag.pk: tag for tag in tags}
    wanted: set[int] = set().union(*implied_by_tags(tags).values())
    if wanted - known.keys():
        known.update(Tag.objects.in_bulk(wanted - known.keys()))
    found = sorted((known[pk] for pk in wanted), key=lambda t: (str(t.type), t.sort_order, t.name))
    return " ; ".join(tag.name for tag in found)


def _document_fields(text: WorkText) -> dict[str, str]:
    parts: list[str] = []
    size = 0
    for title, summary, notes, endnotes, content in text.chapters:
        for part in (title, _plain(summary), _plain(notes), _plain(content), _plain(endnotes)):
            if part and size < BODY_MAX:
                parts.append(part[: BODY_MAX - size])
                size += len(parts[-1]) + 2
    return {
        "title": text.title,
        "creators": " ; ".join(f"{name} {username}" for name, username in text.creators),
        "tags": _tag_names(text.tags),
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
    )
    SearchDocument.objects.update_or_create(work_id=work_id, defaults=_document_fields(text))
