"""What an administrator changes about an account on Django's admin pages: creating one,
its name, address and flags (active, staff, superuser), its groups and permissions. Each
change is checked and written to the audit log (who, what, before and after).

Moderators' changes (suspensions) have their own services in the moderation app, age
verification in `age_services`; people change their own accounts through `services`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext

from fanarchive.accounts import events
from fanarchive.accounts.models import User
from fanarchive.accounts.services import _account_errors, user_create
from fanarchive.core.audit_services import audit_record

# What the admin's account form may change; everything else has its own service.
ADMIN_FIELDS = (
    "username",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


def _require_admin(actor: User, doing: str) -> None:
    if not (actor.is_active and actor.is_staff and actor.has_perm(f"accounts.{doing}_user")):
        raise PermissionDenied(gettext("Only administrators can change accounts here."))


def _granting_superuser(actor: User, values: dict[str, Any]) -> None:
    if values.get("is_superuser") and not actor.is_superuser:
        raise PermissionDenied(gettext("Only a superuser can make another account a superuser."))


def new_account_errors(*, username: str, email: str) -> dict[str, list[str]]:
    """What `user_admin_create` would refuse about this name and address, for the admin's
    form to show before saving (the sign-up's own checks)."""
    return _account_errors(
        username=username.strip(),
        email=email.strip(),
        password=None,
        check_password_strength=False,
    )


def user_admin_create(
    *, actor: User, username: str, email: str, password: str | None, reason: str = ""
) -> User:
    """An account made by an administrator, through `user_create` like every account
    (`password=None`: nobody can log in until its owner resets the password)."""
    _require_admin(actor, "add")
    with transaction.atomic():
        user = user_create(
            username=username, email=email, password=password, check_password_strength=False
        )
        audit_record(
            actor=actor,
            action="account.create",
            target=user,
            reason=reason or "Django admin",
            after={"username": user.username, "email": user.email},
            subject=user,
        )
    return user


def user_admin_update(*, actor: User, user: User, values: dict[str, Any], reason: str = "") -> User:
    """Change the account's `ADMIN_FIELDS` named in `values`; only what really changed is
    saved and logged (the password has its own form, which logs it)."""
    unknown = set(values) - set(ADMIN_FIELDS)
    if unknown:
        raise ValueError(f"Not changed here: {', '.join(sorted(unknown))}")
    _require_admin(actor, "change")
    _granting_superuser(actor, values)
    if user.pk == actor.pk and values.get("is_active") is False:
        raise PermissionDenied(gettext("You cannot deactivate your own account."))
    with transaction.atomic():
        stored = User.objects.select_for_update().get(pk=user.pk)
        changed = {k: v for k, v in values.items() if getattr(stored, k) != v}
        if not changed:
            return stored
        before = {name: getattr(stored, name) for name in changed}
        for name, value in changed.items():
            setattr(stored, name, value)
        stored.save(update_fields=list(changed))
        if "username" in changed:  # the user name is in bylines and search (accounts.events)
            events.bylines_changed(pseud_ids=list(stored.pseuds.values_list("pk", flat=True)))
        audit_record(
            actor=actor,
            action="account.update",
            target=stored,
            reason=reason or "Django admin",
            before=before,
            after=changed,
            subject=stored,
        )
    return stored


def user_password_set_by_admin(*, actor: User, user: User, password: str | None) -> User:
    """A new password chosen by an administrator (None: no password one can log in with)."""
    _require_admin(actor, "change")
    with transaction.atomic():
        if password is None:
            user.set_unusable_password()
        else:
            user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="account.password_set",
            target=user,
            reason="Django admin",
            after={"usable": password is not None},
            subject=user,
        )
    return user


def user_access_set(
    *,
    actor: User,
    user: User,
    groups: Iterable[Group],
    permissions: Sequence[Permission] | None = None,
    reason: str = "",
) -> None:
    """Set the account's groups (Moderators, Wranglers...) and, when given, its own
    permissions; what changed is logged by name."""
    _require_admin(actor, "change")
    wanted_groups = sorted({group.name: group for group in groups}.items())
    with transaction.atomic():
        before: dict[str, Any] = {"groups": sorted(user.groups.values_list("name", flat=True))}
        after: dict[str, Any] = {"groups": [name for name, _ in wanted_groups]}
        user.groups.set([group for _, group in wanted_groups])
        if permissions is not None:
            before["permissions"] = _permission_names(user.user_permissions.all())
            after["permissions"] = _permission_names(permissions)
            user.user_permissions.set(list(permissions))
        if before != after:
            audit_record(
                actor=actor,
                action="account.access",
                target=user,
                reason=reason or "Django admin",
                before=before,
                after=after,
                subject=user,
            )


def _permission_names(permissions: Iterable[Permission]) -> list[str]:
    return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)
