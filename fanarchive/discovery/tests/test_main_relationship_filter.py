"""'Main relationship only' and the main relationships' facet, on /works/, a tag's page,
its feed and the API: exact, and within what the reader may see."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index import live
from fanarchive.discovery.tests.test_views import listed, tag
from fanarchive.tags.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def ships(user):
    live.forget()
    make_work(user, title="Main Ship", relationships=["Mira/Tomas", "Ada/Bel"])
    make_work(user, title="Side Ship", relationships=["Ada/Bel", "Mira/Tomas"])
    make_work(
        user,
        title="Both Main",
        relationships=["Ada/Bel", "Mira/Tomas"],
        main_relationships=["Ada/Bel", "Mira/Tomas"],
    )
    make_work(user, title="Locked Main", relationships=["Mira/Tomas"], restricted=True)
    make_work(user, title="Synonym Main", relationships=["Tomas/Mira"])
    make_work(user, title="Draft Main", relationships=["Mira/Tomas"], post=False)
    yield
    live.forget()


def wrangle_synonym() -> None:
    from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

    admin = make_user("ship_wrangler", is_staff=True)
    tag_set_canonical(user=admin, tag=tag("Mira/Tomas"), canonical=True)
    tag_make_synonym(user=admin, tag=tag("Tomas/Mira"), canonical=tag("Mira/Tomas"))


def main_facet(html: str) -> dict[str, int]:
    group = html.split("<legend>Main relationships</legend>")[1].split("</fieldset>")[0]
    return {name: int(count) for name, count in re.findall(r">([^<>]+) \((\d+)\)", group)}


def test_main_relationship_only_on_works_and_a_tag_page(client, user, ships):
    wrangle_synonym()
    mira = tag("Mira/Tomas").pk
    url = reverse("works:list")
    every = listed(client.get(url, {"include": mira}).content.decode())
    assert sorted(every) == ["Both Main", "Main Ship", "Side Ship", "Synonym Main"]
    main_only = client.get(url, {"include": mira, "main_relationship": "on"}).content.decode()
    assert sorted(listed(main_only)) == ["Both Main", "Main Ship", "Synonym Main"]

    tag_page = reverse("tags:works", args=[mira])
    on_tag = client.get(tag_page, {"main_relationship": "on"}).content.decode()
    assert sorted(listed(on_tag)) == ["Both Main", "Main Ship", "Synonym Main"]
    assert 'name="main_relationship"' in on_tag
    assert '<label for="id_main_relationship">' in on_tag
    # Signed in, the restricted work is there too; the draft never is.
    client.force_login(user)
    signed_in = client.get(tag_page, {"main_relationship": "on"}).content.decode()
    assert "Locked Main" in listed(signed_in) and "Draft Main" not in signed_in
    # The feed follows the filter.
    feed = client.get(reverse("discovery:tag_feed", args=[mira]), {"main_relationship": "on"})
    assert b"Side Ship" not in feed.content and b"Main Ship" in feed.content


def test_the_main_relationships_facet_counts_exactly(client, user, ships):
    wrangle_synonym()
    page = client.get(reverse("works:list")).content.decode()
    # Guests: the restricted work and the draft are not counted; a synonym's work counts
    # under its canonical too (as in the other facets).
    assert main_facet(page) == {"Mira/Tomas": 3, "Ada/Bel": 2, "Tomas/Mira": 1}
    link = re.search(r'href="\?([^"]*main_relationship=on[^"]*)"[^>]*>Ada/Bel', page)
    assert link is not None
    followed = client.get(reverse("works:list") + "?" + link.group(1).replace("&amp;", "&"))
    assert sorted(listed(followed.content.decode())) == ["Both Main", "Side Ship"]
    client.force_login(user)
    assert main_facet(client.get(reverse("works:list")).content.decode())["Mira/Tomas"] == 4


def test_the_api_filters_counts_writes_and_shows_main_relationships(user, other_user, ships):
    mira = Tag.objects.get(name="Mira/Tomas").pk
    api = api_as(user)
    found = api.get("/api/v1/works", {"include": mira, "main_relationship": "true"}).json()
    assert sorted(w["title"] for w in found["items"]) == ["Both Main", "Locked Main", "Main Ship"]
    facet = {f["tag"]["name"]: f["count"] for f in found["facets"]["main_relationship"]}
    assert facet == {"Mira/Tomas": 3, "Ada/Bel": 1}
    side = next(w for w in found["items"] if w["title"] == "Both Main")
    assert side["main_relationships"] == ["Ada/Bel", "Mira/Tomas"]

    body = {
        "title": "Posted By Script",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Harbour Tales"],
        "relationships": ["Cole/Dana", "Ada/Bel"],
        "main_relationships": ["Ada/Bel"],
        "chapters": [{"text": "The boats came home at dusk, one by one.", "text_format": "plain"}],
    }
    api = api_as(other_user)  # a new account, not yet at its works an hour
    created = api.post("/api/v1/works", body)
    assert created.status_code == 201, created.content
    work = created.json()
    assert work["main_relationships"] == ["Ada/Bel"]
    assert work["relationships"] == ["Ada/Bel", "Cole/Dana"]
    path = f"/api/v1/works/{work['id']}"
    # New relationships without a word on the main ones: those still there stay main.
    patched = api.patch(path, {"relationships": ["Ada/Bel", "Eve/Finn"]}).json()
    assert patched["main_relationships"] == ["Ada/Bel"]
    patched = api.patch(path, {"relationships": ["Eve/Finn"]}).json()
    assert patched["main_relationships"] == ["Eve/Finn"]  # none left: the first
    refused = api.patch(path, {"main_relationships": ["Nobody/Here"]})
    assert refused.status_code == 422
    assert "not among them" in refused.content.decode()
    assert api.get(path).json()["main_relationships"] == ["Eve/Finn"]
