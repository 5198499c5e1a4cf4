"""The Atom feeds follow the works pages' filters and search, for a guest, newest first."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITE = settings.SITE_NAME


@dataclass
class Feed:
    title: str
    link: str
    entries: list[str]


def feed(client: Client, url: str, query: dict[str, Any] | None = None) -> Feed:
    response = client.get(url, query or {})
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    link = root.find(f"{ATOM}link[@rel='alternate']")
    return Feed(
        title=root.findtext(f"{ATOM}title") or "",
        link=link.get("href", "") if link is not None else "",
        entries=[e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")],
    )


def works_feed(client: Client, **query: Any) -> Feed:
    return feed(client, reverse("discovery:works_feed"), query)


def tag_id(name: str) -> int:
    return Tag.objects.get(name=name).pk


@pytest.fixture
def archive(user: User, other_user: User) -> None:
    """Works posted a day apart, oldest first, and three no guest may see."""
    posted = [
        make_work(user, title="Beacon Keeper", summary="A beacon on the harbour wall."),
        make_work(other_user, title="Owl Night", fandoms=["Owl Song"], rating=EXPLICIT),
        make_work(
            other_user,
            title="Beacon of Owls",
            fandoms=["Owl Song"],
            summary="The owls carry a beacon.",
        ),
        make_work(user, title="Quiet Harbour", summary="No light at all."),
        make_work(
            user,
            title="Harbour Beacon Storm",
            rating=EXPLICIT,
            summary="A beacon in the storm.",
        ),
    ]
    start = datetime(2024, 1, 1, tzinfo=UTC)
    for day, work in enumerate(posted):
        Work.objects.filter(pk=work.pk).update(first_posted_at=start + timedelta(days=day))
        catalogue_work_changed(work_id=work.pk)
    make_work(user, title="Beacon Members", restricted=True, summary="A beacon.")
    make_work(user, title="Beacon Draft", post=False, summary="A beacon.")
    hidden = make_work(user, title="Beacon Hidden", summary="A beacon.")
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    catalogue_work_changed(work_id=hidden.pk)


def test_the_plain_feed_lists_the_newest_works_a_guest_may_see(
    client: Client, user: User, archive: None
) -> None:
    client.force_login(user)  # built for a guest, whoever asks
    got = works_feed(client)
    assert got.title == f"Newest works - {SITE}"
    assert got.entries[:5] == [
        "Harbour Beacon Storm",
        "Quiet Harbour",
        "Beacon of Owls",
        "Owl Night",
        "Beacon Keeper",
    ]
    assert not {"Beacon Members", "Beacon Draft", "Beacon Hidden"} & set(got.entries)


def test_a_search_feed_lists_what_the_search_finds_newest_first(
    client: Client, archive: None
) -> None:
    got = works_feed(client, q="beacon")
    assert got.entries == ["Harbour Beacon Storm", "Beacon of Owls", "Beacon Keeper"]
    assert got.title == f"Works matching “beacon” - {SITE}"
    assert got.link.endswith(f"{reverse('works:list')}?q=beacon")
    # The search syntax is the page's own.
    assert works_feed(client, q="beacon -owls").entries == [
        "Harbour Beacon Storm",
        "Beacon Keeper",
    ]
    # A feed is always by date: the page's sort, order and page do not change it.
    for ignored in ({"sort": "title", "order": "asc"}, {"sort": "relevance"}, {"page": "3"}):
        assert works_feed(client, q="beacon", **ignored).entries == [
            "Harbour Beacon Storm",
            "Beacon of Owls",
            "Beacon Keeper",
        ]


def test_a_filter_feed_lists_what_the_filter_finds(client: Client, archive: None) -> None:
    got = works_feed(client, rating=tag_id(EXPLICIT))
    assert got.entries == ["Harbour Beacon Storm", "Owl Night"]
    assert got.title == f"Works matching a filter - {SITE}"
    got = works_feed(client, include=tag_id("Owl Song"), exclude=tag_id(EXPLICIT))
    assert got.entries == ["Beacon of Owls"]
    got = works_feed(client, fandom_names="harbour tales", q="beacon", rating=tag_id(EXPLICIT))
    assert got.entries == ["Harbour Beacon Storm"]
    assert got.title == f"Works matching “beacon” - {SITE}"


def test_a_tag_feed_follows_the_search_within_the_tag(client: Client, archive: None) -> None:
    url = reverse("discovery:tag_feed", args=[tag_id("Harbour Tales")])
    got = feed(client, url)
    assert got.title == f"Harbour Tales - {SITE}"
    assert got.entries == ["Harbour Beacon Storm", "Quiet Harbour", "Beacon Keeper"]
    got = feed(client, url, {"q": "beacon"})
    assert got.title == f"Harbour Tales: works matching “beacon” - {SITE}"
    assert got.entries == ["Harbour Beacon Storm", "Beacon Keeper"]
    assert got.link.endswith(f"{reverse('tags:works', args=[tag_id('Harbour Tales')])}?q=beacon")
    got = feed(client, url, {"rating": tag_id(EXPLICIT)})
    assert got.title == f"Harbour Tales: works matching a filter - {SITE}"
    assert got.entries == ["Harbour Beacon Storm"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"include": "x"}, 'include: "x" is not a tag number.'),
        ({"include": "999999"}, "These tags do not exist"),
        ({"q": '"beacon'}, "Search within results: A quotation mark is not closed"),
        ({"words_from": "10", "words_to": "5"}, "Words to: The upper bound"),
        ({"fandom_names": "No Such Fandom"}, 'There is no fandom called "No Such Fandom"'),
    ],
)
def test_a_bad_query_is_an_error_not_the_newest_works(
    client: Client, archive: None, query: dict[str, str], message: str
) -> None:
    for url in (
        reverse("discovery:works_feed"),
        reverse("discovery:tag_feed", args=[tag_id("Harbour Tales")]),
    ):
        response = client.get(url, query)
        assert response.status_code == 400
        assert response["Content-Type"] == "text/plain; charset=utf-8"
        text = response.content.decode()
        assert text.startswith("This feed's query is not a filter the works pages accept:")
        assert message in text


def test_the_pages_feed_links_carry_their_filter_and_search(client: Client, archive: None) -> None:
    # As the filter form submits it: empty fields, a sort and a page.
    page = client.get(
        reverse("works:list"), {"q": "beacon", "fandom_names": "", "sort": "title", "page": "1"}
    ).content.decode()
    links = re.findall(r'href="(/works/feed\.atom[^"]*)"', page)
    assert links and set(links) == {"/works/feed.atom?q=beacon"}
    harbour = tag_id("Harbour Tales")
    page = client.get(reverse("tags:works", args=[harbour]), {"q": "beacon"}).content.decode()
    links = re.findall(rf'href="(/tags/{harbour}/feed\.atom[^"]*)"', page)
    assert links and set(links) == {f"/tags/{harbour}/feed.atom?q=beacon"}
    page = client.get(reverse("works:list")).content.decode()
    assert set(re.findall(r'href="(/works/feed\.atom[^"]*)"', page)) == {"/works/feed.atom"}
