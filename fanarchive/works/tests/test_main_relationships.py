"""Main relationships: which of a work's relationships the writer marks as the main ones."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.tags.fixed import MATURE, NO_WARNINGS
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work, WorkTag
from fanarchive.works.moderation_services import work_set_rating
from fanarchive.works.services import work_update
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db

SHIPS = ["Mira/Tomas", "Ada & Bel", "Cole/Dana"]


def mains(work: Work) -> list[str]:
    return list(
        WorkTag.objects.filter(work=work, main=True)
        .order_by("position")
        .values_list("tag__name", flat=True)
    )


# -- services -------------------------------------------------------------------------


def test_the_first_relationship_is_main_when_the_writer_says_nothing(user):
    assert mains(make_work(user, relationships=SHIPS)) == ["Mira/Tomas"]
    assert mains(make_work(user, relationships=SHIPS, main_relationships=[])) == ["Mira/Tomas"]
    assert mains(make_work(user, relationships=[])) == []


def test_the_writer_marks_main_relationships_whatever_their_case_and_order(user):
    work = make_work(user, relationships=SHIPS, main_relationships=["cole/dana", "Ada & Bel"])
    assert mains(work) == ["Ada & Bel", "Cole/Dana"]
    # Shown first among the relationships, in the order given otherwise.
    shown = [t.name for t in Work.objects.get(pk=work.pk).tags_of("relationship")]
    assert shown == ["Ada & Bel", "Cole/Dana", "Mira/Tomas"]
    assert work_input_of(work).main_relationships == ["Ada & Bel", "Cole/Dana"]


def test_only_the_works_relationships_can_be_main(user):
    work = make_work(user, relationships=SHIPS, characters=["Mira Vale"])
    for wrong in (["Mira Vale"], ["Someone/Else"], ["Harbour Tales"]):
        with pytest.raises(ValidationError) as raised:
            work_update(
                user=user,
                work=work,
                data=work_input(
                    relationships=SHIPS, main_relationships=["Ada & Bel", *wrong], title="Changed"
                ),
            )
        message = raised.value.message_dict["main_relationships"][0]
        assert f'"{wrong[0]}"' in message and "not among them" in message
    work.refresh_from_db()
    assert work.title != "Changed"
    assert mains(work) == ["Mira/Tomas"]  # nothing changed
    # Fandoms, characters and additional tags are never main, whatever the table says.
    assert not WorkTag.objects.filter(work=work, main=True).exclude(tag__type="relationship")


def test_an_edit_moves_the_main_relationship(user):
    work = make_work(user, relationships=SHIPS)
    work_update(
        user=user, work=work, data=work_input(relationships=SHIPS, main_relationships=["Cole/Dana"])
    )
    assert mains(work) == ["Cole/Dana"]


def test_a_moderators_rerating_keeps_the_main_relationships(user):
    moderator = make_user("mod_main", is_staff=True)
    work = make_work(user, relationships=SHIPS, main_relationships=["Ada & Bel"])
    work_set_rating(user=moderator, work=work, rating=MATURE, warnings=[NO_WARNINGS], reason="")
    assert mains(work) == ["Ada & Bel"]


def test_restoring_a_revision_keeps_the_main_ones_it_still_has(user):
    from fanarchive.works.models import WorkRevision
    from fanarchive.works.restore_services import work_revision_restore

    work = make_work(user, relationships=["Mira/Tomas"])
    first = WorkRevision.objects.filter(work=work).earliest("id")
    work_update(
        user=user, work=work, data=work_input(relationships=SHIPS, main_relationships=["Ada & Bel"])
    )
    work_revision_restore(user=user, revision=first)  # "Ada & Bel" is not in that revision
    assert mains(work) == ["Mira/Tomas"]


# -- the form and the pages -----------------------------------------------------------------


def test_the_posting_form_takes_main_relationships(user_client, user):
    data = post_data(relationships=", ".join(SHIPS), main_relationships="Cole/Dana")
    assert user_client.post(reverse("works:new"), data).status_code == 302
    work = Work.objects.get(title="The Eighth Boat")
    assert mains(work) == ["Cole/Dana"]
    form_page = user_client.get(reverse("works:edit", args=[work.pk])).content.decode()
    assert 'name="main_relationships"' in form_page
    assert 'value="Cole/Dana"' in form_page
    assert '<label for="id_main_relationships">' in form_page


def test_the_form_refuses_a_main_relationship_that_is_not_one_of_the_works(user_client, user):
    data = post_data(relationships="Mira/Tomas", main_relationships="Tomas/Nobody")
    response = user_client.post(reverse("works:new"), data)
    assert response.status_code == 200
    assert "&quot;Tomas/Nobody&quot; is not among them" in response.content.decode()
    assert not Work.objects.exists()


def test_the_work_page_and_blurb_show_main_relationships_first_and_marked(client, user):
    work = make_work(
        user, title="Ships Ahoy", relationships=SHIPS, main_relationships=["Cole/Dana"]
    )
    page = client.get(reverse("works:detail", args=[work.pk])).content.decode()
    meta = page[page.index('<dd class="relationship tags">') :]
    assert meta.index("Cole/Dana") < meta.index("Mira/Tomas") < meta.index("Ada &amp; Bel")
    assert 'Cole/Dana</a></strong><span class="visually-hidden"> (main relationship)' in meta
    listing = client.get(reverse("works:list")).content.decode()
    blurb = listing[listing.index("Ships Ahoy") :]
    assert blurb.index("Cole/Dana") < blurb.index("Mira/Tomas")
    assert blurb.count("(main relationship)") == 1


# -- the data migration -------------------------------------------------------------------


def test_the_migration_marks_each_works_first_relationship(user):
    migration = importlib.import_module("fanarchive.works.migrations.0010_main_relationship")
    several = make_work(user, relationships=SHIPS, main_relationships=["Cole/Dana"])
    none = make_work(user, relationships=[])
    # As before the migration: nothing marked, and positions that tie (the lower id first).
    WorkTag.objects.update(main=False)
    WorkTag.objects.filter(work=several, tag__type="relationship").update(position=5)
    migration.mark_first_relationships(None, SimpleNamespace(connection=connection))
    assert mains(several) == ["Mira/Tomas"]
    assert mains(none) == []
    assert WorkTag.objects.filter(main=True).count() == 1
