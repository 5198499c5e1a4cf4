"""/api/v1/collections: reading the index, a profile and its works (never an unrevealed
one), and the writes with a read-write token, with the services' checks and messages."""

from __future__ import annotations

import pytest

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import api_as
from fanarchive.collections import item_services
from fanarchive.collections.models import Approval, Collection, CollectionItem
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_guests_read_the_index_and_a_profile(user):
    collection = make_collection(user, name="Tide_Fest", title="Tide Fest", rules="<b>Be kind</b>")
    make_collection(user, name="Quiet_Fest", title="Quiet Fest", closed=True)
    guest = api_as(None)
    listing = guest.get("/api/v1/collections").json()
    assert {c["name"] for c in listing["items"]} == {"Tide_Fest", "Quiet_Fest"}
    closed = guest.get("/api/v1/collections", {"closed": "true"}).json()
    assert [c["name"] for c in closed["items"]] == ["Quiet_Fest"]
    found = guest.get("/api/v1/collections", {"q": "tide"}).json()
    assert [c["name"] for c in found["items"]] == ["Tide_Fest"]
    detail = guest.get(f"/api/v1/collections/{collection.name}").json()
    assert detail["title"] == "Tide Fest" and "<b>Be kind</b>" in detail["rules"]
    assert detail["maintainers"][0]["username"] == user.username
    assert detail["works_count"] == 0
    assert guest.get("/api/v1/collections/no_such_thing").status_code == 404


def test_works_of_an_unrevealed_collection_never_show(user, other_user):
    collection = make_collection(user, unrevealed=True)
    work = make_work(other_user, title="The Hidden Lamp")
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    for caller in (None, make_user("onlooker")):
        body = api_as(caller).get(f"/api/v1/collections/{collection.name}/works").json()
        assert body["items"] == []
        detail = api_as(caller).get(f"/api/v1/collections/{collection.name}").json()
        assert detail["works_count"] == 0
        assert api_as(caller).get(f"/api/v1/works/{work.pk}").status_code == 404
    item_services.collection_reveal(user=user, collection=collection)
    body = api_as(None).get(f"/api/v1/collections/{collection.name}/works").json()
    assert [w["title"] for w in body["items"]] == ["The Hidden Lamp"]


def test_creating_a_collection_and_adding_a_work(user):
    client = api_as(user)
    response = client.post(
        "/api/v1/collections",
        {"name": "Lantern_Week", "title": "Lantern Week", "description": "<script>x()</script>Hi"},
    )
    assert response.status_code == 201, response.content
    assert "script" not in response.json()["description"]
    work = make_work(user)
    added = client.post(f"/api/v1/collections/Lantern_Week/works/{work.pk}")
    assert added.status_code == 201
    assert added.json()["collection_approval"] == Approval.APPROVED
    again = client.post(f"/api/v1/collections/Lantern_Week/works/{work.pk}")
    assert again.status_code == 422 and "already in" in again.json()["detail"]


def test_bad_input_is_refused_and_changes_nothing(user, other_user):
    client = api_as(user)
    bad = client.post("/api/v1/collections", {"name": "with spaces", "title": "T"})
    assert bad.status_code == 422
    assert "letters, digits and underscores" in str(bad.json())
    long = client.post("/api/v1/collections", {"name": "x" * 2000, "title": "T"})
    assert long.status_code == 422
    assert not Collection.objects.exists()
    closed = make_collection(other_user, title="Shut Harbour", closed=True)
    work = make_work(user)
    refused = client.post(f"/api/v1/collections/{closed.name}/works/{work.pk}")
    assert refused.status_code == 422
    assert "Shut Harbour is closed: no new works can be added." in str(refused.json())
    others = make_work(other_user)
    open_one = make_collection(user)
    forbidden = client.post(f"/api/v1/collections/{open_one.name}/works/{others.pk}")
    assert forbidden.status_code == 403
    assert not CollectionItem.objects.exists()
    read_only = api_as(user, TokenScope.READ)
    assert read_only.post("/api/v1/collections", {"name": "ok", "title": "T"}).status_code == 403
    assert api_as(None).post("/api/v1/collections", {"name": "ok", "title": "T"}).status_code == 401


def test_moderators_approve_and_others_cannot(user, other_user):
    collection = make_collection(user, moderated=True)
    work = make_work(other_user)
    item = item_services.collection_item_add(user=other_user, collection=collection, work=work)
    url = f"/api/v1/collections/{collection.name}/items/{item.pk}/approve"
    assert api_as(other_user).post(url).status_code == 403
    item.refresh_from_db()
    assert item.collection_approval == Approval.UNREVIEWED
    approved = api_as(user).post(url)
    assert approved.status_code == 200 and approved.json()["collection_approval"] == "approved"
    assert (
        api_as(other_user).post(f"/api/v1/collections/{collection.name}/reveal").status_code == 403
    )
