"""Who may engage with a work at all: the checks kudos and comments share."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from fanarchive.accounts.models import User
from fanarchive.engagement.selectors import blocked_by_creator
from fanarchive.works.models import Work

BLOCKED_MESSAGE = "Sorry, you have been blocked by one or more of this work's creators."


def check_open(*, work: Work, user: User | None, key: str, doing: str) -> None:
    """Refuse (ValidationError keyed `key`) drafts, hidden works, guests on restricted
    works and users a creator blocked. `doing` completes "You cannot ... ".
    """
    if not work.posted:
        raise ValidationError({key: [f"You cannot {doing} a draft."]})
    if work.hidden_by_admin:
        raise ValidationError({key: [f"You cannot {doing} a work hidden by an administrator."]})
    if user is None and work.restricted:
        raise ValidationError(
            {key: [f"Only registered users can {doing} this work. Please log in."]}
        )
    if user is not None and blocked_by_creator(work, user):
        raise ValidationError({key: [BLOCKED_MESSAGE]})
