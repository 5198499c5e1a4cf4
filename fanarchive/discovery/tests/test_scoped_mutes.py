"""Mutes limited to fandoms and the standing preferences "hide anonymous works" and "hide
crossovers": the services, the mutes page, and what /works/, a tag page and a feed show."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.discovery import services
from fanarchive.discovery.models import ListingPreference, MutedCreator, MutedTag
from fanarchive.discovery.selectors import unmuted_works, viewer_for
from fanarchive.portability.deletion_services import DeletionChoices, account_delete
from fanarchive.tags.models import Tag, TagType
from fanarchive.wrangling.services import tag_add_metatag, tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db


def tag(name: str, tag_type: str = TagType.FANDOM) -> Tag:
    return Tag.objects.get(type=tag_type, name=name)


def coffee() -> Tag:
    return tag("Coffee Shop AU", TagType.FREEFORM)


def listed(html: str) -> list[str]:
    return sorted(re.findall(r'<h3 class="heading">\s*<a href="/works/\d+/">([^<]+)</a>', html))


def total(html: str) -> int:
    found = re.search(r'<h1 id="results-heading">([\d,]+) ', html)
    assert found, "no results heading"
    return int(found.group(1).replace(",", ""))


def facet(html: str, name: str) -> int | None:
    """The sidebar's count for a tag (None: not listed)."""
    found = re.search(rf">{re.escape(name)} \((\d+)\)<", html)
    return int(found.group(1)) if found else None


@pytest.fixture
def writer() -> User:
    return make_user("stellarwriter")


@pytest.fixture
def reader() -> User:
    return make_user("carefulreader")


@pytest.fixture
def archive(writer: User) -> None:
    """Star Fleet (with a synonym and a sub-fandom), Harbour Tales, and a crossover."""
    admin = make_user("fleetwrangler", is_staff=True)
    make_work(writer, title="Coffee in Space", fandoms=["Star Fleet"], freeforms=["Coffee Shop AU"])
    make_work(writer, title="Coffee on Deck", fandoms=["Fleet"], freeforms=["Coffee Shop AU"])
    make_work(
        writer, title="Coffee Cadets", fandoms=["Star Fleet Academy"], freeforms=["Coffee Shop AU"]
    )
    make_work(
        writer, title="Coffee Ashore", fandoms=["Harbour Tales"], freeforms=["Coffee Shop AU"]
    )
    make_work(writer, title="Fleet Battles", fandoms=["Star Fleet"], freeforms=["Space Battles"])
    make_work(writer, title="Masked Keeper", fandoms=["Harbour Tales"], anonymous=True)
    make_work(writer, title="Both Shores", fandoms=["Star Fleet", "Harbour Tales"])
    for name in ("Star Fleet", "Star Fleet Academy", "Harbour Tales"):
        tag_set_canonical(user=admin, tag=tag(name), canonical=True)
    tag_make_synonym(user=admin, tag=tag("Fleet"), canonical=tag("Star Fleet"))
    tag_add_metatag(user=admin, tag=tag("Star Fleet Academy"), metatag=tag("Star Fleet"))


ALL = [
    "Both Shores",
    "Coffee Ashore",
    "Coffee Cadets",
    "Coffee in Space",
    "Coffee on Deck",
    "Fleet Battles",
    "Masked Keeper",
]
IN_STAR_FLEET = {"Coffee in Space", "Coffee on Deck", "Coffee Cadets"}


# -- services --------------------------------------------------------------------------


def test_a_scope_is_read_as_the_fandom_filter_reads_fandoms(reader: User, archive: None) -> None:
    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    # A synonym stands for its canonical; names in any case; repeats and blanks dropped.
    muted = services.mute_scope_set(
        user=reader, owner=reader, tag_id=coffee().pk, fandom_names=[" fleet", "FLEET", " "]
    )
    assert list(muted.fandoms.all()) == [tag("Star Fleet")]
    viewer = viewer_for(reader)
    assert viewer.muted_tags == ()
    assert viewer.scoped_tags == ((coffee().pk, (tag("Star Fleet").pk,)),)
    # No fandoms: muted everywhere again.
    services.mute_scope_set(user=reader, owner=reader, tag_id=coffee().pk, fandom_names=[])
    assert viewer_for(reader).muted_tags == (coffee().pk,)


