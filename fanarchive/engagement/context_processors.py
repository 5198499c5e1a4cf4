"""`inbox_unread` in every template: evaluated only where the header shows it."""

from __future__ import annotations

from functools import partial

from django.http import HttpRequest

from fanarchive.engagement.inbox_selectors import unread_count


def inbox(request: HttpRequest) -> dict[str, object]:
    # Templates call callables, so the COUNT runs only when a template uses the number.
    return {"inbox_unread": partial(unread_count, request.user)}
