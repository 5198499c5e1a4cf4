"""A collection's works, bookmarks and feed: the catalogue's pages scoped to it."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from fanarchive.collections import listing_views
from fanarchive.collections.feeds import CollectionWorksFeed

app_name = "collection_listing"

urlpatterns: list[URLPattern | URLResolver] = [
    path("collections/<str:name>/works/", listing_views.collection_works, name="works"),
    path("collections/<str:name>/works/feed/", CollectionWorksFeed(), name="works_feed"),
    path(
        "collections/<str:name>/bookmarks/",
        listing_views.collection_bookmarks_page,
        name="bookmarks",
    ),
]
