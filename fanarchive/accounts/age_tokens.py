"""The signed token an outside age-verification provider sends to say an account's holder
is an adult (README, "Age-gate policies": the format, for providers).

    token = "<username>.<timestamp>.<signature>"
    signature = hex(HMAC-SHA256(FANARCHIVE_AGE_VERIFICATION_SECRET, "<username>.<timestamp>"))

`timestamp` is Unix time in whole seconds (UTC). A token is good for `TOKEN_LIFETIME`
seconds after it, and once only (the service keeps the spent ones). Pure functions: no
database, no settings.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.utils.translation import gettext

# How long a token may take to arrive, and how far ahead a provider's clock may run.
TOKEN_LIFETIME = 10 * 60
CLOCK_SKEW = 60


class TokenRefused(Exception):
    """The token cannot be believed; the message says why (for the provider's logs)."""


@dataclass(frozen=True)
class VerificationToken:
    username: str
    timestamp: int


def signature_of(secret: str, username: str, timestamp: int) -> str:
    message = f"{username}.{timestamp}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def make_token(secret: str, username: str, timestamp: int) -> str:
    """What a provider sends (the tests, and a provider's reference, make tokens here)."""
    return f"{username}.{timestamp}.{signature_of(secret, username, timestamp)}"


def token_digest(token: str) -> str:
    """The token as the spent-token table keeps it."""
    return hashlib.sha256(token.encode()).hexdigest()


def check_token(secret: str, token: str, *, now: float) -> VerificationToken:
    """The account and time a genuine, fresh token names; TokenRefused otherwise."""
    if not secret:
        raise TokenRefused(gettext("Age verification is not set up on this archive."))
    head, _, signature = token.strip().rpartition(".")
    username, _, stamp = head.rpartition(".")
    if not (username and stamp.isdigit() and len(stamp) <= 12 and signature):
        raise TokenRefused(gettext('The token must be "<username>.<timestamp>.<signature>".'))
    timestamp = int(stamp)
    expected = signature_of(secret, username, timestamp)
    if not hmac.compare_digest(expected, signature.lower()):
        raise TokenRefused(gettext("The token's signature is wrong."))
    if now - timestamp > TOKEN_LIFETIME:
        raise TokenRefused(
            gettext("The token is older than %(minutes)s minutes.")
            % {"minutes": TOKEN_LIFETIME // 60}
        )
    if timestamp - now > CLOCK_SKEW:
        raise TokenRefused(gettext("The token's timestamp is in the future."))
    return VerificationToken(username=username, timestamp=timestamp)
