"""Engagement between users: kudos, comments, hits (and bookmarks, subscriptions
and the inbox, in their own section)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.tags.models import Tag
from fanarchive.works.models import Series, Work

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
        verbose_name_plural = _("kudos")
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


# How a comment whose author deleted their account names its author, everywhere.
DELETED_ACCOUNT = _("(deleted account)")


class CommentState(models.TextChoices):
    PUBLISHED = "published", _("Published")
    PENDING = "pending", _("Awaiting approval")
    # Hidden by a moderator: shown only to its author (with `hidden_reason`) and moderators.
    HIDDEN = "hidden", _("Hidden by a moderator")
    # Held by the spam rules (`held_reason`) until a moderator approves it: shown only to
    # its author and moderators, counted nowhere, nobody notified (engagement.spam_*).
    HELD = "held", _("Held for moderation")


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
    # Its author deleted their account and chose to leave their comments: shown as
    # "(deleted account)" (portability.deletion_services).
    author_deleted = models.BooleanField(default=False)
    # Keyed hash of a guest's IP: only for the guests' rate limit.
    guest_key = models.CharField(max_length=64, blank=True)
    text = models.TextField()
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.PUBLISHED
    )
    frozen = models.BooleanField(default=False)
    deleted = models.BooleanField(default=False)
    # Why a moderator hid it (state "hidden"), shown to its author.
    hidden_reason = models.TextField(blank=True)
    # Why the spam rules held it (state "held"), for the moderators' list.
    held_reason = models.CharField(max_length=200, blank=True)
    # SHA-256 of the text normalised (tags stripped, lower case, spaces collapsed): the
    # same comment on several works is found by it (engagement.spam_selectors).
    fingerprint = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["work", "state", "deleted"], name="comment_work_idx"),
            models.Index(fields=["chapter", "created_at"], name="comment_chapter_idx"),
            models.Index(fields=["user", "created_at"], name="comment_user_recent_idx"),
            models.Index(fields=["guest_key", "created_at"], name="comment_guest_recent_idx"),
            # The moderators' list and count of held comments (few among many).
            models.Index(fields=["created_at"], name="comment_held_idx", condition=Q(state="held")),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"

    @property
    def approved(self) -> bool:
        return self.state == CommentState.PUBLISHED

    @property
    def author_name(self) -> str:
        if self.author_deleted:
            return str(DELETED_ACCOUNT)
        if self.pseud is not None:
            return self.pseud.byline
        if self.user is not None:
            return self.user.username
        return self.guest_name or str(_("Anonymous"))


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


class WorkHitDay(models.Model):
    """Hits of a work on one day (UTC), counted by the same flush as `WorkHitCount`: the
    creator's statistics by day (the marks themselves are pruned once counted)."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    hits = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "day"], name="engagement_hit_day_unique")
        ]

    def __str__(self) -> str:
        return f"{self.hits} hits on {self.work_id} on {self.day}"


class HitFlushSchedule(models.Model):
    """One row: when a hit flush was last queued, so it is queued at most every 30 s."""

    queued_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"hit flush queued at {self.queued_at}"


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
    WORK = "work", _("Work")
    CREATOR = "creator", _("Creator")
    SERIES = "series", _("Series")


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
    COMMENT = "comment", _("Comment on your work")
    REPLY = "reply", _("Reply to your comment")
    COMMENT_PENDING = "comment_pending", _("Comment awaiting approval")
    KUDOS = "kudos", _("Kudos")
    SUBSCRIPTION = "subscription", _("Subscription")
    GIFT = "gift", _("Gift")
    INVITATION = "invitation", _("Co-creator invitation")
    MODERATION = "moderation", _("Moderation")
    COLLECTION = "collection", _("Collection")


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


class ReadingStatus(models.TextChoices):
    """Where a work stands on a reader's reading list (beside "marked for later")."""

    WANT = "want", _("Want to read")
    READING = "reading", _("Reading")
    FINISHED = "finished", _("Finished")
    ON_HOLD = "on_hold", _("On hold")
    DROPPED = "dropped", _("Dropped")


class ReadingListEntry(models.Model):
    """One work on a reader's reading list, with its status and, while "reading", the
    last chapter they opened (fed from the reading pages, `reading_services.work_opened`)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="reading_list")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ReadingStatus.choices)
    chapter_id = models.BigIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-added_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="reading_list_one_per_work"),
            models.CheckConstraint(
                condition=Q(status__in=ReadingStatus.values), name="reading_list_known_status"
            ),
        ]
        indexes = [
            models.Index(fields=["user", "status", "-added_at"], name="reading_list_user_status")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.status} {self.work_id}"
