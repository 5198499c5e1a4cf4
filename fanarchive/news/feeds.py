"""The news feed (Atom): the newest published posts, each with its whole HTML as content."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, SyndicationFeed
from django.utils.translation import gettext as _
from django.utils.xmlutils import SimplerXMLGenerator

from fanarchive.news import selectors
from fanarchive.news.models import NewsPost


class AtomWithContent(Atom1Feed):
    """Atom with each entry's HTML in `<content type="html">` (Django writes only a summary)."""

    def add_item_elements(self, handler: SimplerXMLGenerator, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("content") is not None:
            handler.addQuickElement("content", item["content"], {"type": "html"})


class NewsFeed(Feed[NewsPost, None]):
    feed_type: type[SyndicationFeed] = AtomWithContent

    def title(self) -> str:
        return _("News - %(site)s") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("News from the team that runs %(site)s") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("news:list")

    def items(self) -> list[NewsPost]:
        return selectors.posts_for_feed()

    def item_title(self, item: NewsPost) -> str:
        return item.title

    def item_description(self, item: NewsPost) -> str:
        return item.body

    def item_author_name(self, item: NewsPost) -> str:
        return item.author.username if item.author else settings.SITE_NAME

    def item_pubdate(self, item: NewsPost) -> dt.datetime | None:
        return item.published_at

    def item_updateddate(self, item: NewsPost) -> dt.datetime:
        return item.updated_at

    def item_extra_kwargs(self, item: NewsPost) -> dict[str, Any]:
        return {"content": item.body}
