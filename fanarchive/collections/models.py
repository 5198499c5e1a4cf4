"""Collections: named groups of works (and bookmarks) run by owners and moderators.

The rules (who may add, approve, reveal) live in the services; these are the tables.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.engagement.models import Bookmark
from fanarchive.works.models import Work

# AO3's limits for a collection's name and title.
NAME_MAX_LENGTH = 255
TITLE_MAX_LENGTH = 255
HEADER_TEXT_MAX_LENGTH = 1000
DESCRIPTION_MAX_LENGTH = 5000
RULES_MAX_LENGTH = 5000


class Collection(models.Model):
    # Letters, digits and underscores; unique whatever the case (see `collection_name_q`).
    name = models.CharField(max_length=NAME_MAX_LENGTH)
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    description = models.TextField(blank=True)  # sanitised HTML
    header_text = models.TextField(blank=True)  # plain text, shown above the profile
    rules = models.TextField(blank=True)  # sanitised HTML
    # One level of sub-collections: a sub-collection has no children of its own.
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    # Closed: no new works can be added.
    closed = models.BooleanField(default=False)
    # Moderated: a work added waits for a moderator's approval.
    moderated = models.BooleanField(default=False)
    # Unrevealed: its works are hidden from all but their creators and moderators.
    unrevealed = models.BooleanField(default=False)
    # Anonymous: its works' creators are shown as "Anonymous".
    anonymous = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="collection_name_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("collections:detail", args=[self.name])


class ParticipantRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MODERATOR = "moderator", _("Moderator")
    MEMBER = "member", _("Member")
    INVITED = "invited", _("Invited")


# Roles that may approve, reject, invite and reveal.
MODERATING_ROLES = (ParticipantRole.OWNER, ParticipantRole.MODERATOR)


class CollectionParticipant(models.Model):
    collection = models.ForeignKey(
        Collection, on_delete=models.CASCADE, related_name="participants"
    )
    pseud = models.ForeignKey(
        Pseud, on_delete=models.CASCADE, related_name="collection_participations"
    )
    role = models.CharField(max_length=10, choices=ParticipantRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["collection", "pseud"], name="collection_participant_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} ({self.role}) in {self.collection}"


class Approval(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class CollectionItem(models.Model):
    """A work or a bookmark in a collection; shown when both sides have approved it."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="collection_items"
    )
    bookmark = models.ForeignKey(
        Bookmark,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="collection_items",
    )
    # The collection's moderators' answer, and the creator's (when invited).
    collection_approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.UNREVIEWED
    )
    user_approval = models.CharField(
        max_length=10, choices=Approval.choices, default=Approval.UNREVIEWED
    )
    # Copied from the collection when added; turned off by the reveals.
    unrevealed = models.BooleanField(default=False)
    anonymous = models.BooleanField(default=False)
    added_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, bookmark__isnull=True)
                    | Q(work__isnull=True, bookmark__isnull=False)
                ),
                name="collection_item_work_xor_bookmark",
            ),
            models.UniqueConstraint(
                fields=["collection", "work"],
                condition=Q(work__isnull=False),
                name="collection_item_unique_work",
            ),
            models.UniqueConstraint(
                fields=["collection", "bookmark"],
                condition=Q(bookmark__isnull=False),
                name="collection_item_unique_bookmark",
            ),
        ]
        indexes = [
            models.Index(
                fields=["collection", "collection_approval", "user_approval"],
                name="collection_item_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work or self.bookmark} in {self.collection}"

    @property
    def approved(self) -> bool:
        return (
            self.collection_approval == Approval.APPROVED
            and self.user_approval == Approval.APPROVED
        )
