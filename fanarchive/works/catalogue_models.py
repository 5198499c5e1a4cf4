"""The catalogue's change log and the works' search documents.

They are written by every service that changes what a listing or a search shows
(works, wrangling, engagement counts), in that change's transaction, so they live in
the lowest layer those writers share; the discovery app reads them. The tables keep
the names they were created with in the discovery app (`discovery_cataloguechange`,
`discovery_searchdocument`): the full-text triggers and columns of discovery's
migrations refer to them.
"""

from __future__ import annotations

from django.db import models


class CatalogueChange(models.Model):
    """One entry of the catalogue's change log.

    Written in the same transaction as the change itself, so the log never
    claims a change that was rolled back nor misses one that was committed. The
    auto-increment id is the monotonic sequence every process catches up from.
    `work_id` is a plain number, not a foreign key: a deleted work must still be
    logged so that indexes drop it. `counts_only` entries say that only the work's
    engagement counts changed (kudos, comments, bookmarks, hits): indexes then refresh
    just those numbers, and no search document is rewritten. `tags_only` entries say
    that only the tags the work is filed under changed (a wrangling of many works):
    indexes then re-file just its tags.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(db_index=True)
    counts_only = models.BooleanField(default=False)
    # A database default too: a data migration written before this column inserts without it.
    tags_only = models.BooleanField(default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "discovery_cataloguechange"
        indexes = [
            # The entries past a wrangling's "tags only" ones, found without walking them
            # (`discovery.index.live` applies them ahead of a big catch-up).
            models.Index(
                fields=["id"],
                condition=models.Q(tags_only=False),
                name="catalogue_change_not_tags",
            )
        ]

    def __str__(self) -> str:
        return f"change {self.pk} of work {self.work_id}"


class SearchDocument(models.Model):
    """The searchable text of one posted work, rewritten in the work's own transaction.

    SQLite indexes it with an external-content FTS5 table kept in step by
    triggers; PostgreSQL with weighted `tsvector` columns and GIN indexes (created by
    discovery's migrations 0003, 0004 and 0006; computed once per write by a trigger
    since works migration 0009). Deleting the
    work deletes its document.
    """

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title = models.TextField()
    creators = models.TextField(blank=True)
    tags = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    body = models.TextField(blank=True)

    class Meta:
        db_table = "discovery_searchdocument"

    def __str__(self) -> str:
        return f"search document of work {self.work_id}"


class StaleSearchDocument(models.Model):
    """A work whose search document must be rewritten by the background catch-up
    (`catalogue_services.search_documents_catch_up`).

    Queued beside the work's change-log entry, in the same transaction, when one change
    touches too many works to rewrite their documents inside it (a wrangling of a big
    tag): listings and counts follow the log at once, full text within minutes. A work
    may be queued more than once; a run deletes exactly the rows it read, so a work
    queued again while it runs is rewritten again.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField()
    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"search document of work {self.work_id} to rewrite"


class CatalogueReader(models.Model):
    """How far one host's saved catalogue index has applied the change log, as it last said.

    Each host's task worker saves the host's index caught up and reports its position
    every 15 minutes (`discovery.index.live.checkpoint`); the log is pruned below the
    lowest position reported within the keep period (`catalogue_services.catalogue_log_prune`).
    A host silent for longer is forgotten: if it comes back, the entry its saved index
    applied is gone, and its index is built again.
    """

    name = models.CharField(max_length=200, unique=True)
    applied = models.BigIntegerField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.name} at change {self.applied}"
