"""Mutes apply to every listing a reader browses: the series pages and other readers'
bookmark lists as on /works/ and the profiles; not to one's own bookmarks."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.services import mute_creator_add, mute_tag_add
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Series
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def titles(client: Client, url: str) -> list[str]:
    """The titles of the works a page lists (blurbs and bookmarks)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.findall(
        r'<h3 class="heading">\s*<a href="/works/\d+/">([^<]+)</a>', response.content.decode()
    )


def series_titles(client: Client, url: str) -> list[str]:
    return re.findall(r'<a href="/works/series/\d+/">([^<]+)</a>', client.get(url).content.decode())


@pytest.fixture
def writer() -> User:
    return make_user("harbourwriter")


@pytest.fixture
def series(writer: User) -> Series:
    """A series of three parts: the second carries the tag "Storms"."""
    series = series_create(user=writer, title="The Harbour Cycle")
    for title, freeforms in (("Calm", ["Calm Seas"]), ("Gale", ["Storms"]), ("Dawn", [])):
        work = make_work(writer, title=title, freeforms=freeforms)
        series_work_add(user=writer, work=work, series=series)
    return series


def storms() -> int:
    return Tag.objects.get(type=TagType.FREEFORM, name="Storms").pk


def test_a_muted_tag_leaves_the_series_page(client, user, series):
    url = reverse("works:series", args=[series.pk])
    client.force_login(user)
    assert titles(client, url) == ["Calm", "Gale", "Dawn"]
    mute_tag_add(user=user, owner=user, tag_id=storms())
    page = client.get(url).content.decode()
    assert titles(client, url) == ["Calm", "Dawn"]
    # The series' numbers are those of what the reader is shown.
    assert "<dt>Works:</dt><dd>2</dd>" in page
    # Nobody else is affected by this reader's mutes.
    client.logout()
    assert titles(client, url) == ["Calm", "Gale", "Dawn"]


def test_a_muted_creator_leaves_series_pages_and_their_series_list(client, user, writer, series):
    client.force_login(user)
    by_writer = reverse("works:user_series", args=[writer.username])
    assert series_titles(client, by_writer) == ["The Harbour Cycle"]
    mute_creator_add(user=user, owner=user, username=writer.username)
    page = client.get(reverse("works:series", args=[series.pk]))
    assert page.status_code == 200  # a link to it still opens, with nothing listed
    assert titles(client, reverse("works:series", args=[series.pk])) == []
    assert "No works to show" in page.content.decode()
    assert series_titles(client, by_writer) == []
    # The writer's own list and page are theirs, whatever readers mute.
    client.force_login(writer)
    assert series_titles(client, by_writer) == ["The Harbour Cycle"]


def test_a_series_creator_still_sees_their_own_works_with_a_muted_tag(client, writer, series):
    client.force_login(writer)
    mute_tag_add(user=writer, owner=writer, tag_id=storms())
    assert titles(client, reverse("works:series", args=[series.pk])) == ["Calm", "Gale", "Dawn"]


def test_mutes_apply_to_other_readers_bookmarks_not_ones_own(client, user, writer, series):
    friend = make_user("friend")
    gale = series.series_works.get(position=2).work
    calm = series.series_works.get(position=1).work
    elsewhere = make_work(make_user("elsewhere"), title="Elsewhere")
    for work in (gale, calm, elsewhere):
        bookmark_create(user=friend, pseud=friend.default_pseud, work=work)
        bookmark_create(user=user, pseud=user.default_pseud, work=work)
    bookmark_create(user=friend, pseud=friend.default_pseud, series=series)
    friends = reverse("social:user_bookmarks", args=[friend.username])
    own = reverse("social:user_bookmarks", args=[user.username])
    client.force_login(user)
    assert sorted(titles(client, friends)) == ["Calm", "Elsewhere", "Gale"]
    mute_tag_add(user=user, owner=user, tag_id=storms())
    assert sorted(titles(client, friends)) == ["Calm", "Elsewhere"]
    assert "The Harbour Cycle" in client.get(friends).content.decode()  # Calm is still listed
    page = client.get(friends).content.decode()
    assert "2 bookmarks by" not in page and "3 bookmarks by" in page  # counted as listed
    # One's own bookmarks are one's own choice: nothing is hidden there.
    assert sorted(titles(client, own)) == ["Calm", "Elsewhere", "Gale"]
    # A muted creator takes their works, and a series with nothing else left, away.
    mute_creator_add(user=user, owner=user, username=writer.username)
    page = client.get(friends).content.decode()
    assert titles(client, friends) == ["Elsewhere"]
    assert "The Harbour Cycle" not in page
    assert "1 bookmark by" in page
    client.logout()
    assert sorted(titles(client, friends)) == ["Calm", "Elsewhere", "Gale"]
