"""A work's editable fields are defined once (`works.inputs`): every way in takes them."""

import dataclasses

import pytest
from django.urls import reverse

from fanarchive.api.work_writes import WorkFields, WorkPatchIn
from fanarchive.core.testing import make_work
from fanarchive.works.autosave_services import FIELDS as AUTOSAVED
from fanarchive.works.autosave_services import autosave_store
from fanarchive.works.forms import WorkForm
from fanarchive.works.inputs import (
    CONTENT_FIELDS,
    PEOPLE_FIELDS,
    SETTING_FIELDS,
    TAG_FIELDS,
    TAG_MARK_FIELDS,
    WORK_FIELDS,
    WorkInput,
    work_input_of,
)
from fanarchive.works.models import CommentPolicy, Work
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db


def test_the_field_groups_cover_every_field_of_a_work_once():
    groups = [
        *TAG_FIELDS.values(),
        *TAG_MARK_FIELDS,
        *CONTENT_FIELDS,
        *SETTING_FIELDS,
        *PEOPLE_FIELDS,
    ]
    assert sorted(groups) == sorted(WORK_FIELDS)


def test_the_form_the_api_and_autosave_take_every_field(user):
    as_form = {"pseuds" if name == "pseud_ids" else name for name in WORK_FIELDS}
    assert as_form <= set(WorkForm(user=user, include_chapter=False).fields)
    assert as_form <= AUTOSAVED
    assert set(WORK_FIELDS) == set(WorkFields.model_fields) == set(WorkPatchIn.model_fields)


def test_the_stored_work_reads_back_as_the_input_that_stored_it(user):
    data = WorkInput(
        title="Salt on the Sill",
        rating="Teen And Up Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Harbour Tales"],
        categories=["F/F"],
        relationships=["Mira Vale/Ines Rook"],
        main_relationships=["Mira Vale/Ines Rook"],
        characters=["Mira Vale"],
        freeforms=["Storms"],
        summary="<p>Two keepers.</p>",
        notes="<p>For the tide.</p>",
        endnotes="<p>Thanks.</p>",
        language="de",
        restricted=True,
        comment_policy=CommentPolicy.NOBODY,
        moderated_comments=True,
        expected_chapters=3,
    )
    work = make_work(user, **{f.name: getattr(data, f.name) for f in dataclasses.fields(data)})
    assert work_input_of(Work.objects.get(pk=work.pk)) == data


def test_api_patch_of_a_title_keeps_the_comment_settings(user):
    from fanarchive.api.tests.conftest import api_as

    work = make_work(user, comment_policy=CommentPolicy.EVERYONE, moderated_comments=True)
    answer = api_as(user).patch(f"/api/v1/works/{work.pk}", {"title": "A New Name"})
    assert answer.status_code == 200, answer.content
    work.refresh_from_db()
    assert work.title == "A New Name"
    assert (work.comment_policy, work.moderated_comments) == (CommentPolicy.EVERYONE, True)


def test_api_patch_sets_the_comment_settings(user):
    from fanarchive.api.tests.conftest import api_as

    work = make_work(user)
    body = {"comment_policy": "nobody", "moderated_comments": True}
    assert api_as(user).patch(f"/api/v1/works/{work.pk}", body).status_code == 200
    work.refresh_from_db()
    assert (work.comment_policy, work.moderated_comments) == ("nobody", True)


def test_autosave_keeps_the_comment_settings(user_client, user):
    work = make_work(user)
    saved = autosave_store(
        user=user,
        key=f"work:{work.pk}",
        data={"comment_policy": ["everyone"], "moderated_comments": ["on"], "title": ["T"]},
    )
    assert saved.data["comment_policy"] == ["everyone"]
    assert saved.data["moderated_comments"] == ["on"]
    # Reopening the form puts them back.
    form = user_client.get(reverse("works:edit", args=[work.pk])).context["form"]
    assert form.initial["comment_policy"] == "everyone"
    assert form.initial["moderated_comments"] is True


def test_restoring_a_revision_keeps_todays_comment_settings(user):
    from fanarchive.works.models import WorkRevision
    from fanarchive.works.restore_services import work_revision_restore

    work = make_work(user, title="First Title")
    changed = dataclasses.replace(
        work_input_of(work), title="Second Title", comment_policy=CommentPolicy.NOBODY
    )
    work_update(user=user, work=work, data=changed)
    first = WorkRevision.objects.filter(work=work).order_by("created_at", "id").first()
    assert first is not None
    work_revision_restore(user=user, revision=first)
    work.refresh_from_db()
    assert work.title == "First Title" and work.comment_policy == CommentPolicy.NOBODY
