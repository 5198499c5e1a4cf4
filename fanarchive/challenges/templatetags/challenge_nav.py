"""The challenge section of a collection's page (`templates/challenges/_collection_nav.html`):
the kind, the sign-up window and the links each viewer may follow, looked up here so the
collections' view need not know about challenges."""

from __future__ import annotations

from typing import Any

from django import template

from fanarchive.challenges import setup_selectors, signup_selectors
from fanarchive.challenges.models import ChallengeKind
from fanarchive.collections.models import MODERATING_ROLES, Collection, ParticipantRole
from fanarchive.collections.selectors import role_of

register = template.Library()


@register.inclusion_tag("challenges/setup/_nav.html", takes_context=True)
def challenge_nav(context: template.Context, collection: Collection) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    challenge = setup_selectors.challenge_of(collection)
    role = role_of(user, collection) if user is not None else None
    signup = None
    if challenge is not None and user is not None and user.is_authenticated:
        signup = signup_selectors.signup_of(user, challenge)
    return {
        "collection": collection,
        "challenge": challenge,
        "is_exchange": challenge is not None and challenge.kind == ChallengeKind.GIFT_EXCHANGE,
        "window": setup_selectors.signup_window(challenge) if challenge is not None else None,
        "user": user,
        "signup": signup,
        "can_moderate": role in MODERATING_ROLES,
        "is_owner": role == ParticipantRole.OWNER,
        "signup_count": signup_selectors.signup_count(challenge) if challenge else 0,
    }
