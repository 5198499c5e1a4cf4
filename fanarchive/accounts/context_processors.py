from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fanarchive.accounts.reader_settings_selectors import reader_settings_for


def reader(request: HttpRequest) -> dict[str, Any]:
    """The reader's settings, lazily: base.html puts them on <html> as data attributes."""
    return {"reader_settings": lambda: reader_settings_for(request)}
