"""Writes of the catalogue's change log and of works' search documents.

Every service that changes what a listing, a count or a search shows calls these in
its own transaction: the works services, wrangling (a tag's works) and engagement
(counts only). They live in the works layer, the lowest those writers share; the
discovery app reads the log (`discovery.index`) and searches the documents.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from fanarchive.core.text import html_to_text
from fanarchive.tags.models import Tag
from fanarchive.tags.selectors import implied_by_tags
from fanarchive.works.catalogue_models import (
    CatalogueChange,
    CatalogueReader,
    SearchDocument,
    StaleSearchDocument,
)
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag
from fanarchive.works.selectors import newest_change_id

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


# One change to more works than this (the wrangling of a big tag) logs them all at once and
# leaves their search documents to the background catch-up, so the request stays short.
INLINE_DOCUMENTS_MAX = 200

# Who hears that search documents were queued: the catch-up task's queueing
# (`works.catalogue_tasks`), registered by the works app. Called inside the transaction.
_stale_listeners: list[Callable[[], None]] = []


def search_documents_queued_heard_by(listener: Callable[[], None]) -> None:
    """Call `listener()` whenever search documents are queued for the catch-up."""
    if listener not in _stale_listeners:
        _stale_listeners.append(listener)


def catalogue_works_changed(*, work_ids: Iterable[int], tags_only: bool = False) -> int:
    """`catalogue_work_changed` for every one of these works (a wrangling's works).

    Each is logged in this transaction, so listings and counts follow at once. Their search
    documents are rewritten here when they are few (`INLINE_DOCUMENTS_MAX`); otherwise they
    are queued for `search_documents_catch_up`, which a background task runs after the
    commit. `tags_only`: nothing changed but the tags the works are filed under (and tag
    names), so indexes re-file just those. Returns how many documents were queued (0:
    search is current already).
    """
    ids = sorted(set(work_ids))
    if len(ids) <= INLINE_DOCUMENTS_MAX:
        for work_id in ids:
            catalogue_work_changed(work_id=work_id)
        return 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _insert_ids(
        CatalogueChange,
        "work_id",
        ids,
        extra={"counts_only": False, "tags_only": tags_only, "created_at": now},
    )
    _insert_ids(StaleSearchDocument, "work_id", ids, extra={"queued_at": now})
    _logged()
    for listener in _stale_listeners:
        listener()
    return len(ids)


def _insert_ids(
    model: type[models.Model], column: str, ids: list[int], *, extra: dict[str, Any]
) -> None:
    """One row of `model` per id, in one statement: a hundred thousand rows in a fraction of
    a second, where `bulk_create` would build as many objects first. The ids go as one
    parameter: an array on PostgreSQL, a JSON array read by `json_each` on SQLite."""
    quote = connection.ops.quote_name
    names = ", ".join(quote(name) for name in (column, *extra))
    values = ", ".join(["%s"] * len(extra))
    table = quote(model._meta.db_table)
    # Only quoted names from the model's metadata and placeholders are formatted in.
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} ({names}) SELECT unnest(%s::bigint[]), {values}"
        params: list[Any] = [ids, *extra.values()]
    else:
        sql = f"INSERT INTO {table} ({names}) SELECT value, {values} FROM json_each(%s)"  # noqa: S608
        params = [*extra.values(), json.dumps(ids)]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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


def search_documents_catch_up(*, batch: int = REBUILD_BATCH) -> int:
    """Rewrite the queued search documents (`catalogue_works_changed`), oldest first, a
    batch per transaction; how many works were rewritten.

    Each batch locks its works before reading them, so a work edited meanwhile is read
    as committed, never written back from an older reading. Several runs at once share
    the queue (rows locked by one are skipped by the others, where the database can).
    """
    done = 0
    while True:
        with transaction.atomic():
            queued = StaleSearchDocument.objects.order_by("id")
            if connection.features.has_select_for_update_skip_locked:
                queued = queued.select_for_update(skip_locked=True)
            rows = list(queued.values_list("id", "work_id")[:batch])
            if not rows:
                return done
            work_ids = sorted({work_id for _, work_id in rows})
            list(Work.objects.filter(pk__in=work_ids).select_for_update().values_list("pk"))
            # Tags read afresh each batch: a wrangling during a long run is seen.
            _rebuild_batch(work_ids, _TagsRead())
            StaleSearchDocument.objects.filter(id__in=[row_id for row_id, _ in rows]).delete()
        done += len(work_ids)


# -- the log's readers, and pruning ----------------------------------------------------

# Every log entry is kept this long, whatever the readers say: an index saved within it
# (a host's last checkpoint) catches up rather than rebuilding, and a transaction that
# commits late is read by everyone still remembering the gap.
LOG_KEEP = timedelta(days=1)
# Log entries deleted per statement: short locks, even on a log of millions.
PRUNE_BATCH = 50_000

# Readers of the log keeping their positions elsewhere (the saved-filter alerts), registered
# by the apps above works: each gives the lowest entry it still needs, or None for none.
_log_needs: list[Callable[[], int | None]] = []


def catalogue_log_needed_by(need: Callable[[], int | None]) -> None:
    """Never prune the log at or past `need()` (once per callable)."""
    if need not in _log_needs:
        _log_needs.append(need)


def catalogue_reader_report(*, name: str, applied: int) -> None:
    """Reader `name` (a host's saved index) needs the log from entry `applied` on."""
    CatalogueReader.objects.update_or_create(
        name=name[:200], defaults={"applied": applied, "seen_at": timezone.now()}
    )


def catalogue_log_prune(*, keep: timedelta = LOG_KEEP) -> int:
    """Delete the log entries no reader needs any more; how many.

    Kept: every entry younger than `keep`, the newest entry, and everything from the lowest
    position a reader reported within `keep` (`catalogue_reader_report`) or a registered
    reader needs (`catalogue_log_needed_by`). A reader silent for longer than `keep` is
    forgotten; if it comes back, the entry it applied is gone and its index is built again.
    """
    now = timezone.now()
    CatalogueReader.objects.filter(seen_at__lt=now - keep).delete()
    newest = newest_change_id()
    if not newest:
        return 0
    recent = (
        CatalogueChange.objects.filter(created_at__gte=now - keep)
        .order_by("id")
        .values_list("id", flat=True)
        .first()
    )
    bounds = [newest if recent is None else recent]
    bounds.extend(CatalogueReader.objects.values_list("applied", flat=True))
    bounds.extend(needed for needed in (need() for need in _log_needs) if needed is not None)
    cutoff = min(bounds)
    low = CatalogueChange.objects.order_by("id").values_list("id", flat=True).first() or cutoff
    deleted = 0
    while low < cutoff:
        high = min(cutoff, low + PRUNE_BATCH)
        deleted += CatalogueChange.objects.filter(id__gte=low, id__lt=high).delete()[0]
        low = high
    return deleted
