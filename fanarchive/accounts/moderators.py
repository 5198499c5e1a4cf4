"""Who moderates, and who is suspended: questions every layer asks (opening a hidden
work, logging in, an API token), so they live at the bottom, beside the account.

The moderation app (`fanarchive.moderation`) writes suspensions and keeps the queue; it
re-exports `is_moderator` from its selectors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

# Made by the moderation app's data migration; members work the moderation queue.
MODERATORS_GROUP = "Moderators"
# Cached on the user object for the rest of the request (one group query at most).
_CACHE_ATTRIBUTE = "_fanarchive_is_moderator"


def is_moderator(user: User | AnonymousUser | None) -> bool:
    """Admins (staff or superusers), and members of the "Moderators" group."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        setattr(user, _CACHE_ATTRIBUTE, cached)
    return bool(cached)


def require_moderator(user: User | AnonymousUser | None, refusal: str | None = None) -> None:
    """Refuse anyone but a moderator with `refusal`, a whole translated sentence saying
    what they tried to do ("Only moderators and administrators can take reports.")."""
    if not is_moderator(user):
        raise PermissionDenied(refusal or _("Only moderators and administrators can moderate."))


def is_suspended(user: User, now: dt.datetime | None = None) -> bool:
    """Suspended for good, or until a time still to come."""
    if user.suspended_permanently:
        return True
    until = user.suspended_until
    return until is not None and until > (now or timezone.now())


def suspension_message(user: User) -> str:
    """What a suspended person is told when logging in or calling the API."""
    if user.suspended_permanently:
        when = _("This account has been suspended permanently")
    else:
        until = timezone.localtime(user.suspended_until) if user.suspended_until else None
        when = (
            _("This account is suspended until %(until)s") % {"until": f"{until:%Y-%m-%d %H:%M %Z}"}
            if until
            else ""
        )
    reason = user.suspension_reason.strip()
    if reason:
        return _("%(when)s. Reason: %(reason)s") % {"when": when, "reason": reason}
    return f"{when}."


def require_active(user: User | AnonymousUser, guest: str, suspended: str) -> None:
    """Refuse a guest (with `guest`, "Please log in to claim a prompt.") or a suspended
    account (with `suspended`, "A suspended account cannot claim a prompt."): whole
    translated sentences, so that each language words them its own way."""
    if not user.is_authenticated:
        raise PermissionDenied(guest)
    if is_suspended(user):
        raise PermissionDenied(suspended)
