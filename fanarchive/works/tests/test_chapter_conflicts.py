"""Two people (or one in two windows) editing one chapter: the later save is not lost and
does not silently replace the earlier one; it is shown beside it, as a wiki does."""

from __future__ import annotations

import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.works.autosave_services import autosave_store
from fanarchive.works.chapter_versions import ChapterEditConflict, chapter_version
from fanarchive.works.creator_services import creator_invite, invitation_accept
from fanarchive.works.inputs import chapter_input_of
from fanarchive.works.models import Chapter, ChapterRevision, CreatorInvitation
from fanarchive.works.services import chapter_update

pytestmark = pytest.mark.django_db

MIRA = "Mira counted eight boats coming home, and the lantern held."
INES = "Ines counted seven boats, and waited on the harbour wall for the eighth."


def edit_url(chapter: Chapter) -> str:
    return reverse("works:chapter_edit", args=[chapter.work_id, chapter.pk])


def base_of(page: str) -> str:
    """The version the edit form says it started from (its hidden field)."""
    found = re.search(r'<input type="hidden" name="base_version" value="([^"]*)"', page)
    assert found, "the chapter form carries the version it started from"
    return found[1]


def open_form(client: Client, chapter: Chapter) -> dict[str, str]:
    page = client.get(edit_url(chapter)).content.decode()
    return {"title": chapter.title, "text_format": "plain", "base_version": base_of(page)}


