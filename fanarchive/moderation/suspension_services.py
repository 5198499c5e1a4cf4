"""Suspending accounts and lifting suspensions (the queue's "suspend" and the Django
admin's user page both come here). A suspended account cannot log in, its API tokens
are refused and its sessions end (`accounts.backends`, `api.auth`)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.accounts.moderators import is_moderator, is_suspended
from fanarchive.core.audit_services import audit_record
from fanarchive.core.models import AuditEntry
from fanarchive.core.reasons import moderation_text
from fanarchive.works.models import Work
from fanarchive.works.moderation_services import work_set_hidden, works_set_hidden_of

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

MAX_DAYS = 3650
SUSPEND_ACTION = "user.suspend"


def _state(user: User) -> dict[str, object]:
    return {
        "suspended_until": user.suspended_until.isoformat() if user.suspended_until else None,
        "suspended_permanently": user.suspended_permanently,
        "suspension_reason": user.suspension_reason,
    }


def suspension_check(
    *, moderator: User, user: User, reason: str, days: int | None, forever: bool
) -> str:
    """The cleaned reason, or why this suspension is refused (PermissionDenied, or a
    ValidationError keyed "reason" / "suspend_days"): the admin's form asks first."""
    if not is_moderator(moderator):
        raise PermissionDenied(_("Only moderators and administrators can suspend accounts."))
    if user.pk == moderator.pk:
        raise PermissionDenied(_("You cannot suspend your own account."))
    if user.is_staff or user.is_superuser:
        raise PermissionDenied(
            _("Administrators cannot be suspended; remove their staff status first.")
        )
    errors: dict[str, list[str]] = {}
    cleaned = ""
    try:
        cleaned = moderation_text(reason)
    except ValidationError as error:
        errors.update(error.message_dict)
    if forever and days is not None:
        errors["suspend_days"] = [_("Choose a number of days or for good, not both.")]
    elif not forever and (days is None or not 1 <= days <= MAX_DAYS):
        errors["suspend_days"] = [
            _("Please give a number of days from 1 to %(MAX_DAYS)s, or suspend for good.")
            % {"MAX_DAYS": MAX_DAYS}
        ]
    if errors:
        raise ValidationError(errors)
    return cleaned


def user_suspend_hiding(
    *,
    moderator: User,
    user: User,
    reason: str,
    days: int | None = None,
    forever: bool = False,
    hide_works: bool = False,
) -> list[int]:
    """`user_suspend`, returning the ids of the works it hid."""
    cleaned = suspension_check(
        moderator=moderator, user=user, reason=reason, days=days, forever=forever
    )
    before = _state(user)
    with transaction.atomic():
        user.suspended_permanently = forever
        user.suspended_until = None if forever else timezone.now() + dt.timedelta(days=days or 0)
        user.suspension_reason = cleaned
        user.save(update_fields=["suspended_until", "suspended_permanently", "suspension_reason"])
        hidden = (
            works_set_hidden_of(user=moderator, owner=user, hidden=True, reason=cleaned)
            if hide_works
            else []
        )
        audit_record(
            actor=moderator,
            action=SUSPEND_ACTION,
            target=user,
            reason=cleaned,
            before=before,
            after={**_state(user), "hidden_work_ids": hidden},
            subject=user,
        )
    return hidden


def user_suspend(
    *,
    moderator: User,
    user: User,
    reason: str,
    days: int | None = None,
    forever: bool = False,
    hide_works: bool = False,
) -> User:
    """Suspend `user` for `days` or `forever`, with the reason they are shown; their
    posted works hidden too when `hide_works` (each through the catalogue)."""
    user_suspend_hiding(
        moderator=moderator,
        user=user,
        reason=reason,
        days=days,
        forever=forever,
        hide_works=hide_works,
    )
    return user


def works_hidden_with_suspension(user: User) -> list[int]:
    """The works the latest suspension of `user` hid (from its audit entry)."""
    entry = (
        AuditEntry.objects.filter(
            action=SUSPEND_ACTION, target_type=user._meta.label_lower, target_id=user.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )
    ids = entry.after.get("hidden_work_ids", []) if entry else []
    return [int(i) for i in ids if isinstance(i, int | str) and str(i).isdigit()]


def user_unsuspend(
    *, moderator: User, user: User, reason: str = "", show_works: bool = True
) -> User:
    """Lift `user`'s suspension; the works it hid are shown again (unless `show_works`
    is False, or a moderator has hidden them since for another reason)."""
    if not is_moderator(moderator):
        raise PermissionDenied(_("Only moderators and administrators can lift suspensions."))
    if not is_suspended(user) and not user.suspended_until and not user.suspended_permanently:
        raise ValidationError(_("This account is not suspended."))
    cleaned = moderation_text(reason, required=None)
    before = _state(user)
    with transaction.atomic():
        suspension_reason = user.suspension_reason
        user.suspended_until = None
        user.suspended_permanently = False
        user.suspension_reason = ""
        user.save(update_fields=["suspended_until", "suspended_permanently", "suspension_reason"])
        shown: list[int] = []
        if show_works:
            works = Work.objects.filter(
                pk__in=works_hidden_with_suspension(user),
                hidden_by_admin=True,
                hidden_reason=suspension_reason,
            )
            for work in works.order_by("pk"):
                work_set_hidden(user=moderator, work=work, hidden=False, reason=cleaned)
                shown.append(work.pk)
        audit_record(
            actor=moderator,
            action="user.unsuspend",
            target=user,
            reason=cleaned,
            before=before,
            after={**_state(user), "shown_work_ids": shown},
            subject=user,
        )
    return user
