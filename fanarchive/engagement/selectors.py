"""Reads of the engagement app."""

from __future__ import annotations

from fanarchive.accounts.models import User
from fanarchive.engagement.models import Block


def is_blocked(blocker: User, blocked: User) -> bool:
    """Whether `blocker` has blocked `blocked`."""
    return Block.objects.filter(blocker=blocker, blocked=blocked).exists()
