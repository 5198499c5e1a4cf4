"""Atom feeds of the newest works for any tag, filter and search.

A feed takes the query string of the page it follows (`/works/`, `/tags/<id>/works/`)
through the same `FilterForm` and `works_find`, so it lists what that page lists, but
always newest first by posting date (`sort`, `order` and `page` are ignored). Feeds are
read by programs without a login, so they are built for a guest: never restricted
works, drafts or hidden works, whoever asks, and no mutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fanarchive.discovery import selectors
from fanarchive.discovery.forms import FilterForm
from fanarchive.discovery.index.catalogue import Filter, Viewer
from fanarchive.discovery.scopes import Scope
from fanarchive.discovery.search import Query
from fanarchive.tags.models import Tag
from fanarchive.works.models import Work
from fanarchive.works.selectors import public_byline, tag_for

FEED_SIZE = 20
# A feed is always its newest works: how the page is sorted or paged does not apply.
IGNORED = ("sort", "order", "page")


class BadFeedQuery(Exception):
    """The query string is not a filter the works pages accept."""


@dataclass
class _Spec:
    tag: Tag | None
    spec: Filter
    text: Query | None
    searched: str  # the q= text, "" without one
    filtered: bool  # any other filter besides the tag
    query: str  # the query string without IGNORED, for the link to the page
    scope: Scope | None = None  # a collection's feed (`discovery.scopes`)


def _problems(form: FilterForm) -> str:
    lines = [_("This feed's query is not a filter the works pages accept:")]
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = f"{field.label or name}: " if field is not None else ""
        lines += [f"- {label}{error}" for error in errors]
    return "\n".join(lines) + "\n"


class WorksFeed(Feed[Work, _Spec]):
    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except BadFeedQuery as error:
            # An error, not the newest works: a reader must not mistake them for the search.
            return HttpResponseBadRequest(str(error), content_type="text/plain; charset=utf-8")

    def get_object(self, request: HttpRequest, tag_id: int | None = None) -> _Spec:
        # A tag's feed is a guest's: a tag carried only by works a guest may not see is
        # not advertised (404), as on its page.
        tag = tag_for(AnonymousUser(), tag_id) if tag_id is not None else None
        return self.spec_of(request, tag=tag)

    def spec_of(
        self, request: HttpRequest, *, tag: Tag | None, scope: Scope | None = None
    ) -> _Spec:
        """The feed of this query string, under a tag or within a scope."""
        query = request.GET.copy()
        for key in IGNORED:
            query.pop(key, None)
        form = FilterForm(query, fixed_tag=tag)
        if not form.is_valid():
            raise BadFeedQuery(_problems(form))
        spec = form.to_filter()
        spec.sort, spec.descending = "posted", True
        if scope is not None:
            spec.groups = scope.groups
        searched = form.cleaned_data["q"]
        filtered = any(v.strip() for k, values in query.lists() if k != "q" for v in values)
        return _Spec(tag, spec, form.text_query, searched, filtered, query.urlencode(), scope)

    def title(self, obj: _Spec) -> str:
        named = obj.scope.name if obj.scope is not None else obj.tag.name if obj.tag else ""
        values = {"name": named, "search": obj.searched}
        if named:
            if obj.searched:
                name = _("%(name)s: works matching “%(search)s”") % values
            elif obj.filtered:
                name = _("%(name)s: works matching a filter") % values
            else:
                name = named
        elif obj.searched:
            name = _("Works matching “%(search)s”") % values
        elif obj.filtered:
            name = _("Works matching a filter")
        else:
            name = _("Newest works")
        return f"{name} - {settings.SITE_NAME}"

    def link(self, obj: _Spec) -> str:
        if obj.scope is not None:
            page = obj.scope.page_url
        elif obj.tag is not None:
            page = reverse("tags:works", args=[obj.tag.pk])
        else:
            page = reverse("works:list")
        return page + (f"?{obj.query}" if obj.query else "")

    def subtitle(self, obj: _Spec) -> str:
        matching = obj.searched or obj.filtered
        if obj.scope is not None:
            values = {"scope": obj.scope.name}
            if matching:
                return (
                    _("The newest works in %(scope)s matching a search or filter, by posting date")
                    % values
                )
            return _("The newest works in %(scope)s, by posting date") % values
        if obj.tag is not None:
            values = {"tag": obj.tag.name}
            if matching:
                return (
                    _(
                        "The newest works tagged %(tag)s matching a search or filter, "
                        "by posting date"
                    )
                    % values
                )
            return _("The newest works tagged %(tag)s, by posting date") % values
        if matching:
            return _("The newest works matching a search or filter, by posting date")
        return _("The newest works, by posting date")

    def items(self, obj: _Spec) -> list[Work]:
        listing = selectors.works_find(
            viewer=Viewer(),  # a guest, whoever asks
            spec=obj.spec,
            page=1,
            per_page=FEED_SIZE,
            text=obj.text,
            facets=False,
            passages=False,
        )
        return listing.works

    def item_title(self, item: Work) -> str:
        return item.title

    def item_description(self, item: Work) -> str:
        fandoms = ", ".join(tag.name for tag in item.tags_of("fandom"))
        rating = ", ".join(tag.name for tag in item.tags_of("rating"))
        summary = strip_tags(item.summary)
        return ngettext(
            "%(fandoms)s (%(rating)s), %(words)s word. %(summary)s",
            "%(fandoms)s (%(rating)s), %(words)s words. %(summary)s",
            item.word_count,
        ) % {"fandoms": fandoms, "rating": rating, "words": item.word_count, "summary": summary}

    def item_author_name(self, item: Work) -> str:
        return public_byline(item)

    def item_pubdate(self, item: Work) -> Any:
        return item.first_posted_at

    def item_updateddate(self, item: Work) -> Any:
        return item.revised_at

    def item_categories(self, item: Work) -> list[str]:
        return [wt.tag.name for wt in item.ordered_work_tags()]
