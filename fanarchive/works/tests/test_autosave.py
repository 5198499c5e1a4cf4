"""Autosave of the posting and chapter forms; drafts that never expire."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from fanarchive.core.testing import make_work
from fanarchive.works.autosave_services import autosave_clear, autosave_store
from fanarchive.works.models import Autosave, Chapter, Work
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db

TYPED = "Mira climbed the lighthouse stairs, counting each one under her breath."


def test_store_keeps_form_fields_and_raises_the_version(user):
    saved = autosave_store(
        user=user, key="work:new", data={"title": ["Stairs"], "text": [TYPED], "evil": ["x"]}
    )
    assert saved.data == {"title": ["Stairs"], "text": [TYPED]} and saved.version == 1
    again = autosave_store(user=user, key="work:new", data={"text": [TYPED + " More."]})
    assert again.pk == saved.pk and again.version == 2
    autosave_clear(user=user, key="work:new")
    cleared = Autosave.objects.get()
    assert cleared.data == {} and cleared.version == 3


def test_store_refuses_others_works_unknown_keys_and_huge_text(user, other_user):
    theirs = make_work(other_user)
    with pytest.raises(PermissionDenied):
        autosave_store(user=user, key=f"chapter:new:{theirs.pk}", data={"text": [TYPED]})
    with pytest.raises(PermissionDenied):
        autosave_store(user=user, key=f"chapter:{theirs.chapters.get().pk}", data={})
    with pytest.raises(Http404):
        autosave_store(user=user, key="chapter:new:999999", data={})
    with pytest.raises(ValidationError):
        autosave_store(user=user, key="somewhere:else", data={})
    with pytest.raises(ValidationError):
        autosave_store(user=user, key="work:new", data={"text": ["x" * 700_000]})
    assert not Autosave.objects.exists()


def test_autosave_endpoint(client, user, other_user):
    url = reverse("works:autosave")
    # An expired login answers 403 JSON, not a redirect the script would follow.
    response = client.post(url, {"autosave_key": "work:new", "text": TYPED})
    assert response.status_code == 403 and "log in" in response.json()["error"]
    client.force_login(user)
    response = client.post(url, {"autosave_key": "work:new", "text": TYPED, "title": "Stairs"})
    assert response.status_code == 200 and response.json()["version"] == 1
    assert client.get(url).status_code == 405
    theirs = make_work(other_user)
    response = client.post(url, {"autosave_key": f"chapter:new:{theirs.pk}", "text": TYPED})
    assert response.status_code == 403
    response = client.post(url, {"autosave_key": "nonsense", "text": TYPED})
    assert response.status_code == 400


def test_autosave_endpoint_needs_the_csrf_token(user):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(reverse("works:autosave"), {"autosave_key": "work:new", "text": TYPED})
    assert response.status_code == 403
    assert not Autosave.objects.exists()


def test_posting_form_restores_the_autosave_with_a_notice(user_client, user):
    autosave_store(user=user, key="work:new", data={"title": ["Stairs"], "text": [TYPED]})
    page = user_client.get(reverse("works:new")).content.decode()
    assert "Restored unsaved text from" in page
    assert TYPED in page and 'value="Stairs"' in page
    assert 'data-autosave-version="1"' in page


def test_discard_empties_the_autosave(user_client, user):
    autosave_store(user=user, key="work:new", data={"text": [TYPED]})
    response = user_client.post(reverse("works:autosave_discard"), {"autosave_key": "work:new"})
    assert response.status_code == 302 and response.url == reverse("works:new")
    page = user_client.get(reverse("works:new")).content.decode()
    assert TYPED not in page and "Restored unsaved text" not in page


def test_posting_the_form_empties_its_autosave(user_client, user):
    autosave_store(user=user, key="work:new", data={"text": [TYPED]})
    user_client.post(reverse("works:new"), post_data(text=TYPED))
    assert Work.objects.count() == 1
    autosave = Autosave.objects.get()
    assert autosave.data == {} and autosave.version == 2


def test_chapter_form_restores_and_saves_as_draft_without_javascript(user_client, user):
    work = make_work(user)
    autosave_store(user=user, key=f"chapter:new:{work.pk}", data={"text": [TYPED]})
    page = user_client.get(reverse("works:chapter_new", args=[work.pk])).content.decode()
    assert TYPED in page and "Restored unsaved text from" in page
    assert 'name="save_draft"' in page
    assert '<script src="/static/js/autosave.js" defer></script>' in page
    response = user_client.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"text": TYPED, "text_format": "plain", "expected_chapters": "?", "save_draft": "1"},
    )
    assert response.status_code == 302
    chapter = Chapter.objects.get(work=work, position=2)
    assert not chapter.posted and chapter.source == TYPED
    assert Autosave.objects.get().data == {}


def test_chapter_edit_form_restores_unsaved_edits(user_client, user):
    work = make_work(user)
    chapter = work.chapters.get()
    autosave_store(user=user, key=f"chapter:{chapter.pk}", data={"text": [TYPED]})
    page = user_client.get(
        reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    ).content.decode()
    assert TYPED in page and "Restored unsaved text from" in page


def test_drafts_and_autosaves_never_expire(user_client, user):
    draft = make_work(user, post=False, title="Old Draft")
    Work.objects.filter(pk=draft.pk).update(
        created_at=timezone.now() - dt.timedelta(days=400),
        updated_at=timezone.now() - dt.timedelta(days=400),
    )
    autosave_store(user=user, key="work:new", data={"text": [TYPED]})
    Autosave.objects.update(saved_at=timezone.now() - dt.timedelta(days=400))
    from django.core.management import call_command

    call_command("prune-revisions")
    assert Work.objects.filter(pk=draft.pk).exists()
    page = user_client.get(reverse("accounts:drafts", args=[user.username])).content.decode()
    assert "Old Draft" in page and "never expire" in page
    assert TYPED in user_client.get(reverse("works:new")).content.decode()
