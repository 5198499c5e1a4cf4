"""Who a visitor is, without keeping their IP address.

Guests are told apart by an HMAC-SHA256 of their IP address, keyed by a key derived
from SECRET_KEY (Django's `salted_hmac`): the same guest gets the same key, and the
address itself is never stored.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from fanarchive.core.addresses import client_address

SALT = "fanarchive.engagement.guest-key"


def guest_key_of(address: str) -> str:
    """The keyed hash of an IP address (64 hex characters)."""
    return salted_hmac(SALT, address, algorithm="sha256").hexdigest()


def guest_key(request: HttpRequest) -> str:
    return guest_key_of(client_address(request))


def visitor_key(request: HttpRequest) -> str:
    """One reader for the hit count: the account when logged in, else the guest key."""
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    return f"g{guest_key(request)}"
