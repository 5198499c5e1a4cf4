"""PATCH of a chapter with the version it started from: 409 when someone saved since."""

from __future__ import annotations

import pytest

from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.works.chapter_versions import chapter_version
from fanarchive.works.creator_services import creator_invite
from fanarchive.works.models import Chapter

pytestmark = pytest.mark.django_db


def test_a_patch_on_an_old_version_is_a_409_and_changes_nothing() -> None:
    mira, ines = make_user("mira"), make_user("ines")
    ines.preference.accept_cocreator_invitations = True
    ines.preference.save()
    work = make_work(mira)
    creator_invite(user=mira, work=work, pseud_name="ines")
    chapter = work.chapters.get()
    url = f"/api/v1/works/{work.pk}/chapters/{chapter.pk}"
    mira_api, ines_api = api_as(mira), api_as(ines)

    # Both read the chapter and its version.
    read = ines_api.get(url).json()
    assert read["version"] == chapter_version(chapter) == mira_api.get(url).json()["version"]

    saved = mira_api.patch(url, {"text": "Eight boats came home.", "base_version": read["version"]})
    assert saved.status_code == 200, saved.content
    assert saved.json()["version"] == chapter_version(Chapter.objects.get(pk=chapter.pk))

    late = ines_api.patch(
        url, {"text": "Seven boats, then eight.", "base_version": read["version"]}
    )
    assert late.status_code == 409
    assert late["Content-Type"] == "application/problem+json"
    problem = late.json()
    assert problem["type"] == "urn:fanarchive:problem:edit-conflict"
    assert "saved this chapter while you were editing" in problem["errors"]["text"][0]
    assert Chapter.objects.get(pk=chapter.pk).source == "Eight boats came home."

    # Re-read, then send again on the new version: accepted.
    again = ines_api.patch(
        url, {"text": "Seven boats, then eight.", "base_version": saved.json()["version"]}
    )
    assert again.status_code == 200
    assert Chapter.objects.get(pk=chapter.pk).source == "Seven boats, then eight."

    # Without a base, a PATCH saves as it always did.
    assert mira_api.patch(url, {"title": "Harbour"}).status_code == 200
    # A base is a version or nothing: null is "no base", not an error.
    assert mira_api.patch(url, {"title": "Dawn", "base_version": None}).status_code == 200
