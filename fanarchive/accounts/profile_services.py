"""Writes to what an account owner keeps: their profile, pseuds and preferences."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from fanarchive.accounts.models import EmailFrequency, Preference, Pseud, User
from fanarchive.accounts.services import (
    ABOUT_MAX,
    PSEUD_DESCRIPTION_MAX,
    Errors,
    add_error,
    pseud_name_errors,
)
from fanarchive.core.text import clean_line, clean_text

logger = logging.getLogger(__name__)


# -- profile, pseuds, preferences ---------------------------------------------


EMAIL_PREFERENCES = ("email_comments", "email_replies", "email_kudos", "email_subscriptions")


def _require_self(user: User, owner: User) -> None:
    if user.pk != owner.pk:
        raise PermissionDenied("You can only change your own account.")


def profile_update(*, user: User, owner: User, about: str) -> User:
    """Change `owner`'s profile text; `user` is who asks and must be `owner`."""
    _require_self(user, owner)
    about = clean_text(about).strip()
    if len(about) > ABOUT_MAX:
        raise ValidationError(
            {
                "about": [
                    f"Your profile text can be at most {ABOUT_MAX:,} characters long "
                    f"(it has {len(about):,})."
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
            f"Pseud descriptions can be at most {PSEUD_DESCRIPTION_MAX:,} characters long "
            f"(it has {len(description):,}).",
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
    _require_self(user, owner)
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
        raise ValidationError({"name": ["You already have a pseud with that name."]}) from None
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
    _require_self(user, pseud.user)
    name, description = _cleaned_pseud(name=name, description=description)
    errors = _pseud_errors(
        owner=pseud.user, name=name, description=description, exclude_id=pseud.pk
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            pseud.name = name
            pseud.description = description
            pseud.save(update_fields=["name", "description"])
            if make_default:
                _make_default(pseud)
    except IntegrityError:
        raise ValidationError({"name": ["You already have a pseud with that name."]}) from None
    return pseud


def preferences_update(
    *,
    user: User,
    owner: User,
    view_adult: bool,
    hide_warnings: bool,
    hide_freeform: bool,
    accept_cocreator_invitations: bool | None = None,
    refuse_gifts: bool | None = None,
    keep_history: bool | None = None,
    use_marked_for_later: bool | None = None,
    email: dict[str, str] | None = None,
) -> Preference:
    """Save `owner`'s preferences; `user` is who asks and must be `owner`.

    The writing, history and e-mail preferences are left as they are when not given
    (None). `email` maps `email_comments`, `email_replies`, `email_kudos` and
    `email_subscriptions` to "immediate", "daily" or "off". Turning history off
    clears it (works marked for later stay marked); turning "Marked for later" off
    clears the marks.
    """
    _require_self(user, owner)
    email = email or {}
    errors = {
        name: [f"Choose one of: {', '.join(EmailFrequency.values)}."]
        for name, value in email.items()
        if name not in EMAIL_PREFERENCES or value not in EmailFrequency.values
    }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        preference, _ = Preference.objects.get_or_create(user=owner)
        preference.view_adult = view_adult
        preference.hide_warnings = hide_warnings
        preference.hide_freeform = hide_freeform
        if accept_cocreator_invitations is not None:
            preference.accept_cocreator_invitations = accept_cocreator_invitations
        if refuse_gifts is not None:
            preference.refuse_gifts = refuse_gifts
        for name, value in email.items():
            setattr(preference, name, value)
        stop_history = keep_history is False and preference.keep_history
        if keep_history is not None:
            preference.keep_history = keep_history
        stop_marks = use_marked_for_later is False and preference.use_marked_for_later
        if use_marked_for_later is not None:
            preference.use_marked_for_later = use_marked_for_later
        preference.save()
        if stop_history or stop_marks:
            from fanarchive.engagement import history_services

            if stop_history:
                history_services.history_clear(user=owner)
            if stop_marks:
                history_services.history_marks_clear(user=owner)
    return preference
