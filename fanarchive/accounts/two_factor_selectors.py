"""Two-factor log-in: who has it, who must have it, and what the set-up page shows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pyotp
import segno
from django.conf import settings

from fanarchive.accounts.models import TwoFactor, User
from fanarchive.accounts.moderators import MODERATORS_GROUP, is_suspended

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

# tags.selectors.WRANGLERS_GROUP (a higher layer; a test checks they agree).
WRANGLERS_GROUP = "Wranglers"


def two_factor_of(user: User) -> TwoFactor | None:
    """The account's authenticator app, confirmed or still being set up."""
    return TwoFactor.objects.filter(user=user).first()


def two_factor_enabled(user: User | AnonymousUser) -> bool:
    """Does logging in to this account need a code as well as the password?"""
    return bool(
        user.is_authenticated
        and TwoFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()
    )


def two_factor_required(user: User | AnonymousUser) -> bool:
    """Must this account turn two-factor log-in on (settings.REQUIRE_TWO_FACTOR)?"""
    roles = settings.REQUIRE_TWO_FACTOR
    if not roles or not user.is_authenticated:
        return False
    if "staff" in roles and (user.is_staff or user.is_superuser):
        return True
    groups = {MODERATORS_GROUP: "moderators", WRANGLERS_GROUP: "wranglers"}
    wanted = [group for group, role in groups.items() if role in roles]
    return bool(wanted) and user.groups.filter(name__in=wanted).exists()


def two_factor_login_user(user_id: object) -> User | None:
    """The account a log-in's code is awaited for, if it may still log in."""
    if not isinstance(user_id, int):
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    return None if user is None or is_suspended(user) else user


def recovery_codes_left(two_factor: TwoFactor) -> int:
    return two_factor.recovery_codes.filter(used_at__isnull=True).count()


def provisioning_uri(two_factor: TwoFactor) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(two_factor.secret).provisioning_uri(
        name=two_factor.user.username, issuer_name=settings.SITE_NAME
    )


def qr_code_data_url(text: str) -> str:
    """`text` as a QR code: an SVG data: URL for an <img> (the CSP allows data: images)."""
    return str(segno.make(text, error="m").svg_data_uri(scale=4, border=4))


def secret_for_display(secret: str) -> str:
    """The key in groups of four, for typing into an app that cannot scan."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
