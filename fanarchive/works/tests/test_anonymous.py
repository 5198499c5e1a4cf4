"""Anonymous works: the flag through the form, the API and the services, the one rule of
who a work is by (`byline_for`), and what the catalogue and search keep of it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fanarchive.api.tests.conftest import api_as
from fanarchive.api.tests.test_works_write import api_body
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index.source import load_columns
from fanarchive.discovery.selectors import muted_works_q, works_by_user_for
from fanarchive.discovery.services import mute_creator_add
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.creator_services import creator_add_migrated
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work
from fanarchive.works.selectors import (
    PUBLIC,
    BylineViewer,
    byline_for,
    named_works_q,
    public_byline,
)
from fanarchive.works.services import work_update
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db


def _staff():
    user = make_user("tidewarden")
    user.is_staff = True
    return user


def test_a_named_work_is_by_its_pseuds_for_everyone(user):
    work = make_work(user)
    for viewer in (None, AnonymousUser(), make_user(), user, _staff()):
        byline = byline_for(work, viewer)
        assert [p.user_id for p in byline.pseuds] == [user.pk]
        assert byline.text == "writer" and not byline.anonymous
    assert public_byline(work) == "writer"


def test_an_anonymous_work_names_nobody_but_to_its_creators_and_moderators(user):
    work = make_work(user, anonymous=True)
    for viewer in (None, PUBLIC, AnonymousUser(), make_user()):
        byline = byline_for(work, viewer)
        assert byline.pseuds == [] and byline.text == "Anonymous" and byline.anonymous
    mine = byline_for(work, user)
    assert mine.seen_as == "creator" and mine.text == "writer (anonymous)"
    moderated = byline_for(work, _staff())
    assert moderated.seen_as == "moderator" and moderated.text == "Anonymous (creator: writer)"
    assert public_byline(work) == "Anonymous"
    # A viewer made once for a page gives the same answers.
    assert byline_for(work, BylineViewer.of(user)).seen_as == "creator"


def test_co_creators_see_their_names_too(user, other_user):
    work = make_work(user, anonymous=True)
    stranger = make_user()
    creator_add_migrated(work=work, pseud=other_user.default_pseud)
    work = Work.objects.get(pk=work.pk)
    for creator in (user, other_user):
        byline = byline_for(work, creator)
        assert byline.seen_as == "creator"
        assert {p.user_id for p in byline.pseuds} == {user.pk, other_user.pk}
    assert byline_for(work, stranger).text == "Anonymous"


def test_posting_anonymously_through_the_form(user_client, user):
    response = user_client.post(reverse("works:new"), post_data(anonymous="on"))
    work = Work.objects.get()
    assert response.status_code == 302 and work.anonymous
    # Editing keeps the choice unless the box is cleared.
    edit = reverse("works:edit", args=[work.pk])
    user_client.post(edit, post_data(anonymous="on", text=None, chapter_title=None))
    assert Work.objects.get().anonymous
    user_client.post(edit, post_data(text=None, chapter_title=None))
    assert not Work.objects.get().anonymous


def test_posting_anonymously_through_the_api(user):
    api = api_as(user)
    created = api.post("/api/v1/works", api_body(anonymous=True)).json()
    assert created["anonymous"] is True
    # The creator's own token sees their names, with the note.
    assert created["byline"] == "writer (anonymous)"
    assert api_as(None).get(f"/api/v1/works/{created['id']}").json()["creators"] == []
    path = f"/api/v1/works/{created['id']}"
    assert api.patch(path, {"anonymous": False}).json()["anonymous"] is False
    assert not Work.objects.get(pk=created["id"]).anonymous


def test_the_search_document_and_the_index_keep_no_creator(user):
    work = make_work(user, anonymous=True)
    assert SearchDocument.objects.get(work_id=work.pk).creators == ""
    columns = load_columns(types={}, work_ids=[work.pk])
    assert columns.creators == [[]]
    assert columns.texts["creator"] == ["anonymous"]
    logged = CatalogueChange.objects.count()
    data = work_input_of(work)
    data.anonymous = False
    work_update(user=user, work=work, data=data)
    # The change reaches the change log, so every index follows; search at once.
    assert CatalogueChange.objects.count() > logged
    assert "writer" in SearchDocument.objects.get(work_id=work.pk).creators
    columns = load_columns(types={}, work_ids=[work.pk])
    assert columns.creators == [[user.pk]]


def test_muting_the_creator_does_not_hide_their_anonymous_works(user, other_user):
    named = make_work(user, title="Named Boat")
    hidden = make_work(user, title="Hidden Boat", anonymous=True)
    mute_creator_add(user=other_user, owner=other_user, username=user.username)
    muted = muted_works_q(other_user)
    assert muted is not None
    assert set(Work.objects.filter(muted).values_list("pk", flat=True)) == {named.pk}
    assert hidden.pk not in set(Work.objects.filter(muted).values_list("pk", flat=True))


def test_the_owners_listing_keeps_their_anonymous_works(user, other_user):
    named = make_work(user, title="Named Boat")
    hidden = make_work(user, title="Hidden Boat", anonymous=True)
    assert set(works_by_user_for(user, user).values_list("pk", flat=True)) == {named.pk, hidden.pk}
    assert set(works_by_user_for(other_user, user).values_list("pk", flat=True)) == {named.pk}
    assert set(works_by_user_for(AnonymousUser(), user).values_list("pk", flat=True)) == {named.pk}
    assert Work.objects.filter(named_works_q(other_user, user.pk)).count() == 1
    assert Work.objects.filter(named_works_q(user, user.pk)).count() == 2


def test_bad_input_for_the_flag_changes_nothing(user):
    api = api_as(user)
    response = api.post("/api/v1/works", {"anonymous": "perhaps"})
    assert response.status_code in {400, 422}
    assert not Work.objects.exists()
