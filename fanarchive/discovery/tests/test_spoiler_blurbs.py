"""The preferences that hide warnings and additional tags as spoilers fold them in every
blurb (listings, tag pages, search, series, profiles, pseuds, gifts, bookmarks), as on the
work page: behind a "Show warnings" / "Show additional tags" control that needs no script."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.tags.fixed import VIOLENCE
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db

TWIST = "Secret Twin Reveal"


@pytest.fixture
def writer() -> User:
    return make_user("twistwriter")


@pytest.fixture
def work(writer: User) -> Work:
    make_user("giftee")
    work = make_work(
        writer,
        title="Fogbound",
        warnings=[VIOLENCE],
        fandoms=["Harbour Tales"],
        freeforms=[TWIST, "Fog"],
        gifts=["giftee"],
    )
    series = series_create(user=writer, title="Fog Cycle")
    series_work_add(user=writer, work=work, series=series)
    return work


def reader_hiding(*, warnings: bool, freeforms: bool) -> User:
    reader = make_user("spoilershy")
    preferences_update(
        user=reader,
        owner=reader,
        view_adult=False,
        hide_warnings=warnings,
        hide_freeform=freeforms,
    )
    return reader


def blurb_of(page: str, work: Work) -> str:
    """The work's blurb on a page: its own `<li>` (or its bookmark's)."""
    found = re.search(
        r'<li class="blurb (?:work|bookmark)[^"]*" id="(?:work|bookmark)_\d+"[^>]*>'
        rf'(?:(?!<li class="blurb ).)*?/works/{work.pk}/".*?</dl>',
        page,
        re.S,
    )
    assert found, "the work has no blurb on this page"
    return found.group(0)


def outside_folds(html: str) -> str:
    return re.sub(r"<details.*?</details>", "", html, flags=re.S)


def listings(work: Work, writer: User, friend: User) -> dict[str, str]:
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    return {
        "works": reverse("works:list"),
        "tag page": reverse("tags:works", args=[fandom.pk]),
        "search": reverse("works:list") + "?q=Fogbound",
        "series": reverse("works:series", args=[work.series_works.get().series_id]),
        "profile": reverse("accounts:profile", args=[writer.username]),
        "pseud": reverse("accounts:pseud", args=[writer.username, writer.default_pseud.name]),
        "gifts": reverse("works:gifts", args=["giftee"]),
        "bookmarks": reverse("social:user_bookmarks", args=[friend.username]),
    }


def test_every_blurb_folds_warnings_and_additional_tags(client: Client, work, writer):
    friend = make_user("friend")
    bookmark_create(user=friend, pseud=friend.default_pseud, work=work)
    client.force_login(reader_hiding(warnings=True, freeforms=True))
    for name, url in listings(work, writer, friend).items():
        blurb = blurb_of(client.get(url).content.decode(), work)
        assert "<summary>Show warnings</summary>" in blurb, name
        assert "<summary>Show additional tags</summary>" in blurb, name
        # Still there, one click away, and nowhere else (not in the warning square's text).
        assert VIOLENCE in blurb and TWIST in blurb, name
        assert VIOLENCE not in outside_folds(blurb), name
        assert TWIST not in outside_folds(blurb), name
        assert "Harbour Tales" in outside_folds(blurb), name  # other tags stay in sight


def test_each_preference_folds_only_its_own_tags(client: Client, work, writer):
    client.force_login(reader_hiding(warnings=True, freeforms=False))
    blurb = blurb_of(client.get(reverse("works:list")).content.decode(), work)
    assert "Show warnings" in blurb and "Show additional tags" not in blurb
    assert TWIST in outside_folds(blurb) and VIOLENCE not in outside_folds(blurb)


def test_nothing_is_folded_without_the_preference_or_for_the_creator(client, work, writer):
    for viewer in (None, make_user("plainreader")):
        if viewer is not None:
            client.force_login(viewer)
        blurb = blurb_of(client.get(reverse("works:list")).content.decode(), work)
        assert "<details" not in blurb
        assert VIOLENCE in blurb and TWIST in blurb
    preferences_update(
        user=writer, owner=writer, view_adult=False, hide_warnings=True, hide_freeform=True
    )
    client.force_login(writer)  # one's own tags are no spoiler
    blurb = blurb_of(client.get(reverse("works:list")).content.decode(), work)
    assert "<details" not in blurb and VIOLENCE in blurb


def test_a_page_of_folded_blurbs_costs_a_fixed_few_queries(
    client: Client, writer, django_assert_max_num_queries
):
    for n in range(3):
        make_work(writer, title=f"Part {n}", warnings=[VIOLENCE], freeforms=[f"Twist {n}"])
    client.force_login(reader_hiding(warnings=True, freeforms=True))
    url = reverse("accounts:profile", args=[writer.username])
    client.get(url)
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for n in range(6):
        make_work(writer, title=f"More {n}", warnings=[VIOLENCE], freeforms=[f"More {n}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).content.decode().count("<summary>Show warnings</summary>") == 9


def test_a_page_of_bookmarked_works_costs_a_fixed_few_queries(
    client: Client, writer, django_assert_max_num_queries
):
    friend = make_user("friend")
    reader = reader_hiding(warnings=True, freeforms=False)
    url = reverse("social:user_bookmarks", args=[friend.username])

    def bookmark(n: int) -> None:
        work = make_work(writer, title=f"Marked {n}", warnings=[VIOLENCE], freeforms=[f"T {n}"])
        bookmark_create(user=friend, pseud=friend.default_pseud, work=work, tags=[f"Mine {n}"])

    bookmark(0)
    client.force_login(reader)
    client.get(url)
    with django_assert_max_num_queries(40) as few:
        client.get(url)
    for n in range(1, 6):
        bookmark(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("<summary>Show warnings</summary>") == 6
    assert page.count('<dt class="hits">Hits</dt>') == 6  # the works' counts, loaded in bulk
