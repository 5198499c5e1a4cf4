"""Atom feeds of the newest works for any tag and any filter.

Feeds are read by programs without a login, so they are built for a guest:
never restricted works, drafts or hidden works, whoever asks, and no mutes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags

from fanarchive.discovery import selectors
from fanarchive.discovery.forms import FilterForm
from fanarchive.discovery.index.catalogue import Filter, Viewer
from fanarchive.tags.models import Tag
from fanarchive.works.models import Work

FEED_SIZE = 20


class _Spec:
    def __init__(self, tag: Tag | None, spec: Filter | None, query: str) -> None:
        self.tag = tag
        self.spec = spec
        self.query = query


class WorksFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, tag_id: int | None = None) -> _Spec:
        tag = get_object_or_404(Tag, pk=tag_id) if tag_id is not None else None
        form = FilterForm(request.GET, fixed_tag=tag)
        # A broken filter gives an empty feed, not an error page: feed readers show nothing else.
        spec = form.to_filter() if form.is_valid() else None
        if spec is not None:
            spec.sort, spec.descending = "posted", True
        return _Spec(tag, spec, request.GET.urlencode())

    def title(self, obj: _Spec) -> str:
        site = settings.SITE_NAME
        return f"{obj.tag.name} - {site}" if obj.tag else f"Newest works - {site}"

    def link(self, obj: _Spec) -> str:
        if obj.tag:
            return reverse("tags:works", args=[obj.tag.pk])
        return reverse("works:list") + (f"?{obj.query}" if obj.query else "")

    def subtitle(self, obj: _Spec) -> str:
        return "The newest works" + (f" tagged {obj.tag.name}" if obj.tag else " matching a filter")

    def items(self, obj: _Spec) -> list[Work]:
        if obj.spec is None:
            return []
        listing = selectors.works_find(
            viewer=Viewer(), spec=obj.spec, page=1, per_page=FEED_SIZE, facets=False
        )
        return listing.works

    def item_title(self, item: Work) -> str:
        return item.title

    def item_description(self, item: Work) -> str:
        fandoms = ", ".join(tag.name for tag in item.tags_of("fandom"))
        rating = ", ".join(tag.name for tag in item.tags_of("rating"))
        summary = strip_tags(item.summary)
        return f"{fandoms} ({rating}), {item.word_count} words. {summary}"

    def item_author_name(self, item: Work) -> str:
        return ", ".join(c.pseud.byline for c in item.creatorships.all())

    def item_pubdate(self, item: Work) -> Any:
        return item.first_posted_at

    def item_updateddate(self, item: Work) -> Any:
        return item.revised_at

    def item_categories(self, item: Work) -> list[str]:
        return [wt.tag.name for wt in item.ordered_work_tags()]
