"""Makers for the gift-exchange tests: an exchange whose sign-ups are closed, with three
participants who can each write for the next (a ring), and a fourth whom nobody can
write for; matching run as the worker would."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.challenges.models import Challenge, SignUp
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.core.testing import make_user
from fanarchive.tags.models import TagType

HARBOUR, LANTERN, CLOCKS, CHOIR = (
    "Harbour Tales",
    "Lantern Road",
    "The Clockmakers",
    "Saltmarsh Choir",
)


@dataclass
class Exchange:
    owner: User
    challenge: Challenge
    users: dict[str, User]
    signups: dict[str, SignUp]


def wish(fandom: str, *characters: str) -> dict[str, list[str]]:
    values = {TagType.FANDOM.value: [fandom]}
    if characters:
        values[TagType.CHARACTER.value] = list(characters)
    return values


# name -> (request, offer): alice -> bob -> cara -> alice can each write for the next.
RING = {
    "alice": (HARBOUR, LANTERN),
    "bob": (LANTERN, CLOCKS),
    "cara": (CLOCKS, HARBOUR),
}


def make_exchange(prefix: str = "gx", *, lonely: bool = False, **fields: Any) -> Exchange:
    """A closed-for-sign-ups exchange, owned by `<prefix>_owner`, with the ring (and
    `<prefix>_dan`, who requests a fandom nobody offers, when `lonely`)."""
    now = timezone.now()
    fields.setdefault("signup_open", False)
    fields.setdefault("assignments_due_at", now + dt.timedelta(days=14))
    fields.setdefault("works_reveal_at", now + dt.timedelta(days=20))
    fields.setdefault("authors_reveal_at", now + dt.timedelta(days=27))
    owner = make_user(f"{prefix}_owner")
    challenge = make_challenge(owner, **fields)
    people = dict(RING)
    if lonely:
        people["dan"] = (CHOIR, HARBOUR)
    users: dict[str, User] = {}
    signups: dict[str, SignUp] = {}
    for name, (request, offer) in people.items():
        user = make_user(f"{prefix}_{name}")
        users[name] = user
        signups[name] = make_signup(user, challenge, requests=[wish(request)], offers=[wish(offer)])
    return Exchange(owner, challenge, users, signups)
