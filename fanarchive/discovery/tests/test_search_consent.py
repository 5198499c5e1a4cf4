"""Search passages of adult works wait for the reader's consent; blurbs do not."""

import pytest
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.tags.fixed import EXPLICIT, GENERAL

pytestmark = pytest.mark.django_db

TEXT = "The keeper lit the gullwing lamp, and the harbourmaster whispered a quiet oath."


def search(client, words):
    return client.get(reverse("works:list"), {"q": words}).content.decode()


def test_a_guest_sees_no_passage_of_an_adult_works_text(client, user):
    work = make_work(user, rating=EXPLICIT, texts=[TEXT])
    page = search(client, "gullwing")
    assert work.title in page  # the blurb is public
    assert "quiet oath" not in page and "<mark>gullwing</mark>" not in page
    assert "matched words in this work's text" in page
    client.get(f"{work.get_absolute_url()}?view_adult=true")  # "Yes, continue"
    page = search(client, "gullwing")
    assert "<mark>gullwing</mark>" in page and "matched words in this work" not in page


def test_general_works_and_readers_who_agreed_get_passages(client, user):
    general = make_work(user, rating=GENERAL, texts=[TEXT], title="Harbour Lamp General")
    assert "<mark>gullwing</mark>" in search(client, "gullwing")
    adult = make_work(user, rating=EXPLICIT, texts=[TEXT], title="Harbour Lamp Explicit")
    reader = make_user("lamp_reader")
    preferences_update(
        user=reader, owner=reader, view_adult=True, hide_warnings=False, hide_freeform=False
    )
    client.force_login(reader)
    page = search(client, "gullwing")
    assert (
        page.count("<mark>gullwing</mark>") == 2 and general.title in page and adult.title in page
    )


def test_a_match_in_an_adult_works_summary_shows_as_the_blurb_does(client, user):
    make_work(user, rating=EXPLICIT, texts=[TEXT], summary="A saltmarsh ballad of two keepers.")
    page = search(client, "saltmarsh")
    assert "<mark>saltmarsh</mark>" in page and "matched words in this work" not in page
    assert "quiet oath" not in page


def test_the_creator_sees_passages_of_their_own_adult_work(client, user):
    make_work(user, rating=EXPLICIT, texts=[TEXT])
    client.force_login(user)
    assert "<mark>gullwing</mark>" in search(client, "gullwing")
