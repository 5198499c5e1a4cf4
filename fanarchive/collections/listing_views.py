"""A collection's works (the `/works/` listing scoped to it), its bookmarks and its feed.
Thin: find the collection, call the discovery view or one selector, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.collections.listing_selectors import (
    collection_bookmarks,
    collection_get,
    works_scope,
)
from fanarchive.core.views import paginate
from fanarchive.discovery.views import find_works


def collection_works(request: HttpRequest, name: str) -> HttpResponse:
    collection = collection_get(name)
    return find_works(
        request, scope=works_scope(collection), template="collections/listing/works.html"
    )


def collection_bookmarks_page(request: HttpRequest, name: str) -> HttpResponse:
    collection = collection_get(name)
    page = paginate(request, collection_bookmarks(request.user, collection))
    return render(
        request,
        "collections/listing/bookmarks.html",
        {"collection": collection, "page": page},
    )
