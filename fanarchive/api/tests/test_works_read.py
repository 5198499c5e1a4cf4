"""GET /api/v1/works...: the same visibility, filters and adult-content rule as the site."""

from __future__ import annotations

import pytest

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_work, work_input
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.services import ChapterInput, work_create

pytestmark = pytest.mark.django_db

LIST = "/api/v1/works"


def titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["title"] for item in response.json()["items"]}


def test_guest_list_shows_public_posted_works_only(archive: Archive) -> None:
    found = titles(api_as(None).get(LIST))
    assert found == {"Lantern Public", "Lantern Explicit"}


def test_logged_in_list_adds_restricted_never_drafts_or_hidden(archive: Archive) -> None:
    for user in (archive.other, archive.creator):
        found = titles(api_as(user, TokenScope.READ).get(LIST))
        assert found == {"Lantern Public", "Lantern Explicit", "Lantern Restricted"}


def test_list_answers_the_site_filter_form(archive: Archive) -> None:
    make_work(archive.other, title="Sea Shanty", fandoms=["Other Shores"])
    api = api_as(None)
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Other Shores")
    assert titles(api.get(LIST, {"include": fandom.pk})) == {"Sea Shanty"}
    assert titles(api.get(LIST, {"fandom_names": "Other Shores"})) == {"Sea Shanty"}
    assert "Sea Shanty" not in titles(api.get(LIST, {"exclude": fandom.pk}))
    body = api.get(LIST, {"sort": "title", "order": "asc"}).json()
    assert [w["title"] for w in body["items"]] == [
        "Lantern Explicit",
        "Lantern Public",
        "Sea Shanty",
    ]
    assert body["total"] == 3
    fandoms = {f["tag"]["name"]: f["count"] for f in body["facets"]["fandom"]}
    assert fandoms == {"Harbour Tales": 2, "Other Shores": 1}
    assert titles(api.get(LIST, {"q": "shanty"})) == {"Sea Shanty"}


def test_list_filter_errors_are_problems_with_fields(archive: Archive) -> None:
    response = api_as(None).get(
        LIST, {"fandom_names": "No Such Fandom", "words_from": 5, "words_to": 1}
    )
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 422
    assert body["type"] == "urn:fanarchive:problem:validation-error"
    assert 'There is no fandom called "No Such Fandom".' in body["errors"]["fandom_names"]
    assert "words_to" in body["errors"]
    bad = api_as(None).get(LIST, {"words_from": "many"})
    assert bad.status_code == 422
    assert "words_from" in bad.json()["errors"]


def test_list_pages_by_cursor(archive: Archive) -> None:
    api = api_as(None)
    seen: list[str] = []
    body = api.get(LIST, {"limit": 1, "sort": "title", "order": "asc"}).json()
    seen += [w["title"] for w in body["items"]]
    while body["next"]:
        body = api.get(LIST, {"cursor": body["next"], "sort": "title", "order": "asc"}).json()
        seen += [w["title"] for w in body["items"]]
    assert seen == ["Lantern Explicit", "Lantern Public"]
    broken = api.get(LIST, {"cursor": "not-a-cursor"})
    assert broken.status_code == 422
    assert "cursor" in broken.json()["errors"]


@pytest.mark.parametrize(
    ("who", "work", "status"),
    [
        ("guest", "public", 200),
        ("guest", "restricted", 401),
        ("guest", "draft", 404),
        ("guest", "hidden", 403),
        ("other", "restricted", 200),
        ("other", "draft", 404),
        ("other", "hidden", 403),
        ("creator", "draft", 200),
        ("creator", "restricted", 200),
        ("creator", "hidden", 200),
    ],
)
def test_work_detail_visibility(archive: Archive, who: str, work: str, status: int) -> None:
    user = {"guest": None, "other": archive.other, "creator": archive.creator}[who]
    target = getattr(archive, work)
    api = api_as(user, TokenScope.READ)
    for path in (f"/api/v1/works/{target.pk}", f"/api/v1/works/{target.pk}/chapters"):
        response = api.get(path)
        assert response.status_code == status, (path, response.content)
        if status != 200:
            assert response["Content-Type"] == "application/problem+json"
            assert response.json()["status"] == status


