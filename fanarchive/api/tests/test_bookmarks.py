"""Bookmarks through the API: the site's bookmark services and selectors."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.services import mute_creator_add, mute_tag_add
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Bookmark
from fanarchive.tags.models import Tag
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def mark(
    user: User, work: Work | None = None, series: Series | None = None, **kwargs: Any
) -> Bookmark:
    return bookmark_create(user=user, pseud=user.default_pseud, work=work, series=series, **kwargs)


def test_create_a_bookmark_with_the_work_inside(archive: Archive) -> None:
    other = api_as(archive.other)
    response = other.post(
        "/api/v1/bookmarks",
        {
            "work_id": archive.public.pk,
            "notes": "Read *this*",
            "tags": ["Comfort Read", "Lighthouses"],
            "rec": True,
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["bookmarker"] == {"pseud": "visitor", "username": "visitor", "byline": "visitor"}
    assert body["work"]["id"] == archive.public.pk
    assert body["work"]["title"] == "Lantern Public"
    assert body["work"]["stats"]["bookmarks"] == 1
    assert body["series"] is None
    assert body["tags"] == ["Comfort Read", "Lighthouses"]
    assert body["rec"] is True and body["private"] is False
    assert "Read" in body["notes"]
    again = other.post("/api/v1/bookmarks", {"work_id": archive.public.pk})
    assert again.status_code == 422
    assert again.json()["detail"] == "You have already bookmarked this."
    assert Bookmark.objects.count() == 1
    detail = api_as(None).get(f"/api/v1/bookmarks/{body['id']}")
    assert detail.status_code == 200
    assert detail.json()["work"]["id"] == archive.public.pk


def test_bookmark_a_series(archive: Archive) -> None:
    series = series_create(user=archive.creator, title="The Long Voyage")
    series_work_add(user=archive.creator, work=archive.public, series=series)
    response = api_as(archive.other).post("/api/v1/bookmarks", {"series_id": series.pk})
    assert response.status_code == 201, response.content
    assert response.json()["series"] == {"id": series.pk, "title": "The Long Voyage"}
    assert response.json()["work"] is None


def test_bookmark_input_errors_change_nothing(archive: Archive) -> None:
    other = api_as(archive.other)
    neither = other.post("/api/v1/bookmarks", {})
    assert neither.status_code == 422
    assert neither.json()["errors"] == {"work_id": ["Give one of work_id and series_id."]}
    long_notes = other.post(
        "/api/v1/bookmarks", {"work_id": archive.public.pk, "notes": "x" * 5001}
    )
    assert long_notes.status_code == 422
    assert "at most 5,000 characters" in long_notes.json()["errors"]["notes"][0]
    bad_pseud = other.post("/api/v1/bookmarks", {"work_id": archive.public.pk, "pseud": "Nope"})
    assert bad_pseud.status_code == 422
    assert bad_pseud.json()["errors"] == {"pseud": ["You have no pseud of that name."]}
    missing = other.post("/api/v1/bookmarks", {"work_id": 999999})
    assert missing.status_code == 404
    not_json = other.client.post(
        "/api/v1/bookmarks", "{", content_type="application/json", headers=other.headers
    )
    assert not_json.status_code == 400
    assert not Bookmark.objects.exists()


def test_bookmark_visibility_when_creating(archive: Archive) -> None:
    other, creator = api_as(archive.other), api_as(archive.creator)
    assert api_as(None).post("/api/v1/bookmarks", {"work_id": archive.public.pk}).status_code == 401
    assert other.post("/api/v1/bookmarks", {"work_id": archive.restricted.pk}).status_code == 201
    for work in (archive.draft, archive.hidden):
        assert other.post("/api/v1/bookmarks", {"work_id": work.pk}).status_code in {403, 404}
    draft = creator.post("/api/v1/bookmarks", {"work_id": archive.draft.pk})
    assert draft.status_code == 422
    assert draft.json()["errors"]["work"] == ["Only posted works can be bookmarked."]
    assert Bookmark.objects.count() == 1


def test_user_bookmarks_public_or_all_of_ones_own(archive: Archive) -> None:
    public = mark(archive.other, archive.public)
    private = mark(archive.other, archive.explicit, private=True)
    restricted = mark(archive.other, archive.restricted)
    url = "/api/v1/users/visitor/bookmarks"
    guest = [b["id"] for b in api_as(None).get(url).json()["items"]]
    assert guest == [public.pk]  # not the private one, not the restricted work's
    creator = [b["id"] for b in api_as(archive.creator).get(url).json()["items"]]
    assert creator == [restricted.pk, public.pk]
    own = [b["id"] for b in api_as(archive.other).get(url).json()["items"]]
    assert own == [restricted.pk, private.pk, public.pk]
    assert api_as(None).get("/api/v1/users/nobody/bookmarks").status_code == 404
    # A private bookmark is not there for anyone else.
    assert api_as(archive.creator).get(f"/api/v1/bookmarks/{private.pk}").status_code == 404
    assert api_as(archive.other).get(f"/api/v1/bookmarks/{private.pk}").status_code == 200
    assert api_as(None).get(f"/api/v1/bookmarks/{restricted.pk}").status_code == 404


def test_bookmarks_of_hidden_works_are_not_listed(archive: Archive) -> None:
    visible = mark(archive.other, archive.public)
    doomed = make_work(archive.creator, title="Soon Hidden")
    mark(archive.other, doomed)
    Work.objects.filter(pk=doomed.pk).update(hidden_by_admin=True)
    items = api_as(archive.other).get("/api/v1/users/visitor/bookmarks").json()["items"]
    assert [b["id"] for b in items] == [visible.pk]
    # The creator may open the hidden work, but it shows no bookmarks.
    hidden = api_as(archive.creator).get(f"/api/v1/works/{doomed.pk}/bookmarks")
    assert hidden.status_code == 200
    assert hidden.json()["items"] == []


def test_work_bookmarks_are_public_ones_paged(archive: Archive) -> None:
    readers = [make_user(f"reader{n}") for n in range(3)]
    marks = [mark(reader, archive.public) for reader in readers]
    mark(archive.other, archive.public, private=True)
    url = f"/api/v1/works/{archive.public.pk}/bookmarks"
    first = api_as(None).get(url, {"limit": 2}).json()
    assert [b["id"] for b in first["items"]] == [marks[2].pk, marks[1].pk]
    second = api_as(None).get(url, {"limit": 2, "cursor": first["next"]}).json()
    assert [b["id"] for b in second["items"]] == [marks[0].pk]
    assert second["next"] is None
    # The work's stats count public bookmarks only.
    assert api_as(None).get(f"/api/v1/works/{archive.public.pk}").json()["stats"]["bookmarks"] == 3
    assert api_as(None).get(f"/api/v1/works/{archive.restricted.pk}/bookmarks").status_code == 401
    assert api_as(archive.other).get(f"/api/v1/works/{archive.draft.pk}/bookmarks").status_code in {
        403,
        404,
    }


def test_update_and_delete_ones_own_bookmark(archive: Archive) -> None:
    bookmark = mark(archive.other, archive.public, notes="First", tags=["Old Tag"])
    other = api_as(archive.other)
    changed = other.patch(f"/api/v1/bookmarks/{bookmark.pk}", {"private": True, "tags": ["New"]})
    assert changed.status_code == 200, changed.content
    assert changed.json()["private"] is True
    assert changed.json()["tags"] == ["New"]
    assert "First" in changed.json()["notes"]  # untouched fields stay
    null = other.patch(f"/api/v1/bookmarks/{bookmark.pk}", {"notes": None})
    assert null.status_code == 422
    assert null.json()["errors"] == {"notes": ["This field cannot be null."]}
    # Someone else's bookmark: 403 when public, 404 when private (it is not there for them).
    other_bookmark = mark(archive.creator, archive.restricted)
    refused = other.patch(f"/api/v1/bookmarks/{other_bookmark.pk}", {"rec": True})
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:forbidden"
    assert other.delete(f"/api/v1/bookmarks/{other_bookmark.pk}").status_code == 403
    assert api_as(archive.creator).delete(f"/api/v1/bookmarks/{bookmark.pk}").status_code == 404
    assert other.delete(f"/api/v1/bookmarks/{bookmark.pk}").status_code == 204
    assert list(Bookmark.objects.values_list("pk", flat=True)) == [other_bookmark.pk]


def test_read_only_token_and_csrf(archive: Archive) -> None:
    bookmark = mark(archive.other, archive.public)
    reader = api_as(archive.other, TokenScope.READ)
    assert reader.get("/api/v1/users/visitor/bookmarks").status_code == 200
    assert reader.post("/api/v1/bookmarks", {"work_id": archive.explicit.pk}).status_code == 403
    assert reader.patch(f"/api/v1/bookmarks/{bookmark.pk}", {"rec": True}).status_code == 403
    assert reader.delete(f"/api/v1/bookmarks/{bookmark.pk}").status_code == 403
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(archive.other)
    refused = browser.delete(f"/api/v1/bookmarks/{bookmark.pk}")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:csrf-failed"
    browser.get(reverse("works:new"))
    token = browser.cookies["csrftoken"].value
    deleted = browser.delete(f"/api/v1/bookmarks/{bookmark.pk}", headers={"X-CSRFToken": token})
    assert deleted.status_code == 204
    assert not Bookmark.objects.exists()


def test_another_readers_bookmarks_leave_out_what_the_caller_muted() -> None:
    """As on the bookmark page: mutes apply to other readers' lists, never to one's own."""
    writer, friend, reader = make_user("quaywriter"), make_user("quayfriend"), make_user("quay")
    gale = make_work(writer, title="Gale", freeforms=["Storms"])
    calm = make_work(make_user("calmwriter"), title="Calm")
    for owner in (friend, reader):
        mark(owner, gale)
        mark(owner, calm)
    mute_tag_add(user=reader, owner=reader, tag_id=Tag.objects.get(name="Storms").pk)
    api = api_as(reader, TokenScope.READ)

    def titles(username: str) -> list[str]:
        response = api.get(f"/api/v1/users/{username}/bookmarks")
        assert response.status_code == 200
        return sorted(item["work"]["title"] for item in response.json()["items"])

    assert titles("quayfriend") == ["Calm"]
    assert titles("quay") == ["Calm", "Gale"]
    mute_creator_add(user=reader, owner=reader, username="calmwriter")
    assert titles("quayfriend") == []
    assert sorted(
        item["work"]["title"]
        for item in api_as(None).get("/api/v1/users/quayfriend/bookmarks").json()["items"]
    ) == ["Calm", "Gale"]