def textarea(page: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>\n?(.*?)</textarea>', page, re.S)
    assert found, f"no {name} box"
    return html.unescape(found[1])


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def co_created(user: User, other_user: User) -> Chapter:
    """A work of `user` that `other_user` co-creates."""
    work = make_work(user)
    invitation = creator_invite(user=user, work=work, pseud_name=other_user.username)
    assert isinstance(invitation, CreatorInvitation)
    invitation_accept(user=other_user, invitation=invitation)
    return work.chapters.get()


def test_the_second_co_creator_to_save_sees_both_versions_and_loses_nothing(
    user, other_user, co_created
):
    chapter = co_created
    mira, ines = client_of(user), client_of(other_user)
    mira_form, ines_form = open_form(mira, chapter), open_form(ines, chapter)

    assert mira.post(edit_url(chapter), {**mira_form, "text": MIRA}).status_code == 302
    response = ines.post(edit_url(chapter), {**ines_form, "text": INES})

    # Refused, nothing written: Mira's text stands and Ines's is not recorded yet.
    assert response.status_code == 200
    chapter.refresh_from_db()
    assert chapter.source == MIRA
    assert not ChapterRevision.objects.filter(chapter=chapter, source=INES).exists()
    page = response.content.decode()
    assert "saved this chapter while you were editing" in page
    # Ines's words are still in the editor; Mira's are shown beside them, read-only.
    assert textarea(page, "text") == INES
    theirs = re.search(r"<textarea[^>]*readonly[^>]*>\n?(.*?)</textarea>", page, re.S)
    assert theirs and html.unescape(theirs[1]) == MIRA
    assert re.search(r'<textarea[^>]*name="text"[^>]*readonly', page) is None
    assert f"{user.username} saved it" in page  # who saved it
    # The form now builds on Mira's version: saving again, after merging, goes through.
    new_base = base_of(page)
    assert new_base == chapter_version(chapter) != ines_form["base_version"]
    merged = f"{MIRA}\n\n{INES}"
    response = ines.post(edit_url(chapter), {**ines_form, "base_version": new_base, "text": merged})
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.source == merged
    # Both saves are in the history.
    assert {MIRA, merged} <= set(chapter.revisions.values_list("source", flat=True))


def test_one_creator_in_two_windows_is_told_too(user):
    chapter = make_work(user).chapters.get()
    first, second = client_of(user), client_of(user)
    first_form, second_form = open_form(first, chapter), open_form(second, chapter)
    assert first.post(edit_url(chapter), {**first_form, "text": MIRA}).status_code == 302
    response = second.post(edit_url(chapter), {**second_form, "text": INES})
    assert response.status_code == 200
    assert "saved this chapter while you were editing" in response.content.decode()
    chapter.refresh_from_db()
    assert chapter.source == MIRA


def test_saving_what_is_already_there_is_no_conflict(user, other_user, co_created):
    chapter = co_created
    mira, ines = client_of(user), client_of(other_user)
    mira_form, ines_form = open_form(mira, chapter), open_form(ines, chapter)
    assert mira.post(edit_url(chapter), {**mira_form, "text": MIRA}).status_code == 302
    # Ines made the very same change: nothing of anyone's would be lost.
    assert ines.post(edit_url(chapter), {**ines_form, "text": MIRA}).status_code == 302


def test_a_base_that_is_not_a_version_is_a_conflict_not_an_error(user_client, user):
    chapter = make_work(user).chapters.get()
    for base in ("x" * 100_000, "<script>", "0"):
        response = user_client.post(
            edit_url(chapter), {"text_format": "plain", "text": INES, "base_version": base}
        )
        assert response.status_code == 200
        assert "saved this chapter while you were editing" in response.content.decode()
        chapter.refresh_from_db()
        assert chapter.source != INES


def test_an_autosave_restored_later_keeps_the_version_it_started_from(user, other_user, co_created):
    """Text typed on an old version and brought back by autosave must not overwrite a
    co-creator's save made in between."""
    chapter = co_created
    ines = client_of(other_user)
    ines_form = open_form(ines, chapter)
    # What autosave.js sends: the whole form, hidden fields included.
    response = ines.post(
        reverse("works:autosave"),
        {"autosave_key": f"chapter:{chapter.pk}", **ines_form, "text": INES},
    )
    assert response.status_code == 200
    mira = client_of(user)
    mira_form = open_form(mira, chapter)
    assert mira.post(edit_url(chapter), {**mira_form, "text": MIRA}).status_code == 302

    page = ines.get(edit_url(chapter)).content.decode()
    assert "Restored unsaved text" in page and textarea(page, "text") == INES
    assert base_of(page) == ines_form["base_version"]
    response = ines.post(edit_url(chapter), {**ines_form, "text": INES})
    assert response.status_code == 200
    chapter.refresh_from_db()
    assert chapter.source == MIRA


def test_autosave_keeps_only_a_version_shaped_base(user):
    chapter = make_work(user).chapters.get()
    saved = autosave_store(
        user=user,
        key=f"chapter:{chapter.pk}",
        data={"text": [INES], "base_version": [chapter_version(chapter)]},
    )
    assert saved.data["base_version"] == [chapter_version(chapter)]


# -- the service ----------------------------------------------------------------------


def test_the_service_refuses_a_save_on_an_old_version(user):
    chapter = make_work(user).chapters.get()
    base = chapter_version(chapter)
    data = chapter_input_of(chapter)
    data.text = MIRA
    chapter_update(user=user, chapter=chapter, data=data, base_version=base)
    revisions = chapter.revisions.count()

    stale = Chapter.objects.get(pk=chapter.pk)
    other = chapter_input_of(stale)
    other.text = INES
    with pytest.raises(ChapterEditConflict) as raised:
        chapter_update(user=user, chapter=stale, data=other, base_version=base)
    assert isinstance(raised.value, ValidationError)
    assert list(raised.value.message_dict) == ["text"]
    assert raised.value.current.source == MIRA
    assert raised.value.current_version == chapter_version(Chapter.objects.get(pk=chapter.pk))
    chapter.refresh_from_db()
    assert chapter.source == MIRA and chapter.revisions.count() == revisions

    # With the current version as its base, the same save goes through.
    chapter_update(user=user, chapter=stale, data=other, base_version=raised.value.current_version)
    chapter.refresh_from_db()
    assert chapter.source == INES


def test_the_service_checks_the_row_it_writes_not_the_copy_it_was_given(user):
    """The caller's chapter may be older than the database: the check reads the row."""
    chapter = make_work(user).chapters.get()
    base = chapter_version(chapter)
    stale = Chapter.objects.get(pk=chapter.pk)
    data = chapter_input_of(chapter)
    data.text = MIRA
    chapter_update(user=user, chapter=chapter, data=data)
    other = chapter_input_of(stale)
    other.text = INES
    # `stale` still says what `base` was made from: only the stored row tells.
    assert chapter_version(stale) == base
    with pytest.raises(ChapterEditConflict):
        chapter_update(user=user, chapter=stale, data=other, base_version=base)


def test_without_a_base_the_service_saves_as_before(user):
    chapter = make_work(user).chapters.get()
    data = chapter_input_of(chapter)
    data.text = MIRA
    chapter_update(user=user, chapter=Chapter.objects.get(pk=chapter.pk), data=data)
    data.text = INES
    chapter_update(user=user, chapter=Chapter.objects.get(pk=chapter.pk), data=data)
    chapter.refresh_from_db()
    assert chapter.source == INES


def test_a_version_names_what_an_editor_sees_and_nothing_else(user):
    chapter = make_work(user, chapters=2).chapters.get(position=1)
    before = chapter_version(chapter)
    assert re.fullmatch(r"[0-9a-f]{16}", before)
    # Moving, posting or counting words is not an edit of the text.
    chapter.position, chapter.word_count, chapter.posted = 9, 1, not chapter.posted
    assert chapter_version(chapter) == before
    for field, value in (("title", "Storm"), ("notes", "n"), ("text_format", "html")):
        changed = Chapter.objects.get(pk=chapter.pk)
        setattr(changed, field, value)
        assert chapter_version(changed) != before, field


def test_a_chapter_deleted_meanwhile_is_said_and_nothing_comes_back(user_client, user):
    work = make_work(user, chapters=2)
    chapter = work.chapters.get(position=2)
    form = open_form(user_client, chapter)
    url = edit_url(chapter)
    Chapter.objects.filter(pk=chapter.pk).delete()  # a co-creator's delete, mid-edit
    data = chapter_input_of(chapter)
    data.text = INES
    with pytest.raises(ValidationError) as raised:
        chapter_update(user=user, chapter=chapter, data=data, base_version=form["base_version"])
    assert "deleted while you were editing" in raised.value.message_dict["text"][0]
    assert not Chapter.objects.filter(pk=chapter.pk).exists()
    assert user_client.post(url, {**form, "text": INES}).status_code == 404
