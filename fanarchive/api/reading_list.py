"""/api/v1 reading list: one's own entries to read, set (PUT) and clear (DELETE), and a
user's list when they made it public.

`reading_list_selectors` decide what is listed (only works the caller may list, as the
site's list page); `reading_list_services` validate and store, as the site's status form
does. The work inside an entry is the works API's own `WorkOut`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.accounts import selectors as accounts
from fanarchive.accounts.reading_time import reading_speed_of, reading_time
from fanarchive.api.auth import ACCOUNT, GUEST, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.api.schemas import WorkOut
from fanarchive.api.works import works_out
from fanarchive.engagement import reading_list_selectors as selectors
from fanarchive.engagement import reading_list_services as services
from fanarchive.engagement.models import ReadingListEntry, ReadingStatus
from fanarchive.works import selectors as works
from fanarchive.works.models import Work

router = Router(tags=["reading list"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 422, 429)
STATUSES = ", ".join(ReadingStatus.values)


class ReadingEntryOut(Schema):
    work_id: int
    status: str = Field(description=f"One of: {STATUSES}")
    added_at: datetime
    changed_at: datetime
    last_chapter_id: int | None = Field(
        description="The chapter last opened while the work was `reading`"
    )
    reading_time: str = Field(description="At the caller's reading speed, as the site says it")
    work: WorkOut


class ReadingPageOut(Schema):
    items: list[ReadingEntryOut]
    next: str | None


class ReadingEntryIn(Schema):
    status: str = Field(description=f"One of: {STATUSES}")


def entries_out(request: HttpRequest, rows: list[ReadingListEntry]) -> list[dict[str, Any]]:
    caller = caller_of(request)
    loaded = works.with_blurb_data(Work.objects.filter(pk__in=[e.work_id for e in rows]))
    by_id = {w["id"]: w for w in works_out(request, caller, list(loaded), adult=False)}
    speed = reading_speed_of(caller.user)
    return [
        {
            "work_id": entry.work_id,
            "status": entry.status,
            "added_at": entry.added_at,
            "changed_at": entry.changed_at,
            "last_chapter_id": entry.chapter_id,
            "reading_time": reading_time(by_id[entry.work_id]["words"], speed),
            "work": by_id[entry.work_id],
        }
        for entry in rows
        if entry.work_id in by_id
    ]


def _page(
    request: HttpRequest,
    items: QuerySet[ReadingListEntry],
    cursor: str | None,
    limit: int | None,
) -> dict[str, Any]:
    rows, next_cursor = keyset_page(items, cursor=cursor, limit=page_size(limit), field="added_at")
    return {"items": entries_out(request, rows), "next": next_cursor}


def _status_filter(status: str | None) -> str | None:
    if status is not None and status not in ReadingStatus.values:
        raise ValidationError(
            {"status": [_("Choose one of: %(statuses)s.") % {"statuses": STATUSES}]}
        )
    return status


@router.get(
    "/reading-list",
    response={200: ReadingPageOut, **READ_ERRORS},
    auth=ACCOUNT,
    summary="Your reading list, newest added first; ?status= for one status",
)
def my_reading_list(
    request: HttpRequest,
    status: str | None = None,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    caller = caller_of(request)
    items = selectors.reading_list_of(caller.account, caller.user, status=_status_filter(status))
    return _page(request, items, cursor, limit)


@router.get(
    "/users/{username}/reading-list",
    response={200: ReadingPageOut, **READ_ERRORS},
    auth=GUEST,
    summary="A user's reading list, if they made it public (or it is yours): the works on "
    "it you may see, newest added first",
)
def user_reading_list(
    request: HttpRequest,
    username: str,
    status: str | None = None,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.user_get(username)
    if not selectors.reading_list_shown_to(owner, caller.user):
        raise PermissionDenied(_("This reading list is private."))
    items = selectors.reading_list_of(owner, caller.user, status=_status_filter(status))
    return _page(request, items, cursor, limit)


def _entry(request: HttpRequest, work_id: int) -> ReadingListEntry:
    """The caller's entry of a work they may open (`access_work`, asked first, is the rule
    for one work: a creator reaches their own unrevealed work there, not in listings)."""
    caller = caller_of(request)
    entry = selectors.reading_entry(caller.account, work_id)
    if entry is None:
        raise Http404(_("This work is not on your reading list."))
    return entry


@router.get(
    "/reading-list/{work_id}",
    response={200: ReadingEntryOut, **READ_ERRORS},
    auth=ACCOUNT,
    url_name="reading_entry",
    summary="One work's entry on your reading list",
)
def reading_entry(request: HttpRequest, work_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    works.access_work(caller.user, work_id)
    return entries_out(request, [_entry(request, work_id)])[0]


@router.put(
    "/reading-list/{work_id}",
    response={200: ReadingEntryOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Put a work on your reading list with a status, or change its status",
)
def reading_entry_set(request: HttpRequest, work_id: Id, payload: ReadingEntryIn) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    services.reading_list_set(user=caller.account, work=work, status=payload.status)
    return entries_out(request, [_entry(request, work_id)])[0]


@router.delete(
    "/reading-list/{work_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Take a work off your reading list",
)
def reading_entry_delete(request: HttpRequest, work_id: Id) -> Status[None]:
    caller = caller_of(request)
    if not services.reading_list_remove(user=caller.account, work_id=work_id):
        raise Http404(_("This work is not on your reading list."))
    return Status(204, None)
