"""What the portability app keeps: the data exports people asked for."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportState(models.TextChoices):
    REQUESTED = "requested", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class DataExport(models.Model):
    """One zip of everything of a person's own, asked for on their export page.

    The file lives under DATA_DIR/exports/<user id>/ (`path` is relative to DATA_DIR) from
    `ready_at` until `expires_at`, seven days later; then the file goes and the row stays,
    "expired", so the page can say so and the daily limit counts it.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    state = models.CharField(
        max_length=10, choices=ExportState.choices, default=ExportState.REQUESTED
    )
    requested_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    path = models.CharField(max_length=300, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    # Why it failed, in words for its owner (the details are in the log).
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["user", "requested_at"], name="dataexport_user_idx")]
        constraints = [
            # One export in preparation per person at a time.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(state="requested"),
                name="dataexport_one_in_progress",
            ),
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.state})"
