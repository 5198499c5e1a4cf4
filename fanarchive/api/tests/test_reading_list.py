"""The reading list through the API: one's own entries to read, set and clear with a
token, and a public list, with the site's refusals as problem details."""

from __future__ import annotations

import pytest

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as, hide
from fanarchive.engagement.models import ReadingListEntry
from fanarchive.engagement.reading_list_services import reading_list_publicity_set

pytestmark = pytest.mark.django_db


def url(work_id: int | None = None) -> str:
    return "/api/v1/reading-list" + (f"/{work_id}" if work_id else "")


def test_put_get_and_delete_an_entry(archive: Archive) -> None:
    api = api_as(archive.other)
    response = api.put(url(archive.public.pk), {"status": "want"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["work_id"], body["status"], body["last_chapter_id"]) == (
        archive.public.pk,
        "want",
        None,
    )
    assert body["work"]["title"] == "Lantern Public"
    assert body["reading_time"].startswith("about ")
    assert api.put(url(archive.public.pk), {"status": "reading"}).json()["status"] == "reading"
    assert api.get(url(archive.public.pk)).json()["status"] == "reading"
    listed = api.get(url(), {"status": "reading"}).json()
    assert [item["work_id"] for item in listed["items"]] == [archive.public.pk]
    assert api.get(url(), {"status": "finished"}).json()["items"] == []
    assert api.delete(url(archive.public.pk)).status_code == 204
    assert api.get(url(archive.public.pk)).status_code == 404
    assert api.delete(url(archive.public.pk)).status_code == 404


def test_bad_input_changes_nothing(archive: Archive) -> None:
    api = api_as(archive.other)
    api.put(url(archive.public.pk), {"status": "finished"})
    refused = {
        "unknown status": api.put(url(archive.public.pk), {"status": "skimmed"}),
        "no status": api.put(url(archive.public.pk), {}),
        "no such work": api.put(url(987654), {"status": "want"}),
        "huge id": api.put(url(2**64), {"status": "want"}),
        "a draft": api.put(url(archive.draft.pk), {"status": "want"}),
        "hidden": api.put(url(archive.hidden.pk), {"status": "want"}),
        "bad filter": api.get(url(), {"status": "nope"}),
    }
    codes = {name: r.status_code for name, r in refused.items()}
    assert codes == {
        "unknown status": 422,
        "no status": 422,
        "no such work": 404,
        "huge id": 422,
        "a draft": 404,
        "hidden": 403,
        "bad filter": 422,
    }
    for response in refused.values():
        assert response["Content-Type"] == "application/problem+json"
    read_only = api_as(archive.other, TokenScope.READ)
    assert read_only.put(url(archive.public.pk), {"status": "want"}).status_code == 403
    assert read_only.delete(url(archive.public.pk)).status_code == 403
    assert api_as(None).get(url()).status_code == 401
    assert list(ReadingListEntry.objects.values_list("work_id", "status")) == [
        (archive.public.pk, "finished")
    ]


def test_a_public_list_shows_only_what_the_caller_may_see(archive: Archive) -> None:
    api = api_as(archive.other)
    for work in (archive.public, archive.restricted, archive.explicit):
        api.put(url(work.pk), {"status": "want"})
    owner_list = f"/api/v1/users/{archive.other.username}/reading-list"
    assert api_as(None).get(owner_list).status_code == 403
    reading_list_publicity_set(user=archive.other, owner=archive.other, public=True)
    guest = {item["work"]["title"] for item in api_as(None).get(owner_list).json()["items"]}
    assert guest == {"Lantern Public", "Lantern Explicit"}
    member = {
        item["work"]["title"] for item in api_as(archive.creator).get(owner_list).json()["items"]
    }
    assert member == {"Lantern Public", "Lantern Explicit", "Lantern Restricted"}
    hide(archive.public)
    assert archive.public.pk not in [i["work_id"] for i in api.get(url()).json()["items"]]