def test_bad_scopes_change_nothing(reader: User, writer: User, archive: None) -> None:
    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    services.mute_scope_set(
        user=reader, owner=reader, tag_id=coffee().pk, fandom_names=["Harbour Tales"]
    )
    bad = [
        ["Harbour Tales", "No Such Fandom"],  # one unknown name spoils the lot
        ["Coffee Shop AU"],  # a freeform, not a fandom
        [f"Fandom {n}" for n in range(services.SCOPE_FANDOMS_MAX + 1)],
        ["x" * 100_000],
    ]
    for names in bad:
        with pytest.raises(ValidationError):
            services.mute_scope_set(
                user=reader, owner=reader, tag_id=coffee().pk, fandom_names=names
            )
    with pytest.raises(ValidationError, match="not one of your mutes"):
        services.mute_scope_set(user=reader, owner=reader, creator_id=writer.pk, fandom_names=[])
    with pytest.raises(PermissionDenied):
        services.mute_scope_set(user=writer, owner=reader, tag_id=coffee().pk, fandom_names=[])
    with pytest.raises(PermissionDenied):
        services.listing_preference_set(
            user=writer, owner=reader, hide_anonymous=True, hide_crossovers=True
        )
    mute = MutedTag.objects.get(user=reader)
    assert list(mute.fandoms.all()) == [tag("Harbour Tales")]
    assert not ListingPreference.objects.exists()


def test_database_listings_follow_scoped_mutes_and_hidden_anonymous_works(
    reader: User, writer: User, archive: None
) -> None:
    services.mute_creator_add(user=reader, owner=reader, username=writer.username)
    services.mute_scope_set(
        user=reader, owner=reader, creator_id=writer.pk, fandom_names=["Harbour Tales"]
    )
    services.listing_preference_set(
        user=reader, owner=reader, hide_anonymous=True, hide_crossovers=False
    )
    titles = sorted(unmuted_works(reader).values_list("title", flat=True))
    # Harbour Tales works by the writer go (the crossover too: it is in Harbour Tales);
    # the anonymous one goes by the preference, not by the creator's mute.
    assert titles == sorted(IN_STAR_FLEET | {"Fleet Battles"})


def test_a_tag_muted_everywhere_stays_muted_when_its_synonym_is_muted_in_a_fandom(
    client: Client, reader: User, archive: None
) -> None:
    # "Fleet" is a synonym of "Star Fleet": both mutes are of one tag. The scoped one
    # must not narrow the one that mutes it everywhere (it did: only Star Fleet works in
    # Harbour Tales were hidden).
    services.mute_tag_add(user=reader, owner=reader, tag_id=tag("Star Fleet").pk)
    services.mute_tag_add(user=reader, owner=reader, tag_id=tag("Fleet").pk)
    services.mute_scope_set(
        user=reader, owner=reader, tag_id=tag("Fleet").pk, fandom_names=["Harbour Tales"]
    )
    viewer = viewer_for(reader)
    assert viewer.muted_tags == (tag("Star Fleet").pk,) and viewer.scoped_tags == ()
    kept = sorted(set(ALL) - IN_STAR_FLEET - {"Fleet Battles", "Both Shores"})
    client.force_login(reader)
    page = client.get(reverse("works:list")).content.decode()
    assert listed(page) == kept and total(page) == len(kept)
    assert sorted(unmuted_works(reader).values_list("title", flat=True)) == kept


# -- through the site -------------------------------------------------------------------


def test_a_scoped_mute_changes_listing_counts_and_tag_pages_for_the_reader_only(
    client: Client, reader: User, archive: None
) -> None:
    client.force_login(reader)
    works = reverse("works:list")
    page = client.get(works).content.decode()
    assert listed(page) == ALL and total(page) == 7 and facet(page, "Coffee Shop AU") == 4

    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    response = client.post(
        reverse("discovery:mute_tag_scope", args=[reader.username, coffee().pk]),
        {"fandoms": "star fleet"},
        follow=True,
    )
    assert "Now muted only in Star Fleet." in response.content.decode()
    mutes_page = client.get(reverse("discovery:mutes", args=[reader.username])).content.decode()
    assert "only in" in mutes_page and 'value="Star Fleet"' in mutes_page

    # Gone within Star Fleet (its synonym and sub-fandom too), kept in Harbour Tales.
    page = client.get(works).content.decode()
    assert listed(page) == sorted(set(ALL) - IN_STAR_FLEET)
    assert total(page) == 4 and facet(page, "Coffee Shop AU") == 1
    assert facet(page, "Star Fleet") == 2  # "Fleet Battles" and "Both Shores"
    tag_page = client.get(reverse("tags:works", args=[coffee().pk])).content.decode()
    assert listed(tag_page) == ["Coffee Ashore"] and total(tag_page) == 1

    # Nobody else is affected, and a feed is a guest's whoever asks (as with every mute).
    feed = client.get(reverse("discovery:tag_feed", args=[coffee().pk])).content.decode()
    assert feed.count("<entry>") == 4
    client.force_login(make_user("otherreader"))
    page = client.get(works).content.decode()
    assert listed(page) == ALL and facet(page, "Coffee Shop AU") == 4


