"""How an API client states consent to adult content, and what it gets without it."""

from django.test import Client

from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_work
from fanarchive.tags.fixed import MATURE


def test_an_adult_works_notes_need_consent(archive: Archive) -> None:
    work = make_work(archive.creator, rating=MATURE, notes="Harbour note", endnotes="Tide note")
    guest = api_as(None)
    withheld = guest.get(f"/api/v1/works/{work.pk}").json()
    assert withheld["text_requires_consent"] is True
    assert (withheld["notes"], withheld["endnotes"]) == (None, None)
    assert withheld["title"] == work.title  # metadata stays public
    given = guest.get(f"/api/v1/works/{work.pk}", {"adult": "true"}).json()
    assert "Harbour note" in given["notes"] and "Tide note" in given["endnotes"]
    assert given["text_requires_consent"] is False
    own = api_as(archive.creator).get(f"/api/v1/works/{work.pk}").json()
    assert "Harbour note" in own["notes"]


def test_listings_take_adult_true(archive: Archive) -> None:
    guest = api_as(None)
    flags = {
        w["id"]: w["text_requires_consent"] for w in guest.get("/api/v1/works").json()["items"]
    }
    assert flags[archive.explicit.pk] is True and flags[archive.public.pk] is False
    agreed = guest.get("/api/v1/works", {"adult": "true"}).json()["items"]
    assert all(not w["text_requires_consent"] for w in agreed)


def test_a_guest_session_that_said_yes_continue_reads_through_the_api(archive: Archive) -> None:
    browser = Client()
    chapters = f"/api/v1/works/{archive.explicit.pk}/chapters"
    assert browser.get(chapters).status_code == 403
    browser.get(f"{archive.explicit.get_absolute_url()}?view_adult=true")
    assert browser.get(chapters).status_code == 200
    # A token has no session: it states consent with ?adult=true each time.
    assert api_as(archive.other).get(chapters).status_code == 403


def test_a_tag_only_a_draft_carries_is_not_in_the_api(archive: Archive) -> None:
    make_work(archive.creator, post=False, freeforms=["Unposted Secret Tag"])
    guest = api_as(None)
    found = guest.get("/api/v1/tags/autocomplete", {"type": "freeform", "q": "Unposted"}).json()
    tag_id = next(t["id"] for t in found["results"] if t["name"] == "Unposted Secret Tag")
    assert guest.get(f"/api/v1/tags/{tag_id}").status_code == 404
    assert guest.get(f"/api/v1/tags/{tag_id}/works").status_code == 404
    assert api_as(archive.creator).get(f"/api/v1/tags/{tag_id}").status_code == 200
