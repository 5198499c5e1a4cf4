"""The news feed is valid Atom: published posts newest first, absolute links, each post's
HTML as content; drafts never."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.news.models import NewsPost
from fanarchive.news.tests.helpers import make_post, make_staff

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def test_feed_is_atom_newest_first_with_content(client: Client) -> None:
    staff: User = make_staff()
    older = make_post(staff, title="Older news", body="<p>The <em>first</em> post.</p>")
    newer = make_post(staff, title="Newer news", body="<p>The second.</p><script>x()</script>")
    make_post(staff, title="A draft", publish=False)
    assert newer.published_at is not None
    NewsPost.objects.filter(pk=older.pk).update(published_at=newer.published_at - timedelta(days=1))
    response = client.get(reverse("news:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    assert root.tag == f"{ATOM}feed"
    assert "News" in (root.findtext(f"{ATOM}title") or "")
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Newer news", "Older news"]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]  # type: ignore[union-attr]
    assert links == [
        f"http://testserver{newer.get_absolute_url()}",
        f"http://testserver{older.get_absolute_url()}",
    ]
    feed_link = root.find(f"{ATOM}link[@rel='alternate']")
    assert feed_link is not None and feed_link.get("href") == "http://testserver/news/"
    content = entries[1].find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == "<p>The <em>first</em> post.</p>"
    assert "script" not in (entries[0].findtext(f"{ATOM}content") or "")
    assert all(e.findtext(f"{ATOM}id") for e in entries)
    assert all(e.findtext(f"{ATOM}updated") for e in entries)


def test_feed_linked_from_news_and_front_page(client: Client) -> None:
    link = '<link rel="alternate" type="application/atom+xml" title="News'
    for url in (reverse("news:list"), reverse("news:home")):
        text = client.get(url).content.decode()
        assert link in text and f'href="{reverse("news:feed")}"' in text


def test_empty_feed_is_valid(client: Client) -> None:
    root = ElementTree.fromstring(client.get(reverse("news:feed")).content)  # noqa: S314
    assert root.findall(f"{ATOM}entry") == []
