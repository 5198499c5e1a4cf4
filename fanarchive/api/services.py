"""Writes of the api app: personal access tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.api.models import ApiToken, TokenScope
from fanarchive.core.text import clean_line

TOKEN_PREFIX = "fa_"  # noqa: S105 (the visible start of every token, not a secret)
TOKENS_MAX = 20
NAME_MAX = 100


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_create(*, user: User, owner: User, name: str, scope: str) -> tuple[ApiToken, str]:
    """A new token for `owner`, and its secret: shown once, never stored (only its hash)."""
    if user.pk != owner.pk:
        raise PermissionDenied(_("Only the owner of this account can make tokens for it."))
    errors: dict[str, list[str]] = {}
    name = " ".join(clean_line(name).split())
    if not name:
        errors["name"] = [_("Please name the token, e.g. after the app that will use it.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [_("The name must be %(max)s characters or fewer.") % {"max": NAME_MAX}]
    if scope not in TokenScope.values:
        errors["scope"] = [_('Choose "read" or "write".')]
    if ApiToken.objects.filter(user=owner).count() >= TOKENS_MAX:
        errors.setdefault("name", []).append(
            _("You have %(max)s tokens already: revoke one you no longer use first.")
            % {"max": TOKENS_MAX}
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        while True:
            prefix = secrets.token_hex(6)
            if not ApiToken.objects.filter(prefix=prefix).exists():
                break
        raw = f"{TOKEN_PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
        token = ApiToken.objects.create(
            user=owner, name=name, prefix=prefix, digest=token_digest(raw), scope=scope
        )
    return token, raw


def token_revoke(*, user: User, token: ApiToken) -> None:
    """Revoke (delete) a token: requests with it are refused from now on."""
    if token.user_id != user.pk:
        raise PermissionDenied(_("Only the owner of a token can revoke it."))
    token.delete()


def token_touch(*, token: ApiToken) -> None:
    """Note when a token was last used, at most once a minute (no write per request)."""
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
