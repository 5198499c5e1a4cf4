from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.tags.models import Tag


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
