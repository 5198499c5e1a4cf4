"""The facts of one request the adult-content rule needs, and the operator's policy.

The rule itself is `works.selectors.adult_text_withheld`; this module gathers what it
asks about a viewer once per request (`age_gate_context`): who they are, whether they
said "Yes, continue" in this session, and their country as a trusted proxy names it.
The policy is `settings.AGE_GATE` (FANARCHIVE_AGE_GATE; README, "Age-gate policies").
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from fanarchive.accounts.moderators import is_moderator
from fanarchive.core.addresses import is_trusted, parse_address

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser


class Mode(enum.StrEnum):
    INTERSTITIAL = "interstitial"  # AO3's: ask, and "Yes, continue" holds for the session
    ADULTS = "adults"  # logged-in accounts that confirmed they are 18 or over
    VERIFIED = "verified"  # accounts an admin or a verification provider marked
    COUNTRIES = "countries"  # the interstitial, but nothing for visitors from listed countries


class Reason(enum.StrEnum):
    """What a viewer refused an adult work's text can do about it (the interstitial's
    wording, and the API problem's `reason`)."""

    CONSENT = "consent"  # say "Yes, continue" (?view_adult=true; ?adult=true in the API)
    CONFIRMATION = "adult-confirmation"  # log in and confirm being 18 or over
    VERIFICATION = "age-verification"  # log in and get the account age-verified
    COUNTRY = "country"  # nothing: adult works are not available in the viewer's country


# The session flag set by "Yes, continue" on the adult-content interstitial (as AO3's
# ?view_adult=true): it holds for the rest of the browser session, site and API alike.
ADULT_CONSENT_KEY = "adult_consent"
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")


def consented_in_session(session: Mapping[str, object]) -> bool:
    return bool(session.get(ADULT_CONSENT_KEY))


@dataclass(frozen=True)
class AgeGateContext:
    """Who is asking to read, as the adult-content rule needs to know them."""

    user: AnyUser
    # Said "Yes, continue" in this session (or, in the API, sent ?adult=true).
    session_consented: bool = False
    # ISO 3166 code from a trusted proxy's country header; "" when unknown.
    country: str = ""


GUEST_CONTEXT = AgeGateContext(user=AnonymousUser())


def mode() -> Mode:
    return Mode(settings.AGE_GATE)


def country_of(request: HttpRequest) -> str:
    """The visitor's country, from `settings.COUNTRY_HEADER`, believed only on a
    connection from one of `settings.TRUSTED_PROXIES` (anyone else could write it)."""
    header = settings.COUNTRY_HEADER
    if not header:
        return ""
    peer = parse_address(str(request.META.get("REMOTE_ADDR") or ""))
    if peer is None or not is_trusted(peer):
        return ""
    code = str(request.headers.get(header, "")).strip().upper()
    return code if COUNTRY_CODE.match(code) else ""


def guest_page_variant(request: HttpRequest) -> tuple[bool, str, str, bool]:
    """What a guest's page depends on here: consent given in this session, the country, and
    the policy that judges them (`core.page_cache`: guests who agreed to adult content get
    their own cached pages, and a page kept under one policy is never served under another,
    as the cache outlives a restart with a new FANARCHIVE_AGE_GATE)."""
    session = getattr(request, "session", None)
    country = country_of(request)
    return (
        consented_in_session(session) if session is not None else False,
        country,
        str(settings.AGE_GATE),
        country in settings.AGE_GATE_COUNTRIES,
    )


def asks_consent(request: HttpRequest) -> bool:
    """This request says "Yes, continue" (?view_adult=true) in a session that has not yet:
    answering it records the consent, so it is never served from a page cache."""
    if request.GET.get("view_adult") != "true":
        return False
    session = getattr(request, "session", None)
    return session is None or not consented_in_session(session)


def age_gate_context(
    request: HttpRequest,
    *,
    user: AnyUser | None = None,
    consented: bool | None = None,
) -> AgeGateContext:
    """This request's viewer: the logged-in user (or `user`, the API's token holder) and
    the session's consent (or `consented`, for a caller with no session)."""
    return AgeGateContext(
        user=request.user if user is None else user,
        session_consented=(
            consented_in_session(request.session) if consented is None else consented
        ),
        country=country_of(request),
    )


# Further checks a higher app may add in its AppConfig.ready() (works may not import it).
_exempt_checks: list[Callable[[User], bool]] = []


def register_exempt(check: Callable[[User], bool]) -> None:
    if check not in _exempt_checks:
        _exempt_checks.append(check)


def is_exempt(user: AnyUser) -> bool:
    """Never refused where a policy refuses (they act on reports): admins and moderators
    (`accounts.moderators.is_moderator`, which counts admins too), and any registered check."""
    if not user.is_authenticated:
        return False
    return is_moderator(user) or any(check(user) for check in _exempt_checks)
