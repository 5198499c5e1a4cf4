"""Engagement between users: blocks, kudos, comments, hits (and bookmarks, subscriptions
and the inbox, in their own section)."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fanarchive.accounts.models import User


class Block(models.Model):
    """`blocker` does not want to hear from `blocked`: no gifts, comments or kudos."""

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


# -- kudos, comments, hits -------------------------------------------------------------


class Kudos(models.Model):
    """A reader liked a work: one per account, or per guest (a keyed hash of the IP), per work."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        User, on_delete=models.CASCADE, null=True, blank=True, related_name="kudos_given"
    )
    # HMAC-SHA256 of the guest's IP address (see engagement.visitors); never the address.
    # NULL (not "") for accounts, so exactly one of user and guest_key is set.
    guest_key = models.CharField(max_length=64, blank=True, null=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], name="kudos_one_per_user", condition=Q(user__isnull=False)
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                name="kudos_one_per_guest",
                condition=Q(guest_key__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False, guest_key__isnull=True)
                | Q(user__isnull=True, guest_key__isnull=False),
                name="kudos_user_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id} from {self.user or 'a guest'}"


class CommentState(models.TextChoices):
    PUBLISHED = "published", "Published"
    PENDING = "pending", "Awaiting approval"


class Comment(models.Model):
    """A comment on a chapter, or a reply to another comment (`parent`), AO3 style.

    An account comments under one of its pseuds; a guest leaves a name (and optionally
    an e-mail address, never shown). `text` is sanitised HTML. A deleted comment that
    has replies is kept as "(Previous comment deleted.)" so the thread stays whole.
    """

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey("works.Chapter", on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The first comment of the thread (itself for a top-level comment once saved).
    thread_root = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    pseud = models.ForeignKey(
        "accounts.Pseud", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    # Keyed hash of a guest's IP: only for the guests' rate limit.
    guest_key = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.PUBLISHED
    )
    frozen = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["work", "state", "deleted"], name="comment_work_idx"),
            models.Index(fields=["chapter", "created_at"], name="comment_chapter_idx"),
            models.Index(fields=["user", "created_at"], name="comment_user_recent_idx"),
            models.Index(fields=["guest_key", "created_at"], name="comment_guest_recent_idx"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"

    @property
    def approved(self) -> bool:
        return self.state == CommentState.PUBLISHED

    @property
    def author_name(self) -> str:
        if self.pseud is not None:
            return self.pseud.byline
        if self.user is not None:
            return self.user.username
        return self.guest_name or "Anonymous"


class HitMark(models.Model):
    """One visitor read one work on one day: the daily-unique marker and the hit buffer.

    Inserted (never updated) while reading; `counted` is set by `hits_flush`, which adds
    the uncounted marks to `WorkHitCount` and prunes marks of past days.
    """

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    # "u<user id>" for accounts, "g<keyed hash of the IP>" for guests.
    visitor = models.CharField(max_length=80)
    day = models.DateField()
    counted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "visitor", "day"], name="hitmark_unique"),
        ]
        indexes = [
            models.Index(fields=["work"], name="hitmark_uncounted_idx", condition=Q(counted=False)),
        ]

    def __str__(self) -> str:
        return f"hit on {self.work_id} on {self.day}"


class WorkHitCount(models.Model):
    """Hits of a work so far (flushed from `HitMark` by a background task)."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="hit_count"
    )
    hits = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.hits} hits on {self.work_id}"


class HitFlushSchedule(models.Model):
    """One row: when a hit flush was last queued, so it is queued at most every 30 s."""

    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"hit flush queued at {self.queued_at}"
