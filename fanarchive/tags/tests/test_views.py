"""The wrangling pages and the autocomplete endpoint through the test client."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.testing import make_work
from fanarchive.tags.models import FandomLink, SuggestionDecision, TagType, WranglingLog
from fanarchive.tags.tests.conftest import found, tag
from fanarchive.works.tag_count_services import tags_recount
from fanarchive.wrangling.services import (
    tag_add_metatag,
    tag_link_fandom,
    tag_make_synonym,
    tag_set_canonical,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def archive(user, admin):
    """A small wrangled archive: Harbour Tales with Mira Vale (canonical) and variants."""
    make_work(user, fandoms=["Harbour Tales"], characters=["Mira Vale", "Tomas Reyes"])
    make_work(user, fandoms=["Harbour Tales"], characters=["Mira Vale"])
    make_work(user, fandoms=["Harbour Tales"], characters=["Mira", "Mirabel Stone"])
    make_work(user, fandoms=["Skyward Lanterns"], characters=["Mira Kestrel"])
    harbour = tag("Harbour Tales", TagType.FANDOM)
    tag_set_canonical(user=admin, tag=harbour, canonical=True)
    for name in ("Mira Vale", "Tomas Reyes"):
        tag_set_canonical(user=admin, tag=tag(name), canonical=True)
        tag_link_fandom(user=admin, tag=tag(name), fandom=harbour)
    tag_link_fandom(user=admin, tag=tag("Mirabel Stone"), fandom=harbour)
    tags_recount()
    return harbour


def logged_in(client: Client, user) -> Client:
    client.force_login(user)
    return client


def test_autocomplete_canonical_first_then_by_use(client, archive):
    response = client.get(reverse("wrangling:autocomplete"), {"type": "character", "q": "mir"})
    assert response.status_code == 200
    names = [row["name"] for row in response.json()["results"]]
    assert names[0] == "Mira Vale"
    assert set(names) == {"Mira Vale", "Mira", "Mirabel Stone", "Mira Kestrel"}
    assert response.json()["results"][0] == {
        "id": tag("Mira Vale").pk,
        "name": "Mira Vale",
        "canonical": True,
        "uses": 2,
    }


def test_autocomplete_folds_and_limits_to_fandoms(client, archive):
    url = reverse("wrangling:autocomplete")
    names = [
        r["name"] for r in client.get(url, {"type": "character", "q": "MÍRA V"}).json()["results"]
    ]
    assert names == ["Mira Vale"]
    in_fandom = client.get(url, {"type": "character", "q": "mira", "fandom": archive.pk}).json()
    assert [r["name"] for r in in_fandom["results"]] == ["Mira Vale", "Mirabel Stone"]
    by_name = client.get(
        url, {"type": "character", "q": "mira", "fandom_name": "harbour tales"}
    ).json()
    assert by_name == in_fandom
    assert client.get(url, {"type": "nonsense", "q": "m"}).json() == {"results": []}
    assert client.get(url, {"type": "character", "q": ""}).json() == {"results": []}


def autocompleted(client: Client, **params: str) -> list[str]:
    response = client.get(reverse("wrangling:autocomplete"), params)
    assert response.status_code == 200
    return [row["name"] for row in response.json()["results"]]


def test_autocomplete_matches_the_start_of_any_word(client, user, admin):
    make_work(
        user,
        freeforms=["The Ninth Library", "Librarian Mira", "Unlibrary", "Café Ébène"],
        relationships=["Mira Vale/Tomas Reyes", "Oren & Tomasz"],
    )
    assert autocompleted(client, type="freeform", q="library") == ["The Ninth Library"]
    assert set(autocompleted(client, type="freeform", q="LIBR")) == {
        "The Ninth Library",
        "Librarian Mira",
    }
    assert autocompleted(client, type="freeform", q="ninth lib") == ["The Ninth Library"]
    assert autocompleted(client, type="freeform", q="EBÈNE") == ["Café Ébène"]
    assert autocompleted(client, type="freeform", q="brary") == []  # a word's start, not its middle
    assert autocompleted(client, type="relationship", q="tomas") == [
        "Mira Vale/Tomas Reyes",
        "Oren & Tomasz",
    ]
    # Canonical first, wherever the word is.
    tag_set_canonical(user=admin, tag=tag("Oren & Tomasz", TagType.RELATIONSHIP), canonical=True)
    assert autocompleted(client, type="relationship", q="tomas")[0] == "Oren & Tomasz"


def test_autocomplete_follows_a_rename(client, admin, archive):
    mirabel = tag("Mirabel Stone")
    logged_in(client, admin)
    response = client.post(
        reverse("wrangling:tag_edit", args=[mirabel.pk]),
        {"action": "rename", "rename-name": "Mirabel Quarry"},
    )
    assert response.status_code == 302
    assert autocompleted(client, type="character", q="quarry") == ["Mirabel Quarry"]
    assert autocompleted(client, type="character", q="stone") == []


@pytest.mark.parametrize(
    "fandom", ["99999999999999999999999", "9223372036854775808", "-1", "abc", "1.5", "0x10"]
)
def test_autocomplete_refuses_a_fandom_that_is_not_a_tag_id(client, archive, fandom):
    url = reverse("wrangling:autocomplete")
    response = client.get(url, {"type": "character", "q": "mira", "fandom": fandom})
    assert response.status_code == 400
    assert response.json() == {"error": "fandom must be a tag id (a whole number)."}


def test_autocomplete_with_an_unknown_fandom_finds_nothing(client, archive):
    # The largest id the database can hold, and one that no tag has.
    for fandom in ("9223372036854775807", "123456789"):
        assert autocompleted(client, type="character", q="mira", fandom=fandom) == []


def test_only_wranglers_reach_the_wrangling_pages(client, user, archive, wrangler):
    mira = tag("Mira")
    pages = [
        reverse("wrangling:home"),
        reverse("wrangling:queue"),
        reverse("wrangling:log"),
        reverse("wrangling:tag_edit", args=[mira.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 302  # to the login page
    logged_in(client, user)
    for url in pages:
        assert client.get(url).status_code == 403
    response = client.post(
        reverse("wrangling:tag_edit", args=[mira.pk]),
        {"action": "synonym", "synonym-synonym_of": "Mira Vale"},
    )
    assert response.status_code == 403
    assert tag("Mira").synonym_of is None
    logged_in(client, wrangler)
    for url in pages:
        assert client.get(url).status_code == 200


def test_tag_edit_page_makes_a_synonym_and_filtering_follows(client, admin, archive):
    mira = tag("Mira")
    logged_in(client, admin)
    page = client.get(reverse("wrangling:tag_edit", args=[mira.pk]))
    assert b"The assistant suggests" in page.content
    assert b'data-autocomplete-type="character"' in page.content
    response = client.post(
        reverse("wrangling:tag_edit", args=[mira.pk]),
        {"action": "synonym", "synonym-synonym_of": "mira vale"},
    )
    assert response.status_code == 302
    assert tag("Mira").synonym_of == tag("Mira Vale")
    assert len(found(tag("Mira Vale"))) == 3


def test_tag_edit_page_explains_bad_input(client, admin, archive):
    logged_in(client, admin)
    url = reverse("wrangling:tag_edit", args=[tag("Mira").pk])
    response = client.post(url, {"action": "synonym", "synonym-synonym_of": "Nobody At All"})
    assert response.status_code == 200
    assert "There is no Character tag named" in response.content.decode()
    response = client.post(url, {"action": "rename", "rename-name": "Tomas Reyes"})
    assert response.status_code == 200
    assert "merge the two instead" in response.content.decode()
    response = client.post(url, {"action": "no-such-thing"})
    assert response.status_code == 200
    assert response.content.decode().count("nothing was changed") == 1
    assert WranglingLog.objects.filter(tag=tag("Mira")).count() == 0


def test_metatag_cycle_refused_on_the_page(client, admin, archive):
    vale, tomas = tag("Mira Vale"), tag("Tomas Reyes")
    tag_add_metatag(user=admin, tag=vale, metatag=tomas)
    logged_in(client, admin)
    response = client.post(
        reverse("wrangling:tag_edit", args=[tomas.pk]),
        {"action": "metatag", "metatag-metatag": "Mira Vale"},
    )
    assert response.status_code == 200
    assert "cycle" in response.content.decode()


def test_queue_and_mass_wrangling(client, admin, archive):
    logged_in(client, admin)
    queue = client.get(reverse("wrangling:queue"), {"type": "character", "fandom": archive.pk})
    content = queue.content.decode()
    assert "Mira" in content and "Mira Kestrel" not in content  # another fandom's tag
    response = client.post(
        reverse("wrangling:mass"),
        {
            "type": "character",
            "fandom": archive.pk,
            "tags": [tag("Mira").pk],
            "action": "synonym",
            "target": "Mira Vale",
        },
    )
    assert response.status_code == 302
    assert tag("Mira").synonym_of == tag("Mira Vale")
    response = client.post(
        reverse("wrangling:mass"),
        {
            "type": "character",
            "tags": [tag("Mira Kestrel").pk],
            "action": "fandom",
            "target": "Nowhere",
        },
    )
    assert response.status_code == 200
    assert "There is no Fandom tag named" in response.content.decode()
    assert not FandomLink.objects.filter(tag=tag("Mira Kestrel")).exists()


def test_accept_and_reject_suggestions(client, admin, archive):
    logged_in(client, admin)
    url = reverse("wrangling:suggestion")
    mira, vale = tag("Mira"), tag("Mira Vale")
    response = client.post(
        url,
        {"tag": mira.pk, "target": vale.pk, "decision": "reject", "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("wrangling:tag_edit", args=[mira.pk])
    assert SuggestionDecision.objects.get(tag=mira).accepted is False
    page = client.get(reverse("wrangling:tag_edit", args=[mira.pk]))
    assert b"The assistant suggests" not in page.content
    client.post(url, {"tag": mira.pk, "target": vale.pk, "decision": "accept"})
    assert tag("Mira").synonym_of == vale


def test_tag_page_and_log(client, admin, archive):
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=tag("Mira Vale"))
    about = client.get(reverse("tags:about", args=[tag("Mira Vale").pk])).content.decode()
    assert "Synonyms" in about and "Mira" in about and "Harbour Tales" in about
    logged_in(client, admin)
    log = client.get(reverse("wrangling:log")).content.decode()
    assert "Made a synonym" in log and admin.username in log


def test_forms_need_csrf(admin, archive):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    response = client.post(
        reverse("wrangling:tag_edit", args=[tag("Mira").pk]),
        {"action": "canonical", "canonical-canonical": "on"},
    )
    assert response.status_code == 403
    page = client.get(reverse("wrangling:tag_edit", args=[tag("Mira").pk])).content.decode()
    # Every POST form carries the token (the header's search is a GET form).
    posting = page.count("<form") - page.count('<form method="get"')
    assert page.count("csrfmiddlewaretoken") == posting
