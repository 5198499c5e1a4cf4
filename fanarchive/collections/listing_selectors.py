"""Reads of a collection's listings: its works through the catalogue index (scoped to the
collection and its sub-collections), its bookmarks straight from the database."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.collections.models import Collection
from fanarchive.collections.selectors import (
    collection_by_name,
    collection_family_ids,
    listed_bookmark_ids,
)
from fanarchive.discovery.scopes import Scope
from fanarchive.discovery.selectors import unmuted_works
from fanarchive.engagement.bookmark_selectors import not_naming_anonymous_creators_q
from fanarchive.engagement.models import Bookmark
from fanarchive.works.models import SeriesWork, Work
from fanarchive.works.selectors import with_listing_data

AnyUser = User | AnonymousUser


def collection_get(name: str) -> Collection:
    collection = collection_by_name(name)
    if collection is None:
        raise Http404(gettext("No such collection."))
    return collection


def works_scope(collection: Collection) -> Scope:
    """The `/works/` listing narrowed to the collection and its sub-collections."""
    return Scope(
        groups=tuple(collection_family_ids(collection)),
        name=collection.title,
        page_url=reverse("collection_listing:works", args=[collection.name]),
        feed_url=reverse("collection_listing:works_feed", args=[collection.name]),
        context={"collection": collection},
    )


def collection_bookmarks(viewer: AnyUser, collection: Collection) -> QuerySet[Bookmark]:
    """The public bookmarks listed in the collection (and its sub-collections) whose work or
    series `viewer` may list, less what they muted; newest first, ready for blurbs."""
    listable = unmuted_works(viewer).values("id")
    in_series = SeriesWork.objects.filter(work__in=listable).values("series_id")
    bookmarks = Bookmark.objects.filter(
        Q(work__in=listable) | Q(series__in=in_series),
        not_naming_anonymous_creators_q(viewer),
        id__in=listed_bookmark_ids(collection),
        private=False,
    )
    return (
        bookmarks.order_by("-created_at", "-id")
        .select_related("pseud", "pseud__user", "series")
        .prefetch_related("tags", Prefetch("work", queryset=with_listing_data(Work.objects.all())))
    )
