"""Every surface that can show a work's words, under each of the four age-gate policies
(settings.AGE_GATE), for every kind of viewer a policy tells apart.

The archive, the surfaces and their rules are the every-surface test's
(`test_every_surface`); only who "agreed" to a work's rating changes with the policy, so
the rules are asked with `agreed` replaced by the policy's answer (`allowed`). The
surfaces checked are those whose rule depends on it (found by asking each rule both
ways, not listed by hand), on the pages of adult works and the pages of many works.
Hidden works are left to the every-surface test: hiding is not the age gate's business.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from fanarchive.accounts.age_services import adult_confirm, age_verification_set
from fanarchive.tests import test_every_surface as every
from fanarchive.tests.test_every_surface import (
    FIELDS,
    STATES,
    SURFACES,
    VIEWERS,
    Expect,
    State,
    Surface,
    Viewer,
    World,
    build_world,
    owns,
    page_text,
)

# Guests are served from the shared page cache here, as in production.
pytestmark = pytest.mark.guest_page_cache

TRUSTED_PROXY = "10.1.2.3"
OUTSIDER = "203.0.113.50"
LISTED = frozenset({"GB", "AU"})


@dataclass(frozen=True)
class GateViewer(Viewer):
    """A viewer as an age-gate policy sees them: which of the archive's accounts, and
    where their request comes from."""

    account: str | None = None  # a key of World.users
    confirmed: bool = False  # the account confirmed "I am 18 or over"
    verified: bool = False  # the account is marked age-verified
    country: str = ""  # the country header sent
    proxied: bool = False  # ... through the trusted proxy (otherwise straight from OUTSIDER)


# The "reader who agreed" account confirmed its age; the one with the preference was
# verified; the "reader" did neither.
READER = GateViewer("reader", logged_in=True, account="reader")
CONFIRMED = GateViewer(
    "confirmed reader", logged_in=True, account="reader who agreed", confirmed=True
)
VERIFIED = GateViewer(
    "verified reader with the preference",
    logged_in=True,
    account="reader with the adult preference",
    verified=True,
    adult_preference=True,
)
EVERYONE = [
    GateViewer("guest"),
    GateViewer("guest who agreed", session_consent=True),
    READER,
    CONFIRMED,
    VERIFIED,
    GateViewer("creator", logged_in=True, creator=True, account="author"),
    GateViewer("admin", logged_in=True, staff=True, account="admin"),
]
TRAVELLERS = [
    GateViewer("guest in GB", country="GB", proxied=True),
    GateViewer("guest in GB who agreed", session_consent=True, country="GB", proxied=True),
    GateViewer("guest in FR who agreed", session_consent=True, country="FR", proxied=True),
    GateViewer("guest claiming GB, who agreed", session_consent=True, country="GB"),
    GateViewer(
        "verified reader with the preference in AU",
        logged_in=True,
        account="reader with the adult preference",
        verified=True,
        adult_preference=True,
        country="AU",
        proxied=True,
    ),
    GateViewer(
        "creator in GB",
        logged_in=True,
        creator=True,
        account="author",
        country="GB",
        proxied=True,
    ),
    GateViewer(
        "admin in GB", logged_in=True, staff=True, account="admin", country="GB", proxied=True
    ),
]
VIEWERS_BY_MODE = {
    "interstitial": EVERYONE,
    "adults": EVERYONE,
    "verified": EVERYONE,
    "countries": TRAVELLERS,
}


def allowed(mode: str) -> Callable[..., bool]:
    """`agreed` of the every-surface test, under `mode`: whether `viewer` may read
    `state`'s words (the API's ?adult=true counts only where consent does)."""

    def agreed(viewer: Viewer, state: State, *, adult_param: bool = False) -> bool:
        assert isinstance(viewer, GateViewer)
        if not state.adult or owns(viewer, state):
            return True
        consent = viewer.adult_preference or viewer.session_consent or adult_param
        if mode == "interstitial":
            return consent
        if viewer.staff:
            return True  # where a policy refuses, moderators and admins are not refused
        if mode == "adults":
            return viewer.confirmed
        if mode == "verified":
            return viewer.verified
        from_listed = viewer.proxied and viewer.country in LISTED
        return consent and not from_listed

    return agreed


def gated(surface: Surface, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Whether the surface's rule depends on what the viewer agreed to."""
    answers = []
    for answer in (True, False):
        monkeypatch.setattr(every, "agreed", lambda *args, answer=answer, **kwargs: answer)
        answers.append(
            [
                surface.rule(viewer, about, state, field_name)
                for viewer in VIEWERS
                for about in [None, *STATES]
                for state in STATES
                for field_name in FIELDS
            ]
        )
    return answers[0] != answers[1]


