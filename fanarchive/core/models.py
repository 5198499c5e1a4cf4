"""Core's tables: rate-limit counts kept in the database (see core.ratelimit), and the
audit log of moderators' and admins' changes (see core.audit_services)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class RateCount(models.Model):
    """How often one key was used in its current fixed window, counted under the row's lock.

    For caches whose incr() is a read then a write (the database cache): two requests at
    once would both count n + 1. A row also serialises the uses of a key that are decided
    by counting other rows (the comment limit), held until their transaction ends.
    """

    # A keyed hash of the scope and the key (core.ratelimit): no address in the clear.
    key = models.CharField(max_length=64, primary_key=True)
    window_start = models.BigIntegerField()  # seconds since the epoch
    window_end = models.BigIntegerField(db_index=True)  # a row past its end can go
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.key[:12]}: {self.count}"


class AuditEntry(models.Model):
    """One change made by a moderator or an admin (or by the archive on their behalf):
    who, what, to which thing, why, and the thing before and after. Written only by
    `core.audit_services.audit_record`, from the services that make the change, so the
    moderation queue, Django's admin pages and the command line all leave the same trail.
    Never edited; kept when the actor's or the target's account goes (names are copied).
    """

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField(max_length=150, blank=True)
    # A dotted verb: "work.hide", "comment.hide", "user.suspend", "report.resolve"...
    action = models.CharField(max_length=64, db_index=True)
    # The thing changed, by model label ("works.work") and primary key, with its name then.
    target_type = models.CharField(max_length=64)
    target_id = models.BigIntegerField(null=True, blank=True)
    target_repr = models.CharField(max_length=255, blank=True)
    # The person the change is about (a work's creator, a comment's author), for
    # "earlier actions on the same person".
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return (
            f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.target_repr}"
        )
