from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.tags.models import Tag


class MutedTag(models.Model):
    """A tag a reader never wants to see: works with it vanish from everything they list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    # No fandoms: muted everywhere. Some: muted only in works of any of these fandoms.
    fandoms = models.ManyToManyField(Tag, blank=True, related_name="+")
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
    # No fandoms: muted everywhere. Some: muted only in works of any of these fandoms.
    fandoms = models.ManyToManyField(Tag, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "creator"], name="mutedcreator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} mutes {self.creator}"


class ListingPreference(models.Model):
    """A reader's standing listing preferences, applied like mutes wherever works are listed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    hide_anonymous = models.BooleanField(default=False)
    # A crossover: a work whose fandoms reach more than one canonical fandom (see catalogue).
    hide_crossovers = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"listing preferences of {self.user}"


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


class SavedFilterAlert(models.Model):
    """A reader's subscription to one of their saved filters: works that enter it later
    reach their inbox (`discovery.alert_services`). Deleting it unsubscribes."""

    saved_filter = models.OneToOneField(SavedFilter, on_delete=models.CASCADE, related_name="alert")
    # The catalogue change log's newest entry when the reader subscribed: only later
    # changes can bring a work into the filter.
    since_change = models.BigIntegerField(default=0)
    # The works the filter listed for the reader then (a serialized roaring bitmap):
    # they did not enter it, so they are never alerted.
    baseline = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"alerts of {self.saved_filter}"


class SavedFilterAlertSent(models.Model):
    """A work a reader was alerted of through a saved filter: once per work, ever."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    saved_filter = models.ForeignKey(
        SavedFilter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="savedfilteralertsent_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} alerted of work {self.work_id}"


class SavedFilterAlertPosition(models.Model):
    """How far the alerts have read the catalogue change log (one row, pk 1).

    `applied` is the newest entry read; `gaps` the ids below it not yet seen (on
    PostgreSQL an id may commit after a later one), as {id: first seen, unix seconds},
    asked for again until they are old enough to have been rolled back.
    """

    applied = models.BigIntegerField(default=0)
    gaps = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"saved filter alerts at change {self.applied}"
