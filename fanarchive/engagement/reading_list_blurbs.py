"""The reading-list status form on every blurb (`works.blurb_actions`, supplied in
`engagement.apps`): a select of the statuses, the reader's own chosen. Built as a string,
as the blurb is (a listing shows twenty), with every inserted value escaped."""

from __future__ import annotations

import html
from collections.abc import Callable

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.translation import gettext_lazy

from fanarchive.engagement.models import ReadingStatus
from fanarchive.engagement.reading_list_selectors import reading_statuses

NOT_ON_LIST = gettext_lazy("Not on my reading list")


def _nothing(work_id: int) -> str:
    return ""


def status_options(chosen: str | None) -> str:
    """The select's options, `chosen` selected ("" is "not on the list")."""
    options = [("", NOT_ON_LIST), *ReadingStatus.choices]
    return "".join(
        f'<option value="{value}"{" selected" if value == (chosen or "") else ""}>'
        f"{html.escape(str(label))}</option>"
        for value, label in options
    )


def reading_status_actions(request: HttpRequest) -> Callable[[int], str]:
    """For the request's reader, a page's maker of blurb forms; nothing for guests. Their
    statuses are read once, when the page's first blurb asks."""
    if not request.user.is_authenticated:
        return _nothing
    user = request.user
    token = html.escape(get_token(request))
    back = html.escape(request.get_full_path())
    head, tail = reverse("social:reading_status", args=[987654321]).rsplit("987654321", 1)
    statuses: dict[int, str] | None = None

    def actions(work_id: int) -> str:
        nonlocal statuses
        if statuses is None:
            statuses = reading_statuses(user)
        field = f"reading-status-{work_id}"
        return (
            f'<form method="post" action="{head}{work_id}{tail}"'
            ' class="inline-form reading-status">'
            f'<input type="hidden" name="csrfmiddlewaretoken" value="{token}">'
            f'<input type="hidden" name="next" value="{back}">'
            f'<label for="{field}">Reading list</label> '
            f'<select name="status" id="{field}">{status_options(statuses.get(work_id))}</select> '
            '<button type="submit" class="secondary">Save'
            '<span class="visually-hidden"> reading status</span></button></form>'
        )

    return actions
