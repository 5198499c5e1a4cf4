"""Login throttling: failed log-ins are counted, then refused for a while.

The rule (numbers in `limits`, windows of `LOGIN_WINDOW_SECONDS`, 15 minutes, fixed as
in core.ratelimit, so "for a while" is the rest of the current window):

- per account and client address: after 5 failures, that address's further attempts
  for that account are refused until the window ends;
- per client address, across all accounts: after 20 failures, every log-in from it;
- per account, across all addresses: after 50 failures, every log-in to it. A crowd of
  addresses can make this one refuse the owner too, but only for the rest of a window
  (at most 15 minutes), and a password reset ends it at once.

While refused, even the right password is refused (the message says so), or the lock
would tell a guesser when they had found it. A wrong two-factor code counts as a failure
too. An account is counted under its primary key and its password hash, so a successful
password reset or change starts it afresh: the owner always has a way in. A name without
an account is counted under the name, and refused with the same message, so the limits
do not tell who has an account. Counts are keyed hashes (core.ratelimit), in Redis or the
database, counted atomically; the check before the password and the count after it are
two steps, so requests sent at the same moment may each try once more, and a right
password is checked against the limits again after it matched.
"""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanarchive.accounts import limits
from fanarchive.accounts.models import User
from fanarchive.core.ratelimit import RateLimited, rate_limit_peek, rate_limit_spend

PAIR_SCOPE = "login-failure-account-address"
ADDRESS_SCOPE = "login-failure-address"
ACCOUNT_SCOPE = "login-failure-account"


def _minutes(seconds: int) -> str:
    minutes = max(1, math.ceil(seconds / 60))
    return ngettext("%(minutes)s minute", "%(minutes)s minutes", minutes) % {"minutes": minutes}


def account_message(retry_after: int) -> str:
    return _(
        "Too many failed log-in attempts for this account. "
        "Try again in %(wait)s, or reset your password. "
        "Until then even the right password is refused."
    ) % {"wait": _minutes(retry_after)}


def address_message(retry_after: int) -> str:
    return _(
        "Too many failed log-in attempts from your network. "
        "Try again in %(wait)s. Until then even the right password is refused."
    ) % {"wait": _minutes(retry_after)}


def account_for(identifier: str) -> User | None:
    """The account a log-in names, as the login backend finds it (name or e-mail, any case)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    field = "email__iexact" if "@" in identifier else "username__iexact"
    return User.objects.filter(**{field: identifier}).order_by("id").first()


def account_key(identifier: str) -> str:
    """What an account's failures are counted under: the account and its password hash
    (a new password starts afresh), or the lower-cased name when there is no account."""
    user = account_for(identifier)
    if user is None:
        return f"name:{identifier.strip().lower()}"
    return f"user:{user.pk}:{user.password}"


def _limits(identifier: str, address: str) -> list[tuple[str, str, int, bool]]:
    """(scope, key, limit, about the account) for each count a log-in is held to."""
    account = account_key(identifier)
    return [
        (ADDRESS_SCOPE, address, limits.LOGIN_FAILURES_PER_ADDRESS, False),
        (PAIR_SCOPE, f"{account}|{address}", limits.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS, True),
        (ACCOUNT_SCOPE, account, limits.LOGIN_FAILURES_PER_ACCOUNT, True),
    ]


def login_throttle_check(*, identifier: str, address: str) -> None:
    """Raise RateLimited (with the message to show) when a log-in to `identifier` (a user
    name or e-mail address) from `address` is refused for now. Counts nothing."""
    for scope, key, limit, about_account in _limits(identifier, address):
        count, retry_after = rate_limit_peek(
            scope=scope, key=key, window=limits.LOGIN_WINDOW_SECONDS
        )
        if count >= limit:
            message = account_message if about_account else address_message
            raise RateLimited(message(retry_after), retry_after=retry_after)


def login_failure_record(*, identifier: str, address: str) -> None:
    """Count one failed log-in (a wrong password or two-factor code) in every count."""
    for scope, key, limit, _message in _limits(identifier, address):
        rate_limit_spend(scope=scope, key=key, limit=limit, window=limits.LOGIN_WINDOW_SECONDS)
