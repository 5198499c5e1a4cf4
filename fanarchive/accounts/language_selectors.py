"""Which language an account reads the interface and its mail in (Preference.language)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation

from fanarchive.accounts.models import Preference, User


def _offered(code: str | None) -> str:
    """`code` if it is one of settings.LANGUAGES, else "" (a language since removed)."""
    return code if code and code in dict(settings.LANGUAGES) else ""


def account_language(user: User) -> str:
    """`user`'s chosen language, "" when they follow their browser's."""
    return _offered(Preference.objects.filter(user=user).values_list("language", flat=True).first())


def preference_language(preference: Preference | None) -> str:
    """The language written to the owner of `preference` (their choice, else the site's
    default): for callers that already hold the Preference rows of many accounts."""
    return _offered(preference.language if preference is not None else "") or (
        settings.LANGUAGE_CODE
    )


def mail_language(user: User | None) -> str:
    """The language mail to `user` is written in: theirs, else the site's default."""
    return (account_language(user) if user is not None and user.pk else "") or (
        settings.LANGUAGE_CODE
    )


def in_language_of(user: User | None) -> translation.override:
    """`with in_language_of(user):` around writing mail to `user` (subject included), so it
    goes out in their language."""
    return translation.override(mail_language(user))


def in_language(code: str) -> translation.override:
    """`with in_language(code):` around writing for someone with no account or preference
    (an invitation to an address, a download): `code` if it is one of settings.LANGUAGES,
    else the site's default."""
    return translation.override(_offered(code) or settings.LANGUAGE_CODE)


def in_language_of_username(username: str) -> translation.override:
    """`in_language_of` for the account named `username` (any case)."""
    return in_language_of(User.objects.filter(username__iexact=username).first())
