"""Who is calling: a personal access token, the site's own session, or a guest.

`Authorization: Bearer fa_...` names a token (read or write scope). Without the
header, the browser session counts (the site's own JavaScript), and unsafe
methods then need the CSRF token as every form does. Without either, a guest.
Every operation passes through `ApiAuth`, which also spends the caller's rate
limit, so an endpoint receives the caller as `request.auth`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security.base import AuthBase
from ninja.utils import check_csrf

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import is_suspended, suspension_message
from fanarchive.api.errors import ApiProblem
from fanarchive.api.models import ApiToken
from fanarchive.api.ratelimit import client_key, rate_limit_check
from fanarchive.api.selectors import token_for_secret
from fanarchive.api.services import token_touch

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


@dataclass
class Caller:
    user: User | AnonymousUser
    via: str  # "token", "session" or "guest"
    token: ApiToken | None = None

    @property
    def account(self) -> User:
        """The caller's account; only for operations that required one."""
        if not isinstance(self.user, User):
            raise AuthenticationError(message=_("Authentication required."))
        return self.user

    @property
    def can_write(self) -> bool:
        if self.via == "token":
            return self.token is not None and self.token.can_write
        return self.via == "session"


def identify(request: HttpRequest) -> Caller:
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, raw = header.partition(" ")
        if scheme.lower() != "bearer" or not raw.strip():
            raise AuthenticationError(
                message=_('Send the token as "Authorization: Bearer fa_...".')
            )
        token = token_for_secret(raw.strip())
        if token is None:
            raise AuthenticationError(message=_("This token is unknown or was revoked."))
        if is_suspended(token.user):
            raise ApiProblem(403, suspension_message(token.user), name="account-suspended")
        token_touch(token=token)
        return Caller(user=token.user, via="token", token=token)
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if request.method not in SAFE_METHODS and check_csrf(request) is not None:
            raise ApiProblem(
                403,
                _("CSRF check failed: send the X-CSRFToken header, as the site's forms do."),
                name="csrf-failed",
            )
        return Caller(user=user, via="session")
    return Caller(user=AnonymousUser(), via="guest")


class ApiAuth(AuthBase):
    """Bearer tokens (and the site's session); `account` and `write` say what is required."""

    openapi_type = "http"
    openapi_scheme = "bearer"
    openapi_description = (
        "A personal access token (fa_...), made on your account's API tokens page. "
        "Read-only endpoints also answer guests; the site's own pages use the session."
    )

    def __init__(self, *, account: bool = False, write: bool = False) -> None:
        super().__init__()
        self.account = account or write
        self.write = write

    def __call__(self, request: HttpRequest) -> Caller:
        caller = identify(request)
        rate_limit_check(
            client_key(
                request,
                token_id=caller.token.pk if caller.token else None,
                user_id=caller.user.pk if caller.user.is_authenticated else None,
            )
        )
        if self.account and not caller.user.is_authenticated:
            raise AuthenticationError(message=_("Log in or send a personal access token."))
        if self.write:
            require_write(caller)
        return caller


def require_write(caller: Caller) -> None:
    """Refuse a read-only token. Guests pass: for the writes guests may make (kudos,
    comments), `GUEST` operations call this themselves."""
    if caller.via == "token" and not caller.can_write:
        raise ApiProblem(
            403,
            _("This token is read-only: make a read-write token to change things."),
            name="insufficient-scope",
        )


GUEST = ApiAuth()
ACCOUNT = ApiAuth(account=True)
WRITE = ApiAuth(write=True)


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    if not isinstance(caller, Caller):  # every operation has an ApiAuth
        raise AuthenticationError(message=_("Authentication required."))
    return caller
