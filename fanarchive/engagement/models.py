"""Engagement between users. For now only blocks; kudos, comments, bookmarks and the
inbox arrive with the engagement issue, which extends this app."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from fanarchive.accounts.models import User


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
