"""Posting and editing through the API: the works services, the same rules, the same work."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.block_services import block_create
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.works.models import Chapter, Work, WorkRevision

pytestmark = pytest.mark.django_db

TEXT = "The lantern swung.\n\n“Seven,” she said.\n\n***\n\nMorning came."


def api_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "The Eighth Boat",
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "categories": ["Gen"],
        "fandoms": ["Harbour Tales", "Skyward"],
        "relationships": ["Mira/Tomas"],
        "characters": ["Mira Vale", "Tomas"],
        "freeforms": ["Found Family"],
        "summary": "Mira waits.",
        "notes": "Thanks to my beta.",
        "endnotes": "More soon.",
        "language": "en",
        "expected_chapters": 2,
        "chapters": [{"title": "Harbour", "text_format": "plain", "text": TEXT}],
    }
    body.update(overrides)
    return body


def form_data() -> dict[str, Any]:
    return {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "categories": ["Gen"],
        "fandoms": "Harbour Tales, Skyward",
        "relationships": "Mira/Tomas",
        "characters": "Mira Vale, Tomas",
        "freeforms": "Found Family",
        "title": "The Eighth Boat",
        "summary": "Mira waits.",
        "notes": "Thanks to my beta.",
        "endnotes": "More soon.",
        "language": "en",
        "expected_chapters": "2",
        "chapter_title": "Harbour",
        "text_format": "plain",
        "text": TEXT,
        "post": "1",
    }


def stored(work: Work) -> dict[str, Any]:
    """Everything a work stores that a writer gave, minus ids and times."""
    chapters = [
        {
            key: getattr(c, key)
            for key in (
                "position",
                "title",
                "summary",
                "notes",
                "endnotes",
                "text_format",
                "source",
                "content",
                "word_count",
                "posted",
            )
        }
        for c in work.chapters.order_by("position")
    ]
    return {
        **{
            key: getattr(work, key)
            for key in (
                "title",
                "summary",
                "notes",
                "endnotes",
                "language",
                "expected_chapters",
                "posted_chapters",
                "word_count",
                "complete",
                "posted",
                "restricted",
            )
        },
        "tags": [
            (wt.tag.type, wt.tag.name, wt.position) for wt in work.work_tags.order_by("position")
        ],
        "pseuds": [c.pseud.name for c in work.creatorships.all()],
        "chapters": chapters,
        "revisions": WorkRevision.objects.filter(work=work).count(),
        "revision": WorkRevision.objects.filter(work=work).get().data,
    }


def test_posting_through_the_api_and_the_form_store_the_same_work() -> None:
    api_writer = make_user("api_writer")
    form_writer = make_user("form_writer")
    response = api_as(api_writer).post("/api/v1/works", api_body())
    assert response.status_code == 201, response.content
    via_api = Work.objects.get(pk=response.json()["id"])
    browser = Client()
    browser.force_login(form_writer)
    assert browser.post(reverse("works:new"), form_data()).status_code == 302
    via_form = Work.objects.exclude(pk=via_api.pk).get()
    a, b = stored(via_api), stored(via_form)
    assert a["pseuds"] == ["api_writer"] and b["pseuds"] == ["form_writer"]
    a.pop("pseuds"), b.pop("pseuds")
    assert a == b


def test_post_returns_the_work_and_its_location(archive: Archive) -> None:
    body = api_as(archive.creator).post("/api/v1/works", api_body()).json()
    assert body["title"] == "The Eighth Boat"
    assert body["posted"] is True
    assert body["chapters"][0]["heading"] == "Chapter 1: Harbour"
    assert body["api_url"].endswith(f"/api/v1/works/{body['id']}")


def test_invalid_work_gets_field_errors_and_stores_nothing(archive: Archive) -> None:
    before = Work.objects.count()
    response = api_as(archive.creator).post(
        "/api/v1/works",
        api_body(title="", rating="Very Spicy", fandoms=[], chapters=[{"text": "short"}]),
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    errors = response.json()["errors"]
    assert errors["title"] == ["Please enter a title."]
    assert errors["rating"] == ['"Very Spicy" is not a rating.']
    assert errors["fandoms"] == ["Please add at least one fandom."]
    assert "text" in errors
    assert Work.objects.count() == before


def test_wrong_json_types_are_problems_too(archive: Archive) -> None:
    response = api_as(archive.creator).post("/api/v1/works", api_body(warnings="none"))
    assert response.status_code == 422
    assert "warnings" in response.json()["errors"]
    nul = api_as(archive.creator).post("/api/v1/works", api_body(title="Bad\u0000title"))
    assert nul.status_code == 422


def test_posting_needs_a_write_token(archive: Archive) -> None:
    before = Work.objects.count()
    guest = api_as(None).post("/api/v1/works", api_body())
    assert guest.status_code == 401
    assert guest["WWW-Authenticate"].startswith("Bearer")
    read = api_as(archive.creator, TokenScope.READ).post("/api/v1/works", api_body())
    assert read.status_code == 403
    assert read.json()["type"] == "urn:fanarchive:problem:insufficient-scope"
    assert Work.objects.count() == before


def test_posting_under_someone_elses_pseud_is_refused(archive: Archive) -> None:
    pseud = archive.other.default_pseud
    response = api_as(archive.creator).post("/api/v1/works", api_body(pseud_ids=[pseud.pk]))
    assert response.status_code == 422
    assert response.json()["errors"]["pseuds"] == ["You can only post under your own pseuds."]


def test_draft_then_post(archive: Archive) -> None:
    api = api_as(archive.creator)
    draft = api.post("/api/v1/works", api_body(post=False)).json()
    assert draft["posted"] is False
    assert api_as(None).get(f"/api/v1/works/{draft['id']}").status_code == 404
    posted = api.post(f"/api/v1/works/{draft['id']}/post")
    assert posted.status_code == 200
    assert posted.json()["posted"] is True
    again = api.post(f"/api/v1/works/{draft['id']}/post")
    assert again.status_code == 422
    assert again.json()["detail"] == "This work is already posted."


def test_patch_changes_only_what_is_sent(archive: Archive) -> None:
    api = api_as(archive.creator)
    path = f"/api/v1/works/{archive.public.pk}"
    response = api.patch(path, {"title": "Lantern Renamed", "freeforms": ["Hope"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Lantern Renamed"
    assert body["freeforms"] == ["Hope"]
    assert body["fandoms"] == ["Harbour Tales"]
    assert body["summary"] == "<p>A keeper counts the boats.</p>"
    bad = api.patch(path, {"rating": None})
    assert bad.status_code == 422
    assert api.patch(path, {"expected_chapters": 0}).json()["errors"]["expected_chapters"]
    archive.public.refresh_from_db()
    assert archive.public.title == "Lantern Renamed"


def test_only_creators_change_or_delete_a_work(archive: Archive) -> None:
    other = api_as(archive.other)
    path = f"/api/v1/works/{archive.public.pk}"
    assert other.patch(path, {"title": "Mine now"}).status_code == 403
    assert other.delete(path).status_code == 403
    assert other.post(f"{path}/chapters", {"text": "A new chapter of words."}).status_code == 403
    assert other.patch(f"/api/v1/works/{archive.draft.pk}", {"title": "x"}).status_code == 404
    archive.public.refresh_from_db()
    assert archive.public.title == "Lantern Public"
    assert api_as(archive.creator).delete(path).status_code == 204
    assert not Work.objects.filter(pk=archive.public.pk).exists()


def test_chapters_add_edit_delete(archive: Archive) -> None:
    api = api_as(archive.creator)
    base = f"/api/v1/works/{archive.public.pk}/chapters"
    refused = api.post(base, {"text": "The second chapter begins."})
    assert refused.status_code == 422  # expects 1 chapter: the service says so
    assert "expected_chapters" in refused.json()["errors"]
    added = api.post(base, {"text": "The second chapter begins.", "expected_chapters": None})
    assert added.status_code == 201, added.content
    chapter = added.json()
    assert chapter["position"] == 2
    assert chapter["posted"] is True
    edited = api.patch(f"{base}/{chapter['id']}", {"title": "Dawn"})
    assert edited.json()["heading"] == "Chapter 2: Dawn"
    assert Chapter.objects.get(pk=chapter["id"]).source == "The second chapter begins."
    short = api.patch(f"{base}/{chapter['id']}", {"text": "tiny"})
    assert short.status_code == 422
    assert api.delete(f"{base}/{chapter['id']}").status_code == 204
    only = archive.public.chapters.get()
    last = api.delete(f"{base}/{only.pk}")
    assert last.status_code == 422
    assert "only chapter" in last.json()["detail"]


def test_session_writes_need_csrf(archive: Archive) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(archive.creator)
    refused = browser.post("/api/v1/works", api_body(), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:csrf-failed"
    browser.get(reverse("works:new"))
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(
        "/api/v1/works", api_body(), content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert allowed.status_code == 201, allowed.content
    # Reads need no token.
    assert browser.get(f"/api/v1/works/{archive.public.pk}").status_code == 200


def test_session_caller_is_the_logged_in_user(archive: Archive, client: Client) -> None:
    client.force_login(archive.creator)
    me = client.get("/api/v1/me").json()
    assert me == {
        "username": "keeper",
        "authenticated_by": "session",
        "scope": "write",
        "view_adult": False,
    }


def test_blocks_apply_to_gifts_posted_through_the_api(archive: Archive) -> None:
    block_create(user=archive.other, blocked=archive.creator)
    before = Work.objects.count()
    response = api_as(archive.creator).post("/api/v1/works", api_body(gifts=["visitor"]))
    assert response.status_code == 422
    assert response.json()["errors"]["gifts"] == ["You cannot give a gift to visitor."]
    assert Work.objects.count() == before
    allowed = api_as(archive.other).post("/api/v1/works", api_body(gifts=["keeper"]))
    assert allowed.status_code == 201
    assert allowed.json()["gifts"] == ["keeper"]


def test_absurd_expected_chapters_is_a_field_error(archive: Archive) -> None:
    response = api_as(archive.creator).post("/api/v1/works", api_body(expected_chapters=10**12))
    assert response.status_code == 422
    assert response.json()["errors"]["expected_chapters"] == [
        "A work can expect at most 100,000 chapters."
    ]
