"""The reading list: statuses set from blurbs and work pages, the list page's filters,
sorts, "continue", privacy and visibility, and the estimated reading time."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import Preference, User
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.history_services import history_record
from fanarchive.engagement.models import ReadingListEntry
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.engagement.reading_list_services import (
    reading_list_publicity_set,
    reading_list_record,
    reading_list_remove,
    reading_list_set,
)
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def status_url(work: Work) -> str:
    return reverse("social:reading_status", args=[work.pk])


def list_url(user: User, query: str = "") -> str:
    return reverse("social:reading_list", args=[user.username]) + query


def statuses(user: User) -> dict[int, str]:
    return dict(ReadingListEntry.objects.filter(user=user).values_list("work_id", "status"))


def listed_titles(page: str) -> list[str]:
    """The titles of the works the list page shows, in order."""
    return re.findall(
        r'<li class="blurb work" id="reading_\d+".*?<a href="/works/\d+/">([^<]+)</a>', page, re.S
    )


# -- services ---------------------------------------------------------------------------------


def test_set_change_and_remove_a_status(user, other_user):
    work = make_work(user)
    entry = reading_list_set(user=other_user, work=work, status="want")
    assert (entry.status, entry.chapter_id) == ("want", None)
    added = entry.added_at
    entry = reading_list_set(user=other_user, work=work, status="finished")
    assert entry.status == "finished" and entry.added_at == added
    assert ReadingListEntry.objects.count() == 1
    assert reading_list_remove(user=other_user, work_id=work.pk) is True
    assert reading_list_remove(user=other_user, work_id=work.pk) is False
    assert not ReadingListEntry.objects.exists()


def test_bad_status_and_unposted_or_hidden_works_change_nothing(user, other_user):
    work = make_work(user)
    reading_list_set(user=other_user, work=work, status="on_hold")
    for bad in ("", "abandoned", "READING", "x" * 10_000, "<script>"):
        with pytest.raises(ValidationError):
            reading_list_set(user=other_user, work=work, status=bad)
    assert statuses(other_user) == {work.pk: "on_hold"}
    draft = make_work(user, post=False)
    hidden = make_work(user)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    hidden.refresh_from_db()
    for work in (draft, hidden):
        with pytest.raises(ValidationError):
            reading_list_set(user=user, work=work, status="want")
    assert not ReadingListEntry.objects.filter(user=user).exists()


def test_reading_remembers_the_chapter_in_one_update_and_starts_from_the_history(user, other_user):
    work = make_work(user, chapters=3)
    first, second, third = work.chapters.order_by("position")
    history_record(user=other_user, work=work, chapter_id=second.pk, keep_history=True)
    entry = reading_list_set(user=other_user, work=work, status="reading")
    assert entry.chapter_id == second.pk  # "continue" works at once
    with CaptureQueriesContext(connection) as queries:
        reading_list_record(user=other_user, work=work, chapter_id=third.pk)
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    entry.refresh_from_db()
    assert entry.chapter_id == third.pk
    reading_list_record(user=other_user, work=work, chapter_id=None)  # the entire work
    entry.refresh_from_db()
    assert entry.chapter_id == third.pk
    reading_list_set(user=other_user, work=work, status="finished")
    reading_list_record(user=other_user, work=work, chapter_id=first.pk)
    entry.refresh_from_db()
    assert entry.chapter_id == third.pk  # only a work being read moves


def test_reading_speed_out_of_bounds_changes_nothing(user):
    preferences_update(
        user=user,
        owner=user,
        view_adult=True,
        hide_warnings=False,
        hide_freeform=False,
        reading_speed=300,
    )
    for bad in (0, 49, 1501, 10**9):
        with pytest.raises(ValidationError) as refusal:
            preferences_update(
                user=user,
                owner=user,
                view_adult=False,
                hide_warnings=False,
                hide_freeform=False,
                reading_speed=bad,
            )
        assert "reading_speed" in refusal.value.message_dict
    preference = Preference.objects.get(user=user)
    assert (preference.reading_speed, preference.view_adult) == (300, True)


# -- setting a status from blurbs and the work page -------------------------------------------


def test_a_status_is_set_changed_and_cleared_from_a_blurb(client: Client, user, other_user):
    work = make_work(user, title="Tidewater")
    client.force_login(other_user)
    listing = client.get(reverse("works:list")).content.decode()
    form = re.search(rf'<form method="post" action="{status_url(work)}".*?</form>', listing, re.S)
    assert form, "the blurb offers the reading-list form"
    assert f'<label for="reading-status-{work.pk}">' in form.group(0)
    assert '<option value="" selected>Not on my reading list</option>' in form.group(0)
    response = client.post(status_url(work), {"status": "want", "next": "/works/"})
    assert response.status_code == 302 and response["Location"] == "/works/"
    assert statuses(other_user) == {work.pk: "want"}
    listing = client.get(reverse("works:list")).content.decode()
    assert '<option value="want" selected>Want to read</option>' in listing
    client.post(status_url(work), {"status": "dropped"})
    assert statuses(other_user) == {work.pk: "dropped"}
    client.post(status_url(work), {"status": ""})
    assert statuses(other_user) == {}


def test_a_status_is_set_from_the_work_page(client: Client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'action="{status_url(work)}"' in page
    response = client.post(status_url(work), {"status": "reading"}, follow=True)
    assert "On your reading list as" in response.content.decode()
    page = client.get(work.get_absolute_url()).content.decode()
    assert '<option value="reading" selected>Reading</option>' in page


def test_bad_input_from_the_form_changes_nothing(client: Client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    client.post(status_url(work), {"status": "finished"})
    response = client.post(status_url(work), {"status": "devoured"}, follow=True)
    assert "Choose a reading status" in response.content.decode()
    assert (
        client.post(reverse("social:reading_status", args=[987654]), {"status": "want"}).status_code
        == 404
    )
    assert client.get(status_url(work)).status_code == 405
    draft = make_work(user, post=False)
    assert client.post(status_url(draft), {"status": "want"}).status_code == 404
    assert statuses(other_user) == {work.pk: "finished"}
    # Guests are sent to log in, and nothing is stored.
    guest = Client()
    response = guest.post(status_url(work), {"status": "want"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert ReadingListEntry.objects.count() == 1


def test_guests_get_no_form(client: Client, user):
    work = make_work(user)
    assert status_url(work) not in client.get(reverse("works:list")).content.decode()
    assert status_url(work) not in client.get(work.get_absolute_url()).content.decode()


# -- the list page ----------------------------------------------------------------------------


def test_the_list_filters_by_status_and_fandom_and_sorts(client: Client, user, other_user):
    old = make_work(user, title="Old Harbour", fandoms=["Harbour Tales"])
    new = make_work(user, title="New Moon", fandoms=["Moon Letters"])
    third = make_work(user, title="Third Tide", fandoms=["Harbour Tales"])
    reading_list_set(user=other_user, work=new, status="want")
    reading_list_set(user=other_user, work=old, status="reading")
    reading_list_set(user=other_user, work=third, status="want")
    # Updated: old is revised last, so it leads by date updated, last by date added.
    Work.objects.filter(pk=old.pk).update(revised_at=timezone.now() + timedelta(days=1))
    client.force_login(other_user)
    page = client.get(list_url(other_user)).content.decode()
    assert listed_titles(page) == ["Old Harbour", "Third Tide", "New Moon"]
    assert "Want to read (2)" in page and "Reading (1)" in page and "All (3)" in page
    assert page.count("<h1") == 1
    page = client.get(list_url(other_user, "?sort=added")).content.decode()
    assert listed_titles(page) == ["Third Tide", "Old Harbour", "New Moon"]
    page = client.get(list_url(other_user, "?status=want&sort=added")).content.decode()
    assert listed_titles(page) == ["Third Tide", "New Moon"]
    harbour = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    page = client.get(list_url(other_user, f"?fandom={harbour.pk}&sort=added")).content.decode()
    assert listed_titles(page) == ["Third Tide", "Old Harbour"]
    assert '<label for="reading-list-fandom">Fandom</label>' in page
    # Nonsense filters are ignored, never an error.
    for query in (
        "?status=nope",
        "?sort=drop+table",
        "?fandom=abc",
        "?fandom=%C2%B2",
        f"?fandom={'9' * 40}",
    ):
        assert client.get(list_url(other_user, query)).status_code == 200


def test_continue_leads_to_the_chapter_last_read_and_the_next(client: Client, user, other_user):
    work = make_work(user, chapters=3, title="Three Lamps")
    first, second, third = work.chapters.order_by("position")
    client.force_login(other_user)
    client.post(status_url(work), {"status": "reading"})
    client.get(second.get_absolute_url())  # the reading pages feed the list
    page = client.get(list_url(other_user)).content.decode()
    assert (
        f'<a class="continue" href="{second.get_absolute_url()}">Continue at Chapter 2</a>' in page
    )
    assert f'<a class="continue-next" href="{third.get_absolute_url()}">Next: Chapter 3</a>' in page
    client.get(third.get_absolute_url())
    page = client.get(list_url(other_user)).content.decode()
    assert "Continue at Chapter 3" in page and "continue-next" not in page
    # Also with the history off: the status was an explicit choice.
    preferences_update(
        user=other_user,
        owner=other_user,
        view_adult=False,
        hide_warnings=False,
        hide_freeform=False,
        keep_history=False,
    )
    client.get(first.get_absolute_url())
    assert "Continue at Chapter 1" in client.get(list_url(other_user)).content.decode()


def test_the_list_is_private_until_made_public(client: Client, user, other_user):
    work = make_work(user, title="Open Sea")
    restricted = make_work(user, title="Members Cove", restricted=True)
    reading_list_set(user=other_user, work=work, status="finished")
    reading_list_set(user=other_user, work=restricted, status="finished")
    guest = Client()
    assert guest.get(list_url(other_user)).status_code == 403
    client.force_login(user)
    assert client.get(list_url(other_user)).status_code == 403
    # Only the owner can change it.
    assert (
        client.post(
            reverse("social:reading_list_privacy", args=[other_user.username]), {"public": "true"}
        ).status_code
        == 403
    )
    assert not Preference.objects.filter(user=other_user, reading_list_public=True).exists()
    owner = Client()
    owner.force_login(other_user)
    owner.post(
        reverse("social:reading_list_privacy", args=[other_user.username]), {"public": "true"}
    )
    page = client.get(list_url(other_user)).content.decode()
    assert set(listed_titles(page)) == {"Open Sea", "Members Cove"}
    assert "Continue" not in page and status_url(work) in page  # the viewer's own form
    assert listed_titles(guest.get(list_url(other_user)).content.decode()) == ["Open Sea"]
    reading_list_publicity_set(user=other_user, owner=other_user, public=False)
    assert guest.get(list_url(other_user)).status_code == 403


def test_works_the_viewer_may_not_see_vanish_from_the_list(client: Client, user, other_user):
    shown = make_work(user, title="Still Here")
    hidden = make_work(user, title="Hidden Now")
    drafted = make_work(user, title="Drafted Again")
    adult = make_work(user, title="Night Tide", rating=EXPLICIT, chapters=2)
    for work in (shown, hidden, drafted, adult):
        reading_list_set(user=other_user, work=work, status="reading")
    reading_list_publicity_set(user=other_user, owner=other_user, public=True)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    Work.objects.filter(pk=drafted.pk).update(posted=False)
    for work in (hidden, drafted):
        catalogue_work_changed(work_id=work.pk)
    for viewer in (other_user, make_user("passerby"), None):
        browser = Client()
        if viewer is not None:
            browser.force_login(viewer)
        page = browser.get(list_url(other_user)).content.decode()
        assert set(listed_titles(page)) == {"Still Here", "Night Tide"}, viewer
        assert "Hidden Now" not in page and "Drafted Again" not in page
        assert "All (2)" in page
    # An adult work's blurb is public, its text is not: "continue" meets the age gate.
    first = adult.chapters.get(position=1)
    client.force_login(other_user)
    client.get(first.get_absolute_url())  # the age gate: not read, so not recorded
    assert ReadingListEntry.objects.get(work=adult).chapter_id is None
    reading_list_record(user=other_user, work=adult, chapter_id=first.pk)  # read, once agreed
    page = client.get(list_url(other_user)).content.decode()
    assert f'href="{first.get_absolute_url()}">Continue at Chapter 1' in page
    assert "Chapter 1 ends here" not in page
    chapter = client.get(first.get_absolute_url()).content.decode()
    assert "Chapter 1 ends here" not in chapter
    assert "This work could have adult content." in chapter
    # Shown again, they come back.
    Work.objects.filter(pk__in=[hidden.pk, drafted.pk]).update(hidden_by_admin=False, posted=True)
    assert len(listed_titles(client.get(list_url(other_user)).content.decode())) == 4


# -- reading time -----------------------------------------------------------------------------


def test_reading_time_follows_the_readers_speed(client: Client, user, other_user):
    work = make_work(user, title="Long Voyage")
    Work.objects.filter(pk=work.pk).update(word_count=37_000)
    catalogue_work_changed(work_id=work.pk)
    guest_page = client.get(work.get_absolute_url()).content.decode()
    assert '<dd class="reading-time">about 3 h 5 min</dd>' in guest_page
    assert "about 3 h 5 min" in client.get(reverse("works:list")).content.decode()
    client.force_login(other_user)
    preferences = reverse("accounts:preferences", args=[other_user.username])
    client.post(preferences, {"reading_speed": "400", "keep_history": "on"})
    assert Preference.objects.get(user=other_user).reading_speed == 400
    assert (
        '<dd class="reading-time">about 1 h 33 min</dd>'
        in client.get(work.get_absolute_url()).content.decode()
    )
    assert "about 1 h 33 min" in client.get(reverse("works:list")).content.decode()
    for bad in ("20", "5000", "fast", "1e3"):
        page = client.post(preferences, {"reading_speed": bad}).content.decode()
        assert "errorlist" in page or "between 50 and 1500" in page, bad
    assert Preference.objects.get(user=other_user).reading_speed == 400
