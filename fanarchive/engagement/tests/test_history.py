"""Reading history and "marked for later"."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.accounts.models import Preference
from fanarchive.core.testing import make_work
from fanarchive.engagement.history_services import (
    history_clear,
    history_mark_for_later,
    history_record,
)
from fanarchive.engagement.models import ReadingHistory
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def history_off(user):
    preferences_update(
        user=user,
        owner=user,
        view_adult=False,
        hide_warnings=False,
        hide_freeform=False,
        keep_history=False,
    )


def test_reading_records_visits_and_the_chapter(client: Client, user, other_user):
    work = make_work(user, chapters=2)
    first, second = work.chapters.order_by("position")
    client.force_login(other_user)
    client.get(work.get_absolute_url())
    entry = ReadingHistory.objects.get()
    assert (entry.user, entry.work, entry.visits, entry.chapter_id) == (
        other_user,
        work,
        1,
        first.pk,
    )
    client.get(second.get_absolute_url())
    entry.refresh_from_db()
    assert (entry.visits, entry.chapter_id) == (2, second.pk)
    client.get(work.get_absolute_url() + "?view_full_work=true")
    entry.refresh_from_db()
    assert (entry.visits, entry.chapter_id) == (3, None)


def test_guests_and_drafts_leave_no_history(client: Client, user):
    client.get(make_work(user).get_absolute_url())
    client.force_login(user)
    client.get(make_work(user, post=False).get_absolute_url())
    assert not ReadingHistory.objects.exists()


def test_a_repeat_visit_is_one_update(user, other_user):
    work = make_work(user)
    history_record(user=other_user, work=work, chapter_id=None, keep_history=True)
    with CaptureQueriesContext(connection) as queries:
        history_record(user=other_user, work=work, chapter_id=None, keep_history=True)
    assert len(queries) == 1 and queries[0]["sql"].startswith("UPDATE")
    assert ReadingHistory.objects.get().visits == 2


def test_history_off_records_nothing_and_turning_it_off_clears_it(client: Client, user, other_user):
    work = make_work(user, title="Read Before")
    later = make_work(user, title="Saved For Later")
    client.force_login(other_user)
    client.get(work.get_absolute_url())
    history_mark_for_later(user=other_user, work=later, marked=True)
    history_off(other_user)
    assert list(ReadingHistory.objects.values_list("work__title", "visits")) == [
        ("Saved For Later", 0)
    ]
    client.get(work.get_absolute_url())
    client.get(make_work(user).get_absolute_url())
    assert ReadingHistory.objects.count() == 1
    assert Preference.objects.get(user=other_user).keep_history is False
    page = client.get(f"/users/{other_user.username}/history/").content.decode()
    assert "Your history is off" in page


def test_history_off_via_the_preferences_page(client: Client, user, other_user):
    client.force_login(other_user)
    client.get(make_work(user).get_absolute_url())
    client.post(f"/users/{other_user.username}/preferences/", {})  # every box unticked
    assert not ReadingHistory.objects.exists()


def test_mark_for_later_from_the_work_page(client: Client, user, other_user):
    work = make_work(user, title="Someday")
    client.force_login(other_user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Mark for later" in page
    response = client.post(
        f"/works/{work.pk}/mark-for-later/", {"marked": "true", "next": work.get_absolute_url()}
    )
    assert response.status_code == 302
    assert ReadingHistory.objects.get().marked_for_later
    assert "Mark as read" in client.get(work.get_absolute_url()).content.decode()
    later = client.get(f"/users/{other_user.username}/history/?show=later").content.decode()
    assert "Someday" in later and "(marked for later)" in later
    client.post(f"/works/{work.pk}/mark-for-later/", {"marked": "false"})
    assert not ReadingHistory.objects.get().marked_for_later
    later = client.get(f"/users/{other_user.username}/history/?show=later").content.decode()
    assert "Nothing is marked for later." in later


def test_marking_needs_a_work_one_may_open(client: Client, user, other_user):
    draft = make_work(user, post=False)
    client.force_login(other_user)
    assert client.post(f"/works/{draft.pk}/mark-for-later/").status_code == 404
    assert client.get(f"/works/{draft.pk}/mark-for-later/").status_code == 405
    client.logout()
    response = client.post(f"/works/{make_work(user).pk}/mark-for-later/")
    assert response.status_code == 302 and "login" in response["Location"]
    assert not ReadingHistory.objects.exists()


def test_the_history_page_is_the_owners_and_hides_works_gone_from_view(
    client: Client, user, other_user
):
    read = make_work(user, title="Still Here")
    gone = make_work(user, title="Hidden Now")
    client.force_login(other_user)
    client.get(read.get_absolute_url())
    client.get(gone.get_absolute_url())
    Work.objects.filter(pk=gone.pk).update(hidden_by_admin=True)
    page = client.get(f"/users/{other_user.username}/history/").content.decode()
    assert "Still Here" in page and "Hidden Now" not in page
    assert "visited 1 time" in page
    client.force_login(user)
    assert client.get(f"/users/{other_user.username}/history/").status_code == 403


def test_clearing_and_removing(client: Client, user, other_user):
    read = make_work(user, title="Read")
    marked = make_work(user, title="Marked")
    client.force_login(other_user)
    client.get(read.get_absolute_url())
    client.get(marked.get_absolute_url())
    history_mark_for_later(user=other_user, work=marked, marked=True)
    client.post("/history/clear/")
    entry = ReadingHistory.objects.get()
    assert (entry.work, entry.visits, entry.last_read_at) == (marked, 0, None)
    assert entry.marked_for_later
    client.post(f"/history/{marked.pk}/remove/")
    assert not ReadingHistory.objects.exists()
    assert history_clear(user=other_user) == 0


def test_marked_for_later_can_be_turned_off_which_clears_the_marks(
    client: Client, user, other_user
):
    read_and_marked = make_work(user, title="Read And Marked")
    only_marked = make_work(user, title="Only Marked")
    client.force_login(other_user)
    client.get(read_and_marked.get_absolute_url())
    history_mark_for_later(user=other_user, work=read_and_marked, marked=True)
    history_mark_for_later(user=other_user, work=only_marked, marked=True)

    # From the preferences page: keep history, turn "Marked for later" off.
    response = client.post(f"/users/{other_user.username}/preferences/", {"keep_history": "on"})
    assert response.status_code == 302
    preference = Preference.objects.get(user=other_user)
    assert preference.keep_history and not preference.use_marked_for_later
    # The read work stays in the history, unmarked; the one kept only for its mark goes.
    assert list(ReadingHistory.objects.values_list("work__title", "marked_for_later")) == [
        ("Read And Marked", False)
    ]
    # No button, and marking is refused with a message that says how to turn it back on.
    page = client.get(only_marked.get_absolute_url()).content.decode()
    assert "Mark for later" not in page
    response = client.post(
        f"/works/{only_marked.pk}/mark-for-later/", {"marked": "true"}, follow=True
    )
    assert "turn it on in your preferences" in response.content.decode()
    assert not ReadingHistory.objects.filter(marked_for_later=True).exists()
    with pytest.raises(ValidationError):
        history_mark_for_later(user=other_user, work=only_marked, marked=True)

    client.post(
        f"/users/{other_user.username}/preferences/",
        {"keep_history": "on", "use_marked_for_later": "on"},
    )
    assert "Mark for later" in client.get(only_marked.get_absolute_url()).content.decode()


def test_the_service_records_no_drafts_and_no_hidden_works(user, other_user):
    draft = make_work(user, post=False)
    hidden = make_work(user)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    hidden.refresh_from_db()
    for work in (draft, hidden):
        history_record(user=other_user, work=work, chapter_id=None)
    assert not ReadingHistory.objects.exists()
