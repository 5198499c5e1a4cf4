"""The Atom feed of a collection's newest works: discovery's works feed (a guest's view,
any filter of the page) scoped to the collection and its sub-collections."""

from __future__ import annotations

from django.http import HttpRequest

from fanarchive.collections.listing_selectors import collection_get, works_scope
from fanarchive.discovery.feeds import WorksFeed, _Spec


class CollectionWorksFeed(WorksFeed):
    def get_object(self, request: HttpRequest, name: str) -> _Spec:  # type: ignore[override]
        return self.spec_of(request, tag=None, scope=works_scope(collection_get(name)))
