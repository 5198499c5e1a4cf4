"""Reports, the moderation queue's decisions and appeals.

A `Report` names what it is about by type and id (`target_type`, `target_id`) and keeps a
`snapshot` of it as it was when reported, so a moderator sees what the reporter saw even
after the thing was edited or deleted. Written only by the moderation services.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportCategory(models.TextChoices):
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment")
    NCII = "ncii", _("Non-consensual intimate imagery")
    COPYRIGHT = "copyright", _("Copyright")
    RATING = "rating", _("Content not matching its rating or warnings")
    UNDERAGE = "underage", _("Underage user")
    OTHER = "other", _("Other")


class ReportTarget(models.TextChoices):
    WORK = "work", _("Work")
    CHAPTER = "chapter", _("Chapter")
    COMMENT = "comment", _("Comment")
    BOOKMARK = "bookmark", _("Bookmark")
    USER = "user", _("User")
    PSEUD = "pseud", _("Pseud")
    TAG = "tag", _("Tag")
    COLLECTION = "collection", _("Collection")


class ReportState(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    NONE = "none", _("No action")
    WARN = "warn", _("Warn")
    HIDE = "hide", _("Hide")
    DELETE = "delete", _("Delete")
    SUSPEND = "suspend", _("Suspend")
    RERATE = "rerate", _("Change rating and warnings")
    RESTORE = "restore", _("Restore")


class AppealState(models.TextChoices):
    OPEN = "open", _("Open")
    ASSIGNED = "assigned", _("Assigned")
    UPHELD = "upheld", _("Upheld")
    REFUSED = "refused", _("Refused")


_USER = settings.AUTH_USER_MODEL


class Report(models.Model):
    """Someone's report of a work, chapter, comment, bookmark, user, pseud or tag."""

    # A short code shown to the reporter ("R-7K2Q9"), unique.
    reference = models.CharField(max_length=16, unique=True)
    category = models.CharField(max_length=16, choices=ReportCategory.choices)
    text = models.TextField()
    target_type = models.CharField(max_length=16, choices=ReportTarget.choices)
    target_id = models.BigIntegerField()
    # The thing as it was when reported: title, excerpt, rating, tags, author, url.
    snapshot = models.JSONField(default=dict, blank=True)
    # The person the report is about (a work's creator, a comment's author...).
    subject = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_about"
    )
    reporter = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="reports_made"
    )
    # A guest's address (a user's is read from the account when needed).
    reporter_email = models.EmailField(blank=True)
    state = models.CharField(
        max_length=10, choices=ReportState.choices, default=ReportState.OPEN, db_index=True
    )
    assignee = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Non-consensual intimate imagery: first in the queue, due within 48 hours.
    urgent = models.BooleanField(default=False)
    due_at = models.DateTimeField(null=True, blank=True)
    resolution = models.CharField(max_length=10, choices=Resolution.choices, blank=True)
    resolution_reason = models.TextField(blank=True)
    # What the resolution changed, so an upheld appeal can undo it (rating before, works
    # hidden with a suspension...).
    resolution_data = models.JSONField(default=dict, blank=True)
    resolved_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-urgent", "created_at", "id"]
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="report_target_idx"),
            models.Index(fields=["state", "-urgent", "created_at"], name="report_queue_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.get_category_display()})"


class Appeal(models.Model):
    """The subject's one appeal of a report's decision."""

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="appeal")
    appellant = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="appeals")
    text = models.TextField()
    state = models.CharField(
        max_length=10, choices=AppealState.choices, default=AppealState.OPEN, db_index=True
    )
    assignee = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        _USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Appeal of {self.report.reference}"
