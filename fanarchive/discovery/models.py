from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.tags.models import Tag


class CatalogueChange(models.Model):
    """One entry of the catalogue's change log.

    Written in the same transaction as the change itself, so the log never
    claims a change that was rolled back nor misses one that was committed. The
    auto-increment id is the monotonic sequence every process catches up from.
    `work_id` is a plain number, not a foreign key: a deleted work must still be
    logged so that indexes drop it. `counts_only` entries say that only the work's
    engagement counts changed (kudos, comments, bookmarks, hits): indexes then refresh
    just those numbers, and no search document is rewritten.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(db_index=True)
    counts_only = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"change {self.pk} of work {self.work_id}"


class SearchDocument(models.Model):
    """The searchable text of one posted work, rewritten in the work's own transaction.

    SQLite indexes it with an external-content FTS5 table kept in step by
    triggers; PostgreSQL with a generated, weighted `tsvector` column and a GIN
    index (both created by migration 0002). Deleting the work deletes its document.
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

    def __str__(self) -> str:
        return f"search document of work {self.work_id}"


class MutedTag(models.Model):
    """A tag a reader never wants to see: works with it vanish from everything they list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tag"], name="mutedtag_unique")]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.tag}"


class MutedCreator(models.Model):
    """A creator (an account, with all its pseuds) a reader never wants to see."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "creator"], name="mutedcreator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.creator}"


class SavedFilter(models.Model):
    """A named filter: the query string of a /works search, kept on the account."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(max_length=100)
    query_string = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedfilter_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
