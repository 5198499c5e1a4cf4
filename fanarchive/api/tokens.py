"""/api/v1/tokens: see and revoke your personal access tokens (made on the account page)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from fanarchive.api import selectors, services
from fanarchive.api.auth import ACCOUNT, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.models import ApiToken
from fanarchive.api.params import Id

router = Router(tags=["tokens"])
ERRORS = problem_responses(401, 403, 404, 422, 429)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    last_used_at: datetime | None


def _out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "scope": token.scope,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
    }


@router.get(
    "/tokens", response={200: list[TokenOut], **ERRORS}, auth=ACCOUNT, summary="Your tokens"
)
def tokens_list(request: HttpRequest) -> list[dict[str, Any]]:
    user = caller_of(request).account
    return [_out(t) for t in selectors.tokens_of(user)]


@router.delete(
    "/tokens/{token_id}",
    response={204: None, **ERRORS},
    auth=WRITE,
    summary="Revoke one of your tokens",
)
def token_revoke(request: HttpRequest, token_id: Id) -> Status[None]:
    user = caller_of(request).account
    services.token_revoke(user=user, token=selectors.token_get(user, token_id))
    return Status(204, None)
