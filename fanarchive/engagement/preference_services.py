"""Writes to a reader's preferences.

Here rather than in accounts because some of them govern what engagement keeps:
turning history off clears the reading history, turning "Marked for later" off
clears the marks.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from fanarchive.accounts.language_services import language_check
from fanarchive.accounts.models import EmailFrequency, Preference, User
from fanarchive.accounts.profile_services import require_self
from fanarchive.accounts.reading_time import MAX_WORDS_PER_MINUTE, MIN_WORDS_PER_MINUTE
from fanarchive.engagement import history_services

EMAIL_PREFERENCES = (
    "email_comments",
    "email_replies",
    "email_kudos",
    "email_subscriptions",
    "email_collections",
)


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
    reading_speed: int | None = None,
    language: str | None = None,
) -> Preference:
    """Save `owner`'s preferences; `user` is who asks and must be `owner`.

    The writing, history and e-mail preferences are left as they are when not given
    (None). `email` maps `email_comments`, `email_replies`, `email_kudos`,
    `email_subscriptions` and `email_collections` to "immediate", "daily" or "off";
    `reading_speed` (words per minute, for reading-time estimates) must be within
    `accounts.reading_time`'s bounds.
    `language` is the interface's language (a code of settings.LANGUAGES, "" for the
    browser's own), left as it is when None.
    Turning history off clears it (works marked for later stay marked); turning "Marked
    for later" off clears the marks.
    """
    require_self(user, owner)
    email = email or {}
    errors = {
        name: [
            gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(EmailFrequency.values)}
        ]
        for name, value in email.items()
        if name not in EMAIL_PREFERENCES or value not in EmailFrequency.values
    }
    if reading_speed is not None and not (
        MIN_WORDS_PER_MINUTE <= reading_speed <= MAX_WORDS_PER_MINUTE
    ):
        errors["reading_speed"] = [
            gettext(
                "Choose a reading speed between %(MIN_WORDS_PER_MINUTE)s and "
                "%(MAX_WORDS_PER_MINUTE)s words per minute."
            )
            % {
                "MIN_WORDS_PER_MINUTE": MIN_WORDS_PER_MINUTE,
                "MAX_WORDS_PER_MINUTE": MAX_WORDS_PER_MINUTE,
            }
        ]
    if language is not None:
        try:
            language_check(language)
        except ValidationError as error:
            errors.update(error.message_dict)
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
        if reading_speed is not None:
            preference.reading_speed = reading_speed
        if language is not None:
            preference.language = language
        stop_history = keep_history is False and preference.keep_history
        if keep_history is not None:
            preference.keep_history = keep_history
        stop_marks = use_marked_for_later is False and preference.use_marked_for_later
        if use_marked_for_later is not None:
            preference.use_marked_for_later = use_marked_for_later
        preference.save()
        if stop_history:
            history_services.history_clear(user=owner)
        if stop_marks:
            history_services.history_marks_clear(user=owner)
    return preference