@pytest.fixture
def gated_surfaces(monkeypatch: pytest.MonkeyPatch) -> list[Surface]:
    return [surface for surface in SURFACES if gated(surface, monkeypatch)]


def checked_page(about: State | None) -> bool:
    """Pages of many works, and of adult works (the policy changes nothing else)."""
    return about is None or (about.adult and not about.hidden)


def client_for(viewer: GateViewer, world: World) -> Client:
    headers: dict[str, Any] = {"REMOTE_ADDR": TRUSTED_PROXY if viewer.proxied else OUTSIDER}
    if viewer.country:
        headers["HTTP_CF_IPCOUNTRY"] = viewer.country
    client = Client(**headers)
    if viewer.account is not None:
        client.force_login(world.users[viewer.account])
    if viewer.session_consent:
        # "Yes, continue" (which sets the session's consent only where the policy asks it).
        adult = world.works["explicit"]
        response = client.get(f"{adult.get_absolute_url()}?view_adult=true")
        assert response.status_code in (200, 403, 451)
    return client


def test_gated_surfaces_are_found(gated_surfaces: list[Surface]) -> None:
    """The surfaces that can show a work's words are the ones checked here."""
    names = {s.name for s in gated_surfaces}
    assert {"work page", "chapter page", "entire work", "comment thread", "epub download"} <= names
    assert {"API chapters", "API comment", "search for body"} <= names
    assert not {"works listing", "works feed", "inbox", "tag's page"} & names


def test_each_policy_shows_adult_text_exactly_to_whom_it_allows(
    db, settings, django_capture_on_commit_callbacks, monkeypatch, gated_surfaces
) -> None:
    settings.API_RATE_LIMIT_REQUESTS = 1_000_000
    settings.TRUSTED_PROXIES = (ipaddress.ip_network(TRUSTED_PROXY),)
    settings.COUNTRY_HEADER = "CF-IPCountry"
    settings.AGE_GATE_COUNTRIES = LISTED
    world = build_world(django_capture_on_commit_callbacks)
    users = world.users
    adult_confirm(user=users["reader who agreed"], owner=users["reader who agreed"])
    age_verification_set(
        actor=users["admin"], user=users["reader with the adult preference"], verified=True
    )
    failures: list[str] = []
    checked = {Expect.SHOW: 0, Expect.HIDE: 0}
    for mode, viewers in VIEWERS_BY_MODE.items():
        settings.AGE_GATE = mode
        monkeypatch.setattr(every, "agreed", allowed(mode))
        for viewer in viewers:
            client = client_for(viewer, world)
            for surface in gated_surfaces:
                for page in surface.pages(world, viewer):
                    if not checked_page(page.about):
                        continue
                    text = page_text(client, viewer, page)
                    if text is None:
                        continue
                    for state in STATES:
                        for field_name in FIELDS:
                            expect = surface.rule(viewer, page.about, state, field_name)
                            if expect is Expect.ANY:
                                continue
                            checked[expect] += 1
                            if (state.secret(field_name) in text) != (expect is Expect.SHOW):
                                failures.append(
                                    f"[{mode}] {surface.name} {page.url} as {viewer.name}: "
                                    f"{state.name} {field_name} {expect.value}"
                                )
    assert not failures, f"{len(failures)} leaks or omissions:\n" + "\n".join(failures)
    assert checked[Expect.SHOW] > 1_000 and checked[Expect.HIDE] > 10_000, checked
