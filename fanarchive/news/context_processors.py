"""`site_banner` in every template: the active banner unless this browser hid it. Read
from the cache (`selectors.banner_active`), so a page never queries the banner's table
while the cache holds it."""

from __future__ import annotations

from django.http import HttpRequest

from fanarchive.news.selectors import (
    BANNER_DISMISSED_KEY,
    Banner,
    banner_active,
    banner_shown,
)


def banner(request: HttpRequest) -> dict[str, object]:
    return {"site_banner": _shown(request)}


def _shown(request: HttpRequest) -> Banner | None:
    session = getattr(request, "session", None)
    dismissed = session.get(BANNER_DISMISSED_KEY) if session is not None else None
    return banner_shown(banner_active(), dismissed)


def banner_key(request: HttpRequest) -> str:
    """The banner this page shows, by id and version ("" for none): what a guest's cached
    page varies by (`core.page_cache`)."""
    shown = _shown(request)
    return shown.key if shown is not None else ""
