"""The filter pages, facets, pagination, feeds, mutes, saved filters and the health page."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.models import MutedTag, SavedFilter
from fanarchive.tags.fixed import EXPLICIT, GENERAL, MATURE
from fanarchive.tags.models import Tag

pytestmark = pytest.mark.django_db


def tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def entry_titles(content: bytes) -> list[str]:
    root = ElementTree.fromstring(content)  # noqa: S314 (our own feed)
    return [
        e.text or ""
        for e in root.findall(
            "{http://www.w3.org/2005/Atom}entry/{http://www.w3.org/2005/Atom}title"
        )
    ]


def listed(html: str) -> list[str]:
    return re.findall(r'<h3 class="heading">\s*<a href="/works/\d+/">([^<]+)</a>', html)


@pytest.fixture
def archive(user, other_user):
    make_work(user, title="Harbour One", fandoms=["Harbour Tales"], freeforms=["Storms"])
    make_work(user, title="Harbour Two", fandoms=["Harbour Tales"], rating=EXPLICIT)
    make_work(
        other_user,
        title="Crossing",
        fandoms=["Harbour Tales", "Owl Song"],
        characters=["Wren"],
        chapters=2,
        expected_chapters=3,
    )
    make_work(other_user, title="Owl Only", fandoms=["Owl Song"], rating=MATURE, restricted=True)
    make_work(other_user, title="Unposted", fandoms=["Owl Song"], post=False)


def test_filters_from_the_query_string(client, archive):
    url = reverse("works:list")
    assert sorted(listed(client.get(url).content.decode())) == [
        "Crossing",
        "Harbour One",
        "Harbour Two",
    ]
    harbour = tag("Harbour Tales").pk
    page = client.get(url, {"include": harbour, "exclude": tag("Storms").pk}).content.decode()
    assert sorted(listed(page)) == ["Crossing", "Harbour Two"]
    page = client.get(url, {"rating": tag(EXPLICIT).pk}).content.decode()
    assert listed(page) == ["Harbour Two"]
    assert listed(client.get(url, {"crossover": "only"}).content.decode()) == ["Crossing"]
    assert "Crossing" not in listed(client.get(url, {"crossover": "exclude"}).content.decode())
    assert listed(client.get(url, {"complete": "F"}).content.decode()) == ["Crossing"]
    page = client.get(url, {"fandom_names": "owl song", "character_names": "wren"})
    assert listed(page.content.decode()) == ["Crossing"]
    page = client.get(url, {"sort": "title", "order": "asc"}).content.decode()
    assert listed(page) == ["Crossing", "Harbour One", "Harbour Two"]
    page = client.get(url, {"sort": "words", "words_from": 1, "words_to": 10**6})
    assert len(listed(page.content.decode())) == 3


def test_facets_count_the_result_and_link_to_include_and_exclude(client, archive):
    page = client.get(reverse("works:list")).content.decode()
    harbour = tag("Harbour Tales").pk
    assert "Harbour Tales (3)" in page
    assert "Owl Song (1)" in page  # the restricted and the draft Owl Song works are not counted
    assert f"include={harbour}" in page and f"exclude={harbour}" in page
    assert f"{GENERAL} (2)" in page and f"{EXPLICIT} (1)" in page


def test_tag_pages_filter_within_the_tag(client, archive, user):
    owl = tag("Owl Song")
    page = client.get(reverse("tags:works", args=[owl.pk])).content.decode()
    assert "1 Work in" in page and listed(page) == ["Crossing"]
    client.force_login(user)
    page = client.get(reverse("tags:works", args=[owl.pk]), {"sort": "title"}).content.decode()
    assert "2 Works in" in page and listed(page) == ["Crossing", "Owl Only"]
    assert client.get(reverse("tags:works", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"include": "999999"}, "These tags do not exist"),
        ({"include": "abc"}, "is not a tag number"),
        ({"words_from": "10", "words_to": "5"}, "upper bound"),
        ({"words_from": "-3"}, "greater than or equal to 0"),
        ({"fandom_names": "No Such Fandom"}, "There is no fandom called"),
        ({"date_from": "yesterday"}, "Enter a valid date"),
        ({"sort": "sideways"}, "Select a valid choice"),
        ({"page": "x"}, "Enter a whole number"),
    ],
)
def test_bad_filters_get_a_message_not_an_error(client, archive, query, message):
    response = client.get(reverse("works:list"), query)
    assert response.status_code == 200
    assert message in response.content.decode()


def test_pagination_reaches_the_last_page(client, user, settings):
    settings.WORKS_PER_PAGE = 2
    for n in range(5):
        make_work(user, title=f"Tale {n}")
    url = reverse("works:list")
    page = client.get(url, {"sort": "title", "order": "asc", "page": 3}).content.decode()
    assert listed(page) == ["Tale 4"] and "Page 3 of 3" in page
    page = client.get(url, {"sort": "title", "order": "asc", "page": 99}).content.decode()
    assert listed(page) == ["Tale 4"]
    page = client.get(url, {"sort": "title", "order": "asc", "page": 2}).content.decode()
    assert listed(page) == ["Tale 2", "Tale 3"]
    assert "sort=title&amp;order=asc&amp;page=3" in page


def test_the_filter_form_is_a_plain_get_form(client, archive):
    page = client.get(reverse("works:list")).content.decode()
    assert re.search(r'<form method="get" action="/works/"', page)
    # Works without JavaScript: no inline script or style, and the script files are
    # optional (the scripts' translations; tag autocomplete; opening the filter panel on
    # a wide screen).
    assert re.findall(r"<script[^>]*>", page) == [
        '<script src="/jsi18n/?language=en" defer>',
        '<script src="/static/js/tag-autocomplete.js" defer>',
        '<script src="/static/js/filters.js" defer>',
    ]
    assert "style=" not in page


def test_feeds_never_hold_restricted_works_or_drafts(client, user, archive):
    client.force_login(user)  # feeds are built for a guest whoever asks
    response = client.get(reverse("discovery:works_feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = entry_titles(response.content)
    assert sorted(titles) == ["Crossing", "Harbour One", "Harbour Two"]
    owl = tag("Owl Song").pk
    response = client.get(reverse("discovery:tag_feed", args=[owl]))
    titles = entry_titles(response.content)
    assert titles == ["Crossing"]
    response = client.get(reverse("discovery:works_feed"), {"rating": tag(EXPLICIT).pk})
    titles = entry_titles(response.content)
    assert titles == ["Harbour Two"]
    assert client.get(reverse("discovery:works_feed"), {"include": "x"}).status_code == 400


def test_muting_hides_works_everywhere_the_reader_looks(client, user, other_user, archive):
    reader = make_user("reader")
    client.force_login(reader)
    storms = tag("Storms")
    response = client.post(reverse("discovery:mute_tag", args=["reader"]), {"tag": storms.pk})
    assert response.status_code == 302
    response = client.post(
        reverse("discovery:mutes", args=["reader"]), {"username": "someone_else"}
    )
    assert response.status_code == 302
    page = client.get(reverse("works:list")).content.decode()
    assert listed(page) == ["Harbour Two"]
    assert "Harbour Tales (1)" in page
    page = client.get(reverse("works:list"), {"q": "harbour"}).content.decode()
    assert "Harbour One" not in listed(page)
    mutes = client.get(reverse("discovery:mutes", args=["reader"])).content.decode()
    assert "Storms" in mutes and "someone_else" in mutes
    client.post(reverse("discovery:unmute_tag", args=["reader", storms.pk]))
    client.post(reverse("discovery:unmute_creator", args=["reader", other_user.pk]))
    assert len(listed(client.get(reverse("works:list")).content.decode())) == 4
    response = client.post(reverse("discovery:mutes", args=["reader"]), {"username": "nobody"})
    assert "There is no account called &quot;nobody&quot;" in response.content.decode()
    assert not MutedTag.objects.exists()


def test_mutes_and_filters_are_private(client, user, other_user):
    client.force_login(other_user)
    assert client.get(reverse("discovery:mutes", args=[user.username])).status_code == 403
    assert client.get(reverse("discovery:saved_filters", args=[user.username])).status_code == 403
    response = client.post(reverse("discovery:mute_tag", args=[user.username]), {"tag": 1})
    assert response.status_code == 403
    client.logout()
    response = client.get(reverse("discovery:mutes", args=[user.username]))
    assert response.status_code == 302


def test_saved_filters_have_names_and_show_on_the_profile(client, user, archive):
    client.force_login(user)
    harbour = tag("Harbour Tales").pk
    page = client.get(reverse("works:list"), {"include": harbour}).content.decode()
    assert "Save this filter as" in page
    response = client.post(
        reverse("discovery:saved_filters", args=[user.username]),
        {"name": "Harbour only", "query": f"include={harbour}&page=3"},
    )
    assert response.status_code == 302
    saved = SavedFilter.objects.get()
    assert saved.query_string == f"include={harbour}"
    profile = client.get(reverse("accounts:profile", args=[user.username])).content.decode()
    assert "Harbour only" in profile and f"/works/?include={harbour}" in profile
    response = client.post(
        reverse("discovery:saved_filters", args=[user.username]),
        {"name": "harbour ONLY", "query": ""},
    )
    assert "You already have a filter called" in response.content.decode()
    client.post(reverse("discovery:saved_filter_delete", args=[user.username, saved.pk]))
    assert not SavedFilter.objects.exists()


def test_post_forms_need_csrf(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("discovery:saved_filters", args=[user.username]), {"name": "x"})
    assert response.status_code == 403
    page = client.get(reverse("discovery:mutes", args=[user.username])).content.decode()
    assert page.count('name="csrfmiddlewaretoken"') >= 2  # logout and mute forms


def test_the_health_page_is_for_staff(client, user, archive):
    assert client.get(reverse("discovery:health")).status_code == 302
    staff = make_user("boss")
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    page = client.get(reverse("discovery:health")).content.decode()
    assert "Works indexed" in page and "Lag" in page


def test_reindex_command(capsys, user, archive):
    from django.core.management import call_command

    call_command("reindex", "--search")
    out = capsys.readouterr().out
    assert "Indexed 5 works" in out


def test_one_fandom_under_several_names_is_not_a_crossover(client):
    from fanarchive.wrangling.services import (
        tag_add_metatag,
        tag_make_synonym,
        tag_set_canonical,
    )

    admin = make_user("wrangling_admin", is_staff=True)
    author = make_user("fandom_writer")
    make_work(author, title="Synonym Only", fandoms=["Lantern Isles", "The Lantern Isles"])
    make_work(author, title="Books And Films", fandoms=["Lantern (Books)", "Lantern (Films)"])
    make_work(author, title="Truly Crossed", fandoms=["Lantern Isles", "Owl Song"])
    for name in ("Lantern Isles", "Lantern (Books)", "Lantern (Films)", "Owl Song"):
        tag_set_canonical(user=admin, tag=tag(name), canonical=True)
    tag_make_synonym(user=admin, tag=tag("The Lantern Isles"), canonical=tag("Lantern Isles"))
    for name in ("Lantern (Books)", "Lantern (Films)"):
        tag_add_metatag(user=admin, tag=tag(name), metatag=tag("Lantern Isles"))

    url = reverse("works:list")
    assert listed(client.get(url, {"crossover": "only"}).content.decode()) == ["Truly Crossed"]
    excluded = listed(client.get(url, {"crossover": "exclude"}).content.decode())
    assert sorted(excluded) == ["Books And Films", "Synonym Only"]


def test_a_synonym_filters_and_pages_as_its_canonical(client):
    from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

    admin = make_user("synonym_admin", is_staff=True)
    author = make_user("synonym_writer")
    make_work(author, title="Under Canonical", characters=["Mira Vale"])
    make_work(author, title="Under Synonym", characters=["Mira"])
    tag_set_canonical(user=admin, tag=tag("Mira Vale"), canonical=True)
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))

    url = reverse("works:list")
    found = listed(client.get(url, {"include": tag("Mira").pk}).content.decode())
    assert sorted(found) == ["Under Canonical", "Under Synonym"]
    named = listed(client.get(url, {"character_names": "mira"}).content.decode())
    assert sorted(named) == ["Under Canonical", "Under Synonym"]
    excluded = listed(client.get(url, {"exclude": tag("Mira").pk}).content.decode())
    assert "Under Canonical" not in excluded and "Under Synonym" not in excluded

    page = client.get(reverse("tags:works", args=[tag("Mira").pk]), {"sort": "title"})
    assert page.status_code == 302
    assert page.url == reverse("tags:works", args=[tag("Mira Vale").pk]) + "?sort=title"
    canonical_page = client.get(page.url).content.decode()
    assert "Synonyms" in canonical_page and "Mira</a>" in canonical_page


def test_mutes_apply_to_profile_listings_too(client, user, other_user):
    make_work(other_user, title="Stormy Story", freeforms=["Storms"])
    make_work(other_user, title="Calm Story", freeforms=["Calm Seas"])
    client.force_login(user)
    profile = reverse("accounts:profile", args=[other_user.username])
    assert sorted(listed(client.get(profile).content.decode())) == ["Calm Story", "Stormy Story"]
    from fanarchive.discovery.services import mute_tag_add

    mute_tag_add(user=user, owner=user, tag_id=tag("Storms").pk)
    assert listed(client.get(profile).content.decode()) == ["Calm Story"]
    # Nobody else is affected by this reader's mutes.
    client.logout()
    assert len(listed(client.get(profile).content.decode())) == 2


def test_filter_tag_fields_offer_autocomplete(client):
    page = client.get(reverse("works:list")).content.decode()
    assert 'data-autocomplete-type="fandom"' in page
    assert 'data-autocomplete-type="character"' in page
    assert 'data-autocomplete-fandoms-from="id_fandom_names"' in page
    assert "js/tag-autocomplete.js" in page