def test_work_detail_has_meta_chapters_and_download_links(archive: Archive) -> None:
    body = api_as(None).get(f"/api/v1/works/{archive.public.pk}").json()
    assert body["title"] == "Lantern Public"
    assert body["fandoms"] == ["Harbour Tales"]
    assert body["rating"] == ["General Audiences"]
    assert body["creators"][0]["username"] == "keeper"
    assert len(body["chapters"]) == 1
    assert {d["format"] for d in body["downloads"]} == {"epub", "pdf", "html", "txt"}
    epub = next(d["url"] for d in body["downloads"] if d["format"] == "epub")
    assert epub.endswith(f"/downloads/{archive.public.pk}/epub/")
    assert body["text_requires_consent"] is False


def test_drafts_and_hidden_works_have_no_downloads_even_for_creators(archive: Archive) -> None:
    api = api_as(archive.creator, TokenScope.READ)
    for work in (archive.draft, archive.hidden):
        body = api.get(f"/api/v1/works/{work.pk}").json()
        assert body["downloads"] == []
        assert body["downloads_unavailable"]


def test_chapters_give_sanitised_html(archive: Archive) -> None:
    work = work_create(
        user=archive.creator,
        data=work_input(),
        chapters=[
            ChapterInput(text='<p onclick="steal()">Safe words here</p><script>alert(1)</script>')
        ],
        post=True,
    )
    body = api_as(None).get(f"/api/v1/works/{work.pk}/chapters").json()
    assert "Safe words here" in body[0]["content"]
    assert "script" not in body[0]["content"]
    assert "onclick" not in body[0]["content"]
    one = api_as(None).get(f"/api/v1/works/{work.pk}/chapters/{body[0]['id']}")
    assert one.json()["content"] == body[0]["content"]
    other = make_work(archive.other)
    wrong = api_as(None).get(f"/api/v1/works/{work.pk}/chapters/{other.chapters.get().pk}")
    assert wrong.status_code == 404


def test_creators_see_their_draft_chapters(archive: Archive) -> None:
    chapters = api_as(archive.creator).get(f"/api/v1/works/{archive.draft.pk}/chapters")
    assert chapters.status_code == 200
    assert chapters.json()[0]["posted"] is False


def test_adult_work_gives_metadata_but_text_only_with_consent(archive: Archive) -> None:
    path = f"/api/v1/works/{archive.explicit.pk}"
    guest = api_as(None)
    meta = guest.get(path).json()
    assert meta["title"] == "Lantern Explicit"
    assert meta["adult"] is True
    assert meta["text_requires_consent"] is True
    refused = guest.get(f"{path}/chapters")
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:adult-consent-required"
    chapter_id = meta["chapters"][0]["id"]
    assert guest.get(f"{path}/chapters/{chapter_id}").status_code == 403
    assert guest.get(f"{path}/chapters", {"adult": "true"}).status_code == 200
    assert guest.get(f"{path}/chapters/{chapter_id}", {"adult": "1"}).status_code == 200
    # Download links lead to the site's interstitial unless the caller consented.
    assert all("view_adult" not in d["url"] for d in meta["downloads"])
    consented = guest.get(path, {"adult": "true"}).json()
    assert all(d["url"].endswith("?view_adult=true") for d in consented["downloads"])


def test_adult_preference_and_creators_skip_the_consent(archive: Archive) -> None:
    path = f"/api/v1/works/{archive.explicit.pk}/chapters"
    other = api_as(archive.other, TokenScope.READ)
    assert other.get(path).status_code == 403
    preferences_update(
        user=archive.other,
        owner=archive.other,
        view_adult=True,
        hide_warnings=False,
        hide_freeform=False,
        accept_cocreator_invitations=False,
        refuse_gifts=False,
    )
    assert other.get(path).status_code == 200
    assert api_as(archive.creator, TokenScope.READ).get(path).status_code == 200


def test_listing_marks_adult_works(archive: Archive) -> None:
    items = api_as(None).get(LIST).json()["items"]
    by_title = {w["title"]: w for w in items}
    assert by_title["Lantern Explicit"]["text_requires_consent"] is True
    assert by_title["Lantern Public"]["text_requires_consent"] is False
