"""An account's interface language (Preference.language): the footer's chooser and the
preferences page save it; log-in puts it in the language cookie (core.i18n)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Preference, User


def language_check(language: str) -> str:
    """`language` when it is "" (the browser's) or a code of settings.LANGUAGES."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError(
            {"language": [_("Choose one of the languages offered.")]}, code="invalid"
        )
    return language


def account_language_set(*, user: User, language: str) -> None:
    """Save `user`'s interface language ("" to follow the browser's)."""
    language_check(language)
    updated = Preference.objects.filter(user=user).update(language=language)
    if not updated:
        Preference.objects.create(user=user, language=language)
