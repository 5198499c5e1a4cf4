"""/api/v1/users and /api/v1/me: public profiles, pseuds, their works; one's drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from fanarchive.accounts import selectors as accounts
from fanarchive.accounts.models import Pseud, User
from fanarchive.api.auth import ACCOUNT, GUEST, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count
from fanarchive.api.schemas import WorkOut
from fanarchive.api.works import works_out
from fanarchive.discovery import selectors as listings
from fanarchive.works import selectors as works
from fanarchive.works.models import WorkQuerySet

router = Router(tags=["users"])
ERRORS = problem_responses(401, 403, 404, 422, 429)


class PseudOut(Schema):
    name: str
    byline: str
    description: str
    is_default: bool
    works: int = Field(description="Works under this pseud that the caller may see")


class UserOut(Schema):
    username: str
    url: str
    about: str
    joined: datetime
    pseuds: list[PseudOut]


class WorkPageOut(Schema):
    items: list[WorkOut]
    next: str | None


class MeOut(Schema):
    username: str
    authenticated_by: str = Field(description='"token" or "session"')
    scope: str = Field(description='"read" or "write"')
    view_adult: bool = Field(description='The "show adult content" preference')


def _pseud_out(pseud: Pseud) -> dict[str, Any]:
    return {
        "name": pseud.name,
        "byline": pseud.byline,
        "description": pseud.description,
        "is_default": pseud.is_default,
        "works": getattr(pseud, "work_count", 0),
    }


def _page(
    request: HttpRequest, items: WorkQuerySet, cursor: str | None, limit: int | None, field: str
) -> dict[str, Any]:
    caller = caller_of(request)
    rows, next_cursor = keyset_page(items, cursor=cursor, limit=page_size(limit), field=field)
    return {"items": works_out(request, caller, rows, adult=False), "next": next_cursor}


@router.get("/me", response={200: MeOut, **ERRORS}, auth=ACCOUNT, summary="Who you are")
def me(request: HttpRequest) -> dict[str, Any]:
    caller = caller_of(request)
    user = caller.account
    return {
        "username": user.username,
        "authenticated_by": caller.via,
        "scope": "write" if caller.can_write else "read",
        "view_adult": accounts.preference_of(user).view_adult,
    }


@router.get(
    "/users/{username}",
    response={200: UserOut, **ERRORS},
    auth=GUEST,
    summary="A public profile with its pseuds",
)
def user_detail(request: HttpRequest, username: str) -> dict[str, Any]:
    caller = caller_of(request)
    owner: User = accounts.user_get(username)
    return {
        "username": owner.username,
        "url": request.build_absolute_uri(owner.get_absolute_url()),
        "about": owner.about,
        "joined": owner.date_joined,
        "pseuds": [_pseud_out(p) for p in works.pseuds_for(caller.user, owner)],
    }


@router.get(
    "/users/{username}/works",
    response={200: WorkPageOut, **ERRORS},
    auth=GUEST,
    summary="A user's works that you may see, newest update first",
)
def user_works(
    request: HttpRequest, username: str, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.user_get(username)
    return _page(
        request, listings.works_by_user_for(caller.user, owner), cursor, limit, "revised_at"
    )


@router.get(
    "/users/{username}/drafts",
    response={200: WorkPageOut, **ERRORS},
    auth=ACCOUNT,
    summary="Your drafts (only your own), last changed first",
)
def user_drafts(
    request: HttpRequest, username: str, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.own_account(caller.user, username)
    return _page(request, works.drafts_of(owner), cursor, limit, "updated_at")


@router.get(
    "/users/{username}/pseuds/{name}",
    response={200: PseudOut, **ERRORS},
    auth=GUEST,
    summary="One pseud",
)
def pseud_detail(request: HttpRequest, username: str, name: str) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.user_get(username)
    found = accounts.pseud_get(owner, name)
    counted = works.pseuds_for(caller.user, owner).get(pk=found.pk)
    return _pseud_out(counted)


@router.get(
    "/users/{username}/pseuds/{name}/works",
    response={200: WorkPageOut, **ERRORS},
    auth=GUEST,
    summary="The works under one pseud that you may see, newest update first",
)
def pseud_works(
    request: HttpRequest,
    username: str,
    name: str,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    caller = caller_of(request)
    owner = accounts.user_get(username)
    found = accounts.pseud_get(owner, name)
    items = listings.works_by_pseud_for(caller.user, found)
    return _page(request, items, cursor, limit, "revised_at")
