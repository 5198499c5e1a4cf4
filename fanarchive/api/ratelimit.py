"""Rate limits: a fixed window per token, account or guest address, in Django's cache.

The cache is the database by default and Redis when REDIS_URL is set, so every
process of a deployment shares the counts. The default (settings
API_RATE_LIMIT_REQUESTS per API_RATE_LIMIT_WINDOW seconds, 300 per 300 s) is
AO3's guidance for scrapers; `FANARCHIVE_API_RATE_LIMIT=600/300` changes it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _

from fanarchive.api.errors import ApiProblem
from fanarchive.core.addresses import client_address
from fanarchive.core.ratelimit import rate_limit_spend


def client_key(request: HttpRequest, *, token_id: int | None, user_id: int | None) -> str:
    """Whose budget a request spends: its token's, its account's, else its address's."""
    if token_id is not None:
        return f"token:{token_id}"
    if user_id is not None:
        return f"user:{user_id}"
    return f"ip:{client_address(request)}"


def rate_limit_check(key: str, *, now: float | None = None) -> None:
    """Count one request for `key`; over the limit, raise a 429 problem with Retry-After."""
    limit = int(settings.API_RATE_LIMIT_REQUESTS)
    window = int(settings.API_RATE_LIMIT_WINDOW)
    retry = rate_limit_spend(scope="api", key=key, limit=limit, window=window, now=now)
    if retry is not None:
        raise ApiProblem(
            429,
            _(
                "Too many requests: at most %(limit)s every %(window)s seconds. "
                "Try again in %(retry)s seconds."
            )
            % {"limit": limit, "window": window, "retry": retry},
            name="rate-limited",
            headers={"Retry-After": str(retry)},
        )
