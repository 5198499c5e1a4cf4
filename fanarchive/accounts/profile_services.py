"""Writes to what an account owner keeps: their profile and pseuds.

Preferences are saved by `engagement.preference_services` (turning history off clears it).
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fanarchive.accounts import events
from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.services import (
    ABOUT_MAX,
    PSEUD_DESCRIPTION_MAX,
    Errors,
    add_error,
    pseud_name_errors,
)
from fanarchive.core.text import clean_line, clean_text

logger = logging.getLogger(__name__)


# -- profile and pseuds ------------------------------------------------------


def require_self(user: User, owner: User) -> None:
    """Refuse (403) anyone but `owner` changing `owner`'s account."""
    if user.pk != owner.pk:
        raise PermissionDenied(_("You can only change your own account."))


def profile_update(*, user: User, owner: User, about: str) -> User:
    """Change `owner`'s profile text; `user` is who asks and must be `owner`."""
    require_self(user, owner)
    about = clean_text(about).strip()
    if len(about) > ABOUT_MAX:
        raise ValidationError(
            {
                "about": [
                    _(
                        "Your profile text can be at most %(max)s characters long "
                        "(it has %(length)s)."
                    )
                    % {"max": f"{ABOUT_MAX:,}", "length": f"{len(about):,}"}
                ]
            }
        )
    with transaction.atomic():
        owner.about = about
        owner.save(update_fields=["about"])
    return owner


def _cleaned_pseud(*, name: str, description: str) -> tuple[str, str]:
    """A pseud's fields as typed, without control characters or surrounding space."""
    return clean_line(name).strip(), clean_text(description).strip()


def _pseud_errors(
    *, owner: User, name: str, description: str, exclude_id: int | None = None
) -> Errors:
    errors: Errors = {}
    if found := pseud_name_errors(name, user=owner, exclude_id=exclude_id):
        errors["name"] = found
    if len(description) > PSEUD_DESCRIPTION_MAX:
        add_error(
            errors,
            "description",
            _("Pseud descriptions can be at most %(max)s characters long (it has %(length)s).")
            % {"max": f"{PSEUD_DESCRIPTION_MAX:,}", "length": f"{len(description):,}"},
        )
    return errors


def _make_default(pseud: Pseud) -> None:
    """Make `pseud` its user's one default pseud (inside the caller's transaction)."""
    Pseud.objects.filter(user_id=pseud.user_id, is_default=True).exclude(pk=pseud.pk).update(
        is_default=False
    )
    if not pseud.is_default:
        pseud.is_default = True
        pseud.save(update_fields=["is_default"])


def pseud_create(
    *,
    user: User,
    owner: User,
    name: str,
    description: str = "",
    make_default: bool = False,
) -> Pseud:
    """A new pseud for `owner`; `user` is who asks and must be `owner`."""
    require_self(user, owner)
    name, description = _cleaned_pseud(name=name, description=description)
    errors = _pseud_errors(owner=owner, name=name, description=description)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            pseud = Pseud.objects.create(user=owner, name=name, description=description)
            if make_default:
                _make_default(pseud)
    except IntegrityError:
        raise ValidationError({"name": [_("You already have a pseud with that name.")]}) from None
    return pseud


def pseud_update(
    *,
    user: User,
    pseud: Pseud,
    name: str,
    description: str,
    make_default: bool = False,
) -> Pseud:
    """Rename or describe a pseud, or make it the default one.

    `make_default` is an action, not a state: False leaves the default where it
    is, so a user always has exactly one default pseud. To move the default,
    make another pseud the default.
    """
    require_self(user, pseud.user)
    name, description = _cleaned_pseud(name=name, description=description)
    errors = _pseud_errors(
        owner=pseud.user, name=name, description=description, exclude_id=pseud.pk
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            renamed = pseud.name != name
            pseud.name = name
            pseud.description = description
            pseud.save(update_fields=["name", "description"])
            if make_default:
                _make_default(pseud)
            if renamed:  # bylines in search and the catalogue follow (accounts.events)
                events.bylines_changed(pseud_ids=[pseud.pk])
    except IntegrityError:
        raise ValidationError({"name": [_("You already have a pseud with that name.")]}) from None
    return pseud
