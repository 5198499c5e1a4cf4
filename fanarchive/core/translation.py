"""Helpers for marking text for translation.

`gettext_lazy("...") % values` translates at once (Django's lazy strings format
eagerly), which at import time would freeze the text in the default language.
`lazy_format` keeps it lazy: the message is translated and filled in each time
it is shown, in the language of the request showing it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils.functional import Promise, lazy


def _format(message: str | Promise, values: dict[str, Any]) -> str:
    return str(message) % values


_format_lazy = lazy(_format, str)


def lazy_format(message: str | Promise, **values: Any) -> Any:
    """`message % values`, translated when shown (`message` is a `gettext_lazy` text
    with named `%(name)s` placeholders)."""
    return _format_lazy(message, values)


def lazy_text(func: Callable[..., str], *args: Any, **kwargs: Any) -> Any:
    """`func(*args, **kwargs)`, called each time the text is shown (so in the language
    showing it): for a value of `lazy_format` that is itself translated, such as a
    chapter's heading."""
    return lazy(func, str)(*args, **kwargs)