def test_standing_preferences_hide_anonymous_works_and_crossovers(
    client: Client, reader: User, archive: None
) -> None:
    client.force_login(reader)
    url = reverse("discovery:listing_preferences", args=[reader.username])
    client.post(url, {"hide_anonymous": "on"})
    page = client.get(reverse("works:list")).content.decode()
    assert "Masked Keeper" not in listed(page) and total(page) == 6
    assert facet(page, "Harbour Tales") == 2

    client.post(url, {"hide_crossovers": "on"})  # replaces: anonymous works are back
    page = client.get(reverse("works:list")).content.decode()
    # One fandom under two names, or a sub-fandom with its metatag, is no crossover.
    assert listed(page) == sorted(set(ALL) - {"Both Shores"})
    assert facet(page, "Harbour Tales") == 2
    mutes_page = client.get(reverse("discovery:mutes", args=[reader.username])).content.decode()
    assert re.search(r'name="hide_crossovers"[^>]*checked', mutes_page)

    client.logout()
    assert listed(client.get(reverse("works:list")).content.decode()) == ALL


def test_the_api_lists_and_counts_with_the_callers_scoped_mutes(
    reader: User, archive: None
) -> None:
    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    services.mute_scope_set(
        user=reader, owner=reader, tag_id=coffee().pk, fandom_names=["Star Fleet"]
    )
    services.listing_preference_set(
        user=reader, owner=reader, hide_anonymous=True, hide_crossovers=False
    )
    body = api_as(reader, TokenScope.READ).get("/api/v1/works", {"per_page": 50}).json()
    assert sorted(w["title"] for w in body["items"]) == [
        "Both Shores",
        "Coffee Ashore",
        "Fleet Battles",
    ]
    assert body["total"] == 3
    freeforms = {f["tag"]["name"]: f["count"] for f in body["facets"]["freeform"]}
    assert freeforms["Coffee Shop AU"] == 1
    assert api_as(None).get("/api/v1/works", {"per_page": 50}).json()["total"] == 7


def test_the_mutes_page_reports_a_bad_scope_and_changes_nothing(
    client: Client, reader: User, archive: None
) -> None:
    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    client.force_login(reader)
    url = reverse("discovery:mute_tag_scope", args=[reader.username, coffee().pk])
    response = client.post(url, {"fandoms": "Star Fleet, <script>x</script>"}, follow=True)
    html = response.content.decode()
    assert "There is no fandom called" in html and "<script>x</script>" not in html
    assert client.post(url, {"fandoms": "x" * 5000}).status_code == 302
    assert not MutedTag.objects.get(user=reader).fandoms.exists()
    # Someone else's mutes are not theirs to scope.
    client.force_login(make_user("meddler"))
    assert client.post(url, {"fandoms": "Star Fleet"}).status_code in (403, 404)
    assert not MutedTag.objects.get(user=reader).fandoms.exists()


def test_deleting_an_account_takes_its_scopes_and_preferences(reader: User, archive: None) -> None:
    services.mute_tag_add(user=reader, owner=reader, tag_id=coffee().pk)
    services.mute_scope_set(
        user=reader, owner=reader, tag_id=coffee().pk, fandom_names=["Star Fleet"]
    )
    services.listing_preference_set(
        user=reader, owner=reader, hide_anonymous=True, hide_crossovers=True
    )
    account_delete(
        user=reader,
        password=PASSWORD,
        address="192.0.2.9",
        choices=DeletionChoices(works="delete", comments="delete"),
    )
    assert not MutedTag.objects.exists() and not MutedCreator.objects.exists()
    assert not MutedTag.fandoms.through.objects.exists()
    assert not ListingPreference.objects.exists()
