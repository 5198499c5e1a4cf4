"""Engagement between users. For now only blocks; kudos, comments, bookmarks and the
inbox arrive with the engagement issue, which extends this app."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.tags.models import Tag
from fanarchive.works.models import Series, Work


class Block(models.Model):
    """`blocker` does not want to hear from `blocked`: no gifts now, comments and kudos later."""

    blocker = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_made")
    blocked = models.ForeignKey(User, on_delete=models.CASCADE, related_name="blocks_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique_pair"),
            models.CheckConstraint(condition=~Q(blocker=F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


# --- bookmarks, subscriptions, inbox, history ---


class Bookmark(models.Model):
    """A user's bookmark of a work or of a series (exactly one), under one of their pseuds."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="bookmarks")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="bookmarks"
    )
    # Sanitised HTML, like a work's notes.
    notes = models.TextField(blank=True)
    # The bookmarker's own tags: ordinary tags (additional tags), as on AO3.
    tags = models.ManyToManyField(Tag, blank=True, related_name="bookmarks")
    private = models.BooleanField(default=False)
    rec = models.BooleanField("recommendation", default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(work__isnull=False) & Q(series__isnull=True))
                | (Q(work__isnull=True) & Q(series__isnull=False)),
                name="bookmark_work_or_series",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="bookmark_one_per_user_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="bookmark_one_per_user_series",
            ),
        ]
        indexes = [models.Index(fields=["work", "private"], name="bookmark_work_private")]

    def __str__(self) -> str:
        return f"Bookmark by {self.user} of {self.work or self.series}"


class SubscriptionKind(models.TextChoices):
    WORK = "work", "Work"
    CREATOR = "creator", "Creator"
    SERIES = "series", "Series"


class Subscription(models.Model):
    """`user` hears of new chapters of a work, new works of a creator or new parts of a series."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="subscriptions")
    kind = models.CharField(max_length=10, choices=SubscriptionKind.choices)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    creator = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="subscribers"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="work", work__isnull=False, creator__isnull=True, series__isnull=True)
                    | Q(
                        kind="creator",
                        work__isnull=True,
                        creator__isnull=False,
                        series__isnull=True,
                    )
                    | Q(
                        kind="series", work__isnull=True, creator__isnull=True, series__isnull=False
                    )
                ),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(kind="work"), name="subscription_unique_work"
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(kind="creator"),
                name="subscription_unique_creator",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(kind="series"),
                name="subscription_unique_series",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} subscribes to {self.work or self.creator or self.series}"


class NoticeKind(models.TextChoices):
    COMMENT = "comment", "Comment on your work"
    REPLY = "reply", "Reply to your comment"
    COMMENT_PENDING = "comment_pending", "Comment awaiting approval"
    KUDOS = "kudos", "Kudos"
    SUBSCRIPTION = "subscription", "Subscription"
    GIFT = "gift", "Gift"
    INVITATION = "invitation", "Co-creator invitation"


class Notice(models.Model):
    """One message in a user's inbox, and the state of its e-mail."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=NoticeKind.choices)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)  # plain text, an excerpt
    url = models.CharField(max_length=500, blank=True)  # a local path
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment_id = models.BigIntegerField(null=True, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    read_at = models.DateTimeField(null=True, blank=True)
    # How the notice is mailed ("" none, "immediate", "daily") and when it was.
    email = models.CharField(max_length=10, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notice_recipient_read"),
            models.Index(fields=["recipient", "email", "emailed_at"], name="notice_email_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient}: {self.subject}"


class ReadingHistory(models.Model):
    """A user's reading of one work: when last, how often, which chapter; marked for later."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reading_history")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    chapter_id = models.BigIntegerField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    last_read_at = models.DateTimeField(null=True, blank=True)
    marked_for_later = models.BooleanField(default=False)

    class Meta:
        ordering = ["-last_read_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="history_one_per_user_work"),
        ]
        indexes = [models.Index(fields=["user", "-last_read_at"], name="history_user_recent")]

    def __str__(self) -> str:
        return f"{self.user} read {self.work_id}"
