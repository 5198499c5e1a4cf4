"""Writes of the catalogue's change log and of works' search documents.

Every service that changes what a listing, a count or a search shows calls these in
its own transaction: the works services, wrangling (a tag's works) and engagement
(counts only). They live in the works layer, the lowest those writers share; the
discovery app reads the log (`discovery.index`) and searches the documents.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction

from fanarchive.core.text import html_to_text
from fanarchive.tags.models import Tag
from fanarchive.tags.selectors import implied_by_tags
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag

# PostgreSQL's tsvector has a 1 MB limit; the first ~50,000 words of a work are searchable.
BODY_MAX = 300_000
# A search document's text fields, as `_document_fields` gives them.
DOCUMENT_FIELDS = ("title", "creators", "tags", "summary", "notes", "body")


# Who hears that a work's entry was logged (not counts only): the saved-filter alerts
# (`discovery.alert_tasks`), registered by the discovery app, which sits above works. Each
# is called inside the change's transaction, as a direct call would be.
_log_listeners: list[Callable[[], None]] = []


def catalogue_log_heard_by(listener: Callable[[], None]) -> None:
    """Call `listener()` whenever a work's change is logged (once per listener)."""
    if listener not in _log_listeners:
        _log_listeners.append(listener)


def _logged() -> None:
    for listener in _log_listeners:
        listener()


def catalogue_work_changed(*, work_id: int) -> None:
    """Log that a work's listing data changed (tags, visibility, counts, existence).

    Call inside the transaction that makes the change. Also rewrites the work's
    search document in that transaction, so search never lags behind the work.
    """
    CatalogueChange.objects.create(work_id=work_id)
    search_document_refresh(work_id=work_id)
    _logged()


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
    # An anonymous work's creators are not searchable (`Work.anonymous`, or in an
    # anonymous collection: `Work.anonymous_by_collection`).
    anonymous: bool = False


def catalogue_work_created(*, work_id: int, text: WorkText | None) -> None:
    """`catalogue_work_changed` for a work created in this transaction, from what the
    posting service has in memory: the same change-log entry, and for a posted work
    (`text` given; None for a draft) the same search document, without reading back
    what was just written."""
    CatalogueChange.objects.create(work_id=work_id)
    if text is not None:
        SearchDocument.objects.create(work_id=work_id, **_document_fields(text))
    _logged()


def _plain(html: str) -> str:
    return html_to_text(html).strip()


# What a tag's name needs in a search document: enough for `implied_by_tags` and the order.
_TAG_FIELDS = ("id", "name", "type", "sort_order", "canonical", "synonym_of_id")


@dataclass
class _TagsRead:
    """Tags read so far and what each implies (`implied_by_tags`), kept across the works
    of a rebuild so that each tag is read once, not once per work that carries it."""

    implied: dict[int, set[int]] = field(default_factory=dict)
    known: dict[int, Tag] = field(default_factory=dict)

    def load(self, tag_ids: Iterable[int]) -> None:
        missing = {tag_id for tag_id in tag_ids if tag_id not in self.known}
        if missing:
            self.known.update(Tag.objects.only(*_TAG_FIELDS).in_bulk(missing))

    def imply(self, tags: Iterable[Tag]) -> None:
        new = [tag for tag in tags if tag.pk not in self.implied]
        for tag in new:
            self.known.setdefault(tag.pk, tag)
        if new:
            self.implied.update(implied_by_tags(new))

    def order(self, tag_id: int) -> tuple[str, int, str]:
        tag = self.known[tag_id]
        return (str(tag.type), tag.sort_order, tag.name)


