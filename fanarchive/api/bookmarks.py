"""/api/v1 bookmarks: a user's, a work's, and one's own to make, change and delete.

`bookmark_selectors` decide what is listed (bookmarks of drafts and hidden works
never, of restricted works only to accounts, private ones only to their owner);
`bookmark_services` validate and store, as the site's bookmark form does. The work
inside a bookmark is the works API's own `WorkOut`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.accounts import selectors as accounts
from fanarchive.accounts.models import Pseud, User
from fanarchive.api.auth import GUEST, WRITE, Caller, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.api.schemas import WorkOut
from fanarchive.api.works import works_out
from fanarchive.discovery.selectors import bookmarks_unmuted
from fanarchive.engagement import bookmark_selectors, bookmark_services
from fanarchive.engagement.models import Bookmark
from fanarchive.works import selectors as works
from fanarchive.works.models import Series, Work
from fanarchive.works.series_selectors import series_get

router = Router(tags=["bookmarks"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)


class BookmarkerOut(Schema):
    pseud: str
    username: str
    byline: str


class SeriesRefOut(Schema):
    id: int
    title: str


class BookmarkOut(Schema):
    """A bookmark of a work (`work`) or of a series (`series`)."""

    id: int
    bookmarker: BookmarkerOut
    work: WorkOut | None
    series: SeriesRefOut | None
    notes: str = Field(description="Sanitised HTML")
    tags: list[str] = Field(description="The bookmarker's own tags")
    private: bool
    rec: bool = Field(description="A recommendation")
    created_at: datetime
    updated_at: datetime


class BookmarkPageOut(Schema):
    items: list[BookmarkOut]
    next: str | None


class BookmarkIn(Schema):
    work_id: Id | None = Field(None, description="The work to bookmark (or series_id)")
    series_id: Id | None = Field(None, description="The series to bookmark (or work_id)")
    pseud: str | None = Field(None, description="One of your pseuds' names (default pseud)")
    notes: str = ""
    tags: list[str] = []
    private: bool = False
    rec: bool = False


class BookmarkPatchIn(Schema):
    pseud: str | None = None
    notes: str | None = None
    tags: list[str] | None = None
    private: bool | None = None
    rec: bool | None = None


def bookmarks_out(
    request: HttpRequest, caller: Caller, rows: list[Bookmark]
) -> list[dict[str, Any]]:
    work_ids = [b.work_id for b in rows if b.work_id is not None]
    loaded = works.with_blurb_data(Work.objects.filter(pk__in=work_ids))
    by_id = {w["id"]: w for w in works_out(request, caller, list(loaded), adult=False)}
    out = []
    for bookmark in rows:
        series = bookmark.series
        out.append(
            {
                "id": bookmark.pk,
                "bookmarker": {
                    "pseud": bookmark.pseud.name,
                    "username": bookmark.pseud.user.username,
                    "byline": bookmark.pseud.byline,
                },
                "work": by_id.get(bookmark.work_id) if bookmark.work_id else None,
                "series": {"id": series.pk, "title": series.title} if series else None,
                "notes": bookmark.notes,
                "tags": sorted(tag.name for tag in bookmark.tags.all()),
                "private": bookmark.private,
                "rec": bookmark.rec,
                "created_at": bookmark.created_at,
                "updated_at": bookmark.updated_at,
            }
        )
    return out


def _page(
    request: HttpRequest, items: QuerySet[Bookmark], cursor: str | None, limit: int | None
) -> dict[str, Any]:
    caller = caller_of(request)
    rows, next_cursor = keyset_page(
        items, cursor=cursor, limit=page_size(limit), field="created_at"
    )
    return {"items": bookmarks_out(request, caller, rows), "next": next_cursor}


def _pseud(user: User, name: str | None) -> Pseud:
    if not name:
        return user.default_pseud
    pseud = Pseud.objects.filter(user=user, name__iexact=name).first()
    if pseud is None:
        raise ValidationError({"pseud": [_("You have no pseud of that name.")]})
    return pseud


def _own(caller: Caller, bookmark_id: int) -> Bookmark:
    bookmark = bookmark_selectors.bookmark_for(caller.user, bookmark_id)
    if bookmark.user_id != caller.account.pk:
        raise PermissionDenied(_("This is not your bookmark."))
    return bookmark


@router.get(
    "/users/{username}/bookmarks",
    response={200: BookmarkPageOut, **READ_ERRORS},
    auth=GUEST,
    summary="A user's bookmarks: public ones (less works you muted), or all of your own; "
    "newest first",
)
def user_bookmarks(
    request: HttpRequest, username: str, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.user_get(username)
    return _page(request, bookmarks_unmuted(caller.user, owner), cursor, limit)


@router.get(
    "/works/{work_id}/bookmarks",
    response={200: BookmarkPageOut, **READ_ERRORS},
    auth=GUEST,
    summary="A work's public bookmarks, newest first",
)
def work_bookmarks(
    request: HttpRequest, work_id: Id, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    return _page(request, bookmark_selectors.bookmarks_of_work(caller.user, work), cursor, limit)


@router.post(
    "/bookmarks",
    response={201: BookmarkOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Bookmark a work or a series",
)
def bookmark_create(request: HttpRequest, payload: BookmarkIn) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    user = caller.account
    if (payload.work_id is None) == (payload.series_id is None):
        raise ValidationError({"work_id": [_("Give one of work_id and series_id.")]})
    work: Work | None = None
    series: Series | None = None
    if payload.work_id is not None:
        work = works.access_work(user, payload.work_id)
    if payload.series_id is not None:
        series = series_get(user, payload.series_id)
    bookmark = bookmark_services.bookmark_create(
        user=user,
        pseud=_pseud(user, payload.pseud),
        work=work,
        series=series,
        notes=payload.notes,
        tags=payload.tags,
        private=payload.private,
        rec=payload.rec,
    )
    bookmark = bookmark_selectors.bookmark_for(user, bookmark.pk)
    return Status(201, bookmarks_out(request, caller, [bookmark])[0])


@router.get(
    "/bookmarks/{bookmark_id}",
    response={200: BookmarkOut, **READ_ERRORS},
    auth=GUEST,
    url_name="bookmark_detail",
    summary="One bookmark: a public one, or your own",
)
def bookmark_detail(request: HttpRequest, bookmark_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    bookmark = bookmark_selectors.bookmark_for(caller.user, bookmark_id)
    return bookmarks_out(request, caller, [bookmark])[0]


@router.patch(
    "/bookmarks/{bookmark_id}",
    response={200: BookmarkOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Change your bookmark (the fields sent)",
)
def bookmark_update(
    request: HttpRequest, bookmark_id: Id, payload: BookmarkPatchIn
) -> dict[str, Any]:
    caller = caller_of(request)
    user = caller.account
    bookmark = _own(caller, bookmark_id)
    for key in payload.model_fields_set:
        if getattr(payload, key) is None and key != "pseud":
            raise ValidationError({key: [_("This field cannot be null.")]})
    bookmark_services.bookmark_update(
        user=user,
        bookmark=bookmark,
        pseud=_pseud(user, payload.pseud) if payload.pseud else bookmark.pseud,
        notes=payload.notes if payload.notes is not None else bookmark.notes,
        tags=(
            payload.tags if payload.tags is not None else [tag.name for tag in bookmark.tags.all()]
        ),
        private=payload.private if payload.private is not None else bookmark.private,
        rec=payload.rec if payload.rec is not None else bookmark.rec,
    )
    bookmark = bookmark_selectors.bookmark_for(user, bookmark.pk)
    return bookmarks_out(request, caller, [bookmark])[0]


@router.delete(
    "/bookmarks/{bookmark_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Delete your bookmark",
)
def bookmark_delete(request: HttpRequest, bookmark_id: Id) -> Status[None]:
    caller = caller_of(request)
    bookmark_services.bookmark_delete(user=caller.account, bookmark=_own(caller, bookmark_id))
    return Status(204, None)
