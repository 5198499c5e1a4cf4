"""/api/v1/collections: the index, a collection's profile and its works; for accounts
with a read-write token, creating a collection, adding one's work, and the moderators'
approve / reject / reveal.

What a collection lists is `collections.selectors` (approved items, under the one
visibility rule, so unrevealed works never show); the writes are the collections
services, with their checks and messages.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.api.auth import GUEST, WRITE, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.api.schemas import WorkOut
from fanarchive.api.works import works_out
from fanarchive.collections import item_services, selectors, services
from fanarchive.collections.models import Collection, CollectionItem
from fanarchive.works import selectors as works
from fanarchive.works.models import Work

router = Router(tags=["collections"])

READ_ERRORS = problem_responses(401, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)


class MaintainerOut(Schema):
    byline: str
    username: str
    role: str


class CollectionRefOut(Schema):
    name: str
    title: str


class CollectionOut(Schema):
    name: str
    title: str
    header_text: str = Field(description="Plain text")
    description: str = Field(description="Sanitised HTML")
    rules: str = Field(description="Sanitised HTML")
    parent: CollectionRefOut | None
    closed: bool
    moderated: bool
    unrevealed: bool
    anonymous: bool
    created_at: datetime


class CollectionDetailOut(CollectionOut):
    maintainers: list[MaintainerOut]
    children: list[CollectionRefOut]
    works_count: int = Field(description="Approved works the caller may see")


class CollectionPageOut(Schema):
    items: list[CollectionOut]
    next: str | None


class CollectionWorksOut(Schema):
    items: list[WorkOut]
    next: str | None


class CollectionIn(Schema):
    name: str = Field(description="Letters, digits and underscores")
    title: str
    header_text: str = ""
    description: str = ""
    rules: str = ""
    parent: str | None = Field(None, description="A collection you own, by name")
    closed: bool = False
    moderated: bool = False
    unrevealed: bool = False
    anonymous: bool = False


class ItemOut(Schema):
    id: int
    work_id: int | None
    collection_approval: str
    user_approval: str


class RevealOut(Schema):
    revealed_work_ids: list[int]


def _ref(collection: Collection | None) -> dict[str, str] | None:
    return {"name": collection.name, "title": collection.title} if collection else None


def collection_out(collection: Collection) -> dict[str, Any]:
    return {
        "name": collection.name,
        "title": collection.title,
        "header_text": collection.header_text,
        "description": collection.description,
        "rules": collection.rules,
        "parent": _ref(collection.parent),
        "closed": collection.closed,
        "moderated": collection.moderated,
        "unrevealed": collection.unrevealed,
        "anonymous": collection.anonymous,
        "created_at": collection.created_at,
    }


def _collection(name: str) -> Collection:
    collection = selectors.collection_by_name(name)
    if collection is None:
        raise Http404(_("No such collection."))
    return collection


@router.get(
    "/collections",
    response={200: CollectionPageOut, **READ_ERRORS},
    auth=GUEST,
    summary="Collections, newest first; search by title or name, open or closed",
)
def collection_list(
    request: HttpRequest,
    q: str = "",
    closed: bool | None = None,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    rows, next_cursor = keyset_page(
        selectors.collection_list(query=q[:200], closed=closed),
        cursor=cursor,
        limit=page_size(limit),
        field="created_at",
    )
    return {"items": [collection_out(c) for c in rows], "next": next_cursor}


@router.get(
    "/collections/{name}",
    response={200: CollectionDetailOut, **READ_ERRORS},
    auth=GUEST,
    url_name="collection_detail",
    summary="A collection's profile, maintainers, sub-collections and count of works",
)
def collection_detail(request: HttpRequest, name: str) -> dict[str, Any]:
    caller = caller_of(request)
    collection = _collection(name)
    return {
        **collection_out(collection),
        "maintainers": [
            {
                "byline": p.pseud.byline,
                "username": p.pseud.user.username,
                "role": p.role,
            }
            for p in selectors.collection_staff(collection)
        ],
        "children": [_ref(c) for c in collection.children.order_by("title")],
        "works_count": selectors.collection_works(collection, caller.user).count(),
    }


@router.get(
    "/collections/{name}/works",
    response={200: CollectionWorksOut, **READ_ERRORS},
    auth=GUEST,
    summary="The collection's approved works the caller may see, newest first "
    "(unrevealed works never)",
)
def collection_works(
    request: HttpRequest, name: str, cursor: str | None = None, limit: Count | None = None
) -> dict[str, Any]:
    caller = caller_of(request)
    collection = _collection(name)
    rows, next_cursor = keyset_page(
        selectors.collection_works(collection, caller.user),
        cursor=cursor,
        limit=page_size(limit),
        field="created_at",
    )
    loaded = list(works.with_blurb_data(Work.objects.filter(pk__in=[w.pk for w in rows])))
    by_id = {w.pk: w for w in loaded}
    ordered = [by_id[w.pk] for w in rows if w.pk in by_id]
    return {"items": works_out(request, caller, ordered, adult=False), "next": next_cursor}


@router.post(
    "/collections",
    response={201: CollectionDetailOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Create a collection; you are its owner",
)
def collection_create(request: HttpRequest, payload: CollectionIn) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    parent = _collection(payload.parent) if payload.parent else None
    collection = services.collection_create(
        user=caller.account,
        parent=parent,
        data=services.CollectionInput(
            name=payload.name,
            title=payload.title,
            header_text=payload.header_text,
            description=payload.description,
            rules=payload.rules,
            closed=payload.closed,
            moderated=payload.moderated,
            unrevealed=payload.unrevealed,
            anonymous=payload.anonymous,
        ),
    )
    return Status(201, collection_detail(request, collection.name))


def _item_out(item: CollectionItem) -> dict[str, Any]:
    return {
        "id": item.pk,
        "work_id": item.work_id,
        "collection_approval": item.collection_approval,
        "user_approval": item.user_approval,
    }


@router.post(
    "/collections/{name}/works/{work_id}",
    response={201: ItemOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Add your work to a collection (a moderated one's moderators approve it)",
)
def collection_work_add(request: HttpRequest, name: str, work_id: Id) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    collection = _collection(name)
    work = works.access_work(caller.account, work_id)
    item = item_services.collection_item_add(user=caller.account, collection=collection, work=work)
    return Status(201, _item_out(item))


def _item(collection: Collection, item_id: int) -> CollectionItem:
    item = (
        CollectionItem.objects.select_related("collection", "work", "bookmark")
        .filter(pk=item_id, collection=collection)
        .first()
    )
    if item is None:
        raise Http404(_("No such item in this collection."))
    return item


@router.post(
    "/collections/{name}/items/{item_id}/approve",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Approve an item (the collection's moderators)",
)
def collection_item_approve(request: HttpRequest, name: str, item_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    item = _item(_collection(name), item_id)
    return _item_out(item_services.collection_item_approve(user=caller.account, item=item))


@router.post(
    "/collections/{name}/items/{item_id}/reject",
    response={200: ItemOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Reject an item (the collection's moderators)",
)
def collection_item_reject(request: HttpRequest, name: str, item_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    item = _item(_collection(name), item_id)
    return _item_out(item_services.collection_item_reject(user=caller.account, item=item))


@router.post(
    "/collections/{name}/reveal",
    response={200: RevealOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Reveal the collection's works (moderators); gift recipients are told",
)
def collection_reveal(request: HttpRequest, name: str) -> dict[str, Any]:
    caller = caller_of(request)
    revealed = item_services.collection_reveal(user=caller.account, collection=_collection(name))
    return {"revealed_work_ids": revealed}
