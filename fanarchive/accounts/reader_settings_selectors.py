"""Which reader settings a request is drawn with (reader_settings.py has the values)."""

from __future__ import annotations

from django.http import HttpRequest

from fanarchive.accounts.models import Preference
from fanarchive.accounts.reader_settings import (
    COOKIE_NAME,
    DEFAULTS,
    FIELD_NAMES,
    ReaderSettings,
    settings_from_cookie,
    settings_from_values,
)

_PREFERENCE_COLUMNS = [f"reader_{name}" for name in FIELD_NAMES]


def reader_settings_of_account(preference: Preference) -> ReaderSettings:
    return settings_from_values(
        {name: getattr(preference, f"reader_{name}") for name in FIELD_NAMES}
    )


def reader_settings_for(request: HttpRequest) -> ReaderSettings:
    """The account's settings once logged in, else the browser's cookie. Kept on the
    request: the page's <html> and the work's skin both ask."""
    cached: ReaderSettings | None = getattr(request, "_reader_settings", None)
    if cached is not None:
        return cached
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        row = Preference.objects.filter(user=user).values(*_PREFERENCE_COLUMNS).first()
        result = (
            settings_from_values({name: row[f"reader_{name}"] for name in FIELD_NAMES})
            if row
            else DEFAULTS
        )
    else:
        result = settings_from_cookie(request.COOKIES.get(COOKIE_NAME))
    request._reader_settings = result  # type: ignore[attr-defined]
    return result
