"""Reads of the api app: finding a token by its secret, a user's tokens."""

from __future__ import annotations

import hmac

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.api.models import ApiToken
from fanarchive.api.services import TOKEN_PREFIX, token_digest


def token_for_secret(raw: str) -> ApiToken | None:
    """The live token this secret belongs to, or None (unknown, revoked or mangled)."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, _, rest = raw[len(TOKEN_PREFIX) :].partition("_")
    if not prefix or not rest or len(prefix) > 16:
        return None
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, token_digest(raw)):
        return None
    if not token.user.is_active:
        return None
    return token


def tokens_of(user: User) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user)


def token_get(user: User, token_id: int) -> ApiToken:
    """One of `user`'s tokens; 404 for anyone else's."""
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404(_("No such token."))
    return token
