"""GET /api/v1/users..., /api/v1/me: profiles, pseuds and works, with visibility."""

from __future__ import annotations

import pytest

from fanarchive.accounts.profile_services import pseud_create
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_work

pytestmark = pytest.mark.django_db


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {w["title"] for w in response.json()["items"]}


def test_profile_counts_only_visible_works(archive: Archive) -> None:
    guest = api_as(None).get("/api/v1/users/keeper").json()
    assert guest["username"] == "keeper"
    assert guest["pseuds"][0]["name"] == "keeper"
    assert guest["pseuds"][0]["works"] == 2  # public and explicit
    member = api_as(archive.other, TokenScope.READ).get("/api/v1/users/KEEPER").json()
    assert member["pseuds"][0]["works"] == 3  # and restricted
    assert api_as(None).get("/api/v1/users/nobody").status_code == 404


def test_user_works_by_visibility(archive: Archive) -> None:
    path = "/api/v1/users/keeper/works"
    assert titles(api_as(None).get(path)) == {"Lantern Public", "Lantern Explicit"}
    expected = {"Lantern Public", "Lantern Explicit", "Lantern Restricted"}
    assert titles(api_as(archive.other, TokenScope.READ).get(path)) == expected
    # Listings never show drafts or hidden works, not even to their creator (as on the site).
    assert titles(api_as(archive.creator, TokenScope.READ).get(path)) == expected


def test_user_works_page_by_cursor(archive: Archive) -> None:
    api = api_as(archive.other, TokenScope.READ)
    seen: list[str] = []
    body = api.get("/api/v1/users/keeper/works", {"limit": 2}).json()
    seen += [w["title"] for w in body["items"]]
    assert body["next"]
    body = api.get("/api/v1/users/keeper/works", {"limit": 2, "cursor": body["next"]}).json()
    seen += [w["title"] for w in body["items"]]
    assert body["next"] is None
    assert sorted(seen) == ["Lantern Explicit", "Lantern Public", "Lantern Restricted"]
    bad = api.get("/api/v1/users/keeper/works", {"cursor": "eyJ4IjoxfQ"})
    assert bad.status_code == 422


def test_drafts_only_for_their_owner(archive: Archive) -> None:
    path = "/api/v1/users/keeper/drafts"
    assert titles(api_as(archive.creator, TokenScope.READ).get(path)) == {"Lantern Draft"}
    assert api_as(archive.other, TokenScope.READ).get(path).status_code == 403
    assert api_as(None).get(path).status_code == 401


def test_pseud_detail_and_works(archive: Archive) -> None:
    pseud = pseud_create(
        user=archive.creator, owner=archive.creator, name="Lamplighter", description="Nights."
    )
    make_work(archive.creator, title="Under Lamplighter", pseud_ids=[pseud.pk])
    make_work(archive.creator, title="Restricted Lamp", pseud_ids=[pseud.pk], restricted=True)
    guest = api_as(None)
    body = guest.get("/api/v1/users/keeper/pseuds/lamplighter").json()
    assert body["name"] == "Lamplighter"
    assert body["byline"] == "Lamplighter (keeper)"
    assert body["works"] == 1
    assert titles(guest.get("/api/v1/users/keeper/pseuds/Lamplighter/works")) == {
        "Under Lamplighter"
    }
    member = api_as(archive.other, TokenScope.READ)
    assert titles(member.get("/api/v1/users/keeper/pseuds/Lamplighter/works")) == {
        "Under Lamplighter",
        "Restricted Lamp",
    }
    assert guest.get("/api/v1/users/keeper/pseuds/nobody").status_code == 404


def test_me(archive: Archive) -> None:
    body = api_as(archive.other, TokenScope.READ).get("/api/v1/me").json()
    assert body == {
        "username": "visitor",
        "authenticated_by": "token",
        "scope": "read",
        "view_adult": False,
    }
    assert api_as(None).get("/api/v1/me").status_code == 401
