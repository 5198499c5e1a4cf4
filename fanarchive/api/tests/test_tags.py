"""GET /api/v1/tags...: a tag with its wrangling, its works, autocomplete."""

from __future__ import annotations

import pytest

from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.models import Tag, TagType
from fanarchive.wrangling.services import tag_link_fandom, tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangled(archive: Archive) -> dict[str, Tag]:
    admin = make_user("wrangler_admin", is_staff=True)
    make_work(archive.other, title="Shorthand", fandoms=["HT"], characters=["Mira"])
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    short = Tag.objects.get(type=TagType.FANDOM, name="HT")
    mira = Tag.objects.get(type=TagType.CHARACTER, name="Mira Vale")
    tag_set_canonical(user=admin, tag=fandom, canonical=True)
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    tag_make_synonym(user=admin, tag=short, canonical=fandom)
    tag_link_fandom(user=admin, tag=mira, fandom=fandom)
    return {"fandom": fandom, "short": short, "mira": mira}


def test_tag_detail_has_its_wrangling(wrangled: dict[str, Tag]) -> None:
    fandom, short, mira = wrangled["fandom"], wrangled["short"], wrangled["mira"]
    body = api_as(None).get(f"/api/v1/tags/{fandom.pk}").json()
    assert body["name"] == "Harbour Tales"
    assert body["canonical"] is True
    assert [t["name"] for t in body["synonyms"]] == ["HT"]
    assert [t["name"] for t in body["members"]] == ["Mira Vale"]
    synonym = api_as(None).get(f"/api/v1/tags/{short.pk}").json()
    assert synonym["synonym_of"] == {"id": fandom.pk, "name": "Harbour Tales", "type": "fandom"}
    character = api_as(None).get(f"/api/v1/tags/{mira.pk}").json()
    assert [t["name"] for t in character["fandoms"]] == ["Harbour Tales"]
    missing = api_as(None).get("/api/v1/tags/999999")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_tag_works_follow_wrangling_and_visibility(wrangled: dict[str, Tag]) -> None:
    titles = lambda r: {w["title"] for w in r.json()["items"]}  # noqa: E731
    fandom, short = wrangled["fandom"], wrangled["short"]
    guest = api_as(None)
    expected = {"Lantern Public", "Lantern Explicit", "Shorthand"}
    assert titles(guest.get(f"/api/v1/tags/{fandom.pk}/works")) == expected
    # A synonym's works are its canonical's, as on the site.
    assert titles(guest.get(f"/api/v1/tags/{short.pk}/works")) == expected
    assert titles(guest.get(f"/api/v1/tags/{fandom.pk}/works", {"q": "shorthand"})) == {"Shorthand"}


def test_autocomplete(wrangled: dict[str, Tag]) -> None:
    guest = api_as(None)
    body = guest.get("/api/v1/tags/autocomplete", {"type": "fandom", "q": "har"}).json()
    assert [t["name"] for t in body["results"]] == ["Harbour Tales"]
    assert body["results"][0]["canonical"] is True
    scoped = guest.get(
        "/api/v1/tags/autocomplete",
        {"type": "character", "q": "mi", "fandom": wrangled["fandom"].pk},
    ).json()
    assert [t["name"] for t in scoped["results"]] == ["Mira Vale"]
    assert guest.get("/api/v1/tags/autocomplete", {"type": "fandom", "q": "zzz"}).json() == {
        "results": []
    }
    missing = guest.get("/api/v1/tags/autocomplete", {"q": "har"})
    assert missing.status_code == 422
    assert "type" in missing.json()["errors"]
