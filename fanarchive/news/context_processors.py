"""`site_banner` in every template: the active banner unless this browser hid it. Read
from the cache (`selectors.banner_active`), so a page never queries the banner's table
while the cache holds it."""

from __future__ import annotations

from django.http import HttpRequest

from fanarchive.news.selectors import BANNER_DISMISSED_KEY, banner_active, banner_shown


def banner(request: HttpRequest) -> dict[str, object]:
    session = getattr(request, "session", None)
    dismissed = session.get(BANNER_DISMISSED_KEY) if session is not None else None
    return {"site_banner": banner_shown(banner_active(), dismissed)}