def _tag_names(tags: list[Tag], read: _TagsRead | None = None) -> str:
    """The names of the tags and of everything they imply, ordered as tags are.

    What they imply is read in this transaction, as the catalogue files the work
    (`discovery.tagging`): a work being posted is found under the same tags.
    """
    if read is None:
        read = _TagsRead()
    read.imply(tags)
    wanted: set[int] = set().union(*(read.implied[tag.pk] for tag in tags))
    read.load(wanted)
    return " ; ".join(read.known[pk].name for pk in sorted(wanted, key=read.order))


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
        anonymous=work.anonymous or work.anonymous_by_collection,
    )
    SearchDocument.objects.update_or_create(work_id=work_id, defaults=_document_fields(text))


# Works per batch of `search_documents_rebuild`: a few queries each, bounded memory.
REBUILD_BATCH = 500


def search_documents_rebuild(
    *, work_ids: Sequence[int], progress: Callable[[int], object] | None = None
) -> None:
    """`search_document_refresh` for many works (`reindex --search`, after a restore):
    the same documents, read in a few queries and written in one per batch of
    `REBUILD_BATCH`, each tag read once for the whole rebuild; `progress(n)` after each."""
    tags_read = _TagsRead()
    for start in range(0, len(work_ids), REBUILD_BATCH):
        batch = list(work_ids[start : start + REBUILD_BATCH])
        with transaction.atomic():
            _rebuild_batch(batch, tags_read)
        if progress is not None:
            progress(len(batch))


def _rebuild_batch(batch: list[int], tags_read: _TagsRead) -> None:
    works = list(
        Work.objects.filter(pk__in=batch, posted=True)
        .order_by("pk")
        .values_list(
            "pk", "title", "summary", "notes", "endnotes", "anonymous", "anonymous_by_collection"
        )
    )
    posted = [work[0] for work in works]
    creators: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for work_id, name, username in (
        Creatorship.objects.filter(work_id__in=posted)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__name", "pseud__user__username")
    ):
        creators[work_id].append((name, username))
    links = list(WorkTag.objects.filter(work_id__in=posted).values_list("work_id", "tag_id"))
    tags_read.load(tag_id for _, tag_id in links)
    tags: dict[int, list[Tag]] = defaultdict(list)
    for work_id, tag_id in links:
        tags[work_id].append(tags_read.known[tag_id])
    # What the batch's tags imply, in one metatag query rather than one a work.
    tags_read.imply(tags_read.known[tag_id] for _, tag_id in links)
    chapters: dict[int, list[tuple[str, str, str, str, str]]] = defaultdict(list)
    for work_id, *chapter in (
        Chapter.objects.filter(work_id__in=posted, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "title", "summary", "notes", "endnotes", "content")
    ):
        chapters[work_id].append(tuple(chapter))  # type: ignore[arg-type]
    documents = [
        (
            pk,
            _document_fields(
                WorkText(
                    title=title,
                    summary=summary,
                    notes=notes,
                    endnotes=endnotes,
                    creators=creators[pk],
                    tags=tags[pk],
                    chapters=chapters[pk],
                    anonymous=anonymous or anonymous_by_collection,
                ),
                tags_read,
            ),
        )
        for pk, title, summary, notes, endnotes, anonymous, anonymous_by_collection in works
    ]
    SearchDocument.objects.filter(work_id__in=batch).delete()
    _documents_write(documents)


def _documents_write(documents: list[tuple[int, dict[str, str]]]) -> None:
    """Insert new search documents: on PostgreSQL by one COPY (its trigger computes the
    vectors all the same), a good part cheaper for the client than an INSERT's
    parameters; elsewhere by `bulk_create`."""
    if connection.vendor != "postgresql":
        SearchDocument.objects.bulk_create(
            SearchDocument(work_id=pk, **fields) for pk, fields in documents
        )
        return
    columns = ["work_id", *DOCUMENT_FIELDS]
    quote = connection.ops.quote_name
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {quote(SearchDocument._meta.db_table)} "
            f"({', '.join(quote(c) for c in columns)}) FROM STDIN"
        ) as copy,
    ):
        for pk, fields in documents:
            copy.write_row([pk, *(fields[name] for name in DOCUMENT_FIELDS)])
