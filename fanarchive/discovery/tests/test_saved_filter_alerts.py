"""Alerts on saved filters: matched from the change log, once per work, as the reader sees."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fanarchive.accounts.block_services import block_create
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.discovery import alert_tasks
from fanarchive.discovery.alert_services import (
    saved_filter_alert_subscribe,
    saved_filter_alert_unsubscribe,
    saved_filter_alerts_run,
)
from fanarchive.discovery.models import (
    SavedFilter,
    SavedFilterAlert,
    SavedFilterAlertPosition,
    SavedFilterAlertSent,
)
from fanarchive.discovery.services import mute_tag_add, saved_filter_create
from fanarchive.engagement.models import Notice
from fanarchive.engagement.notice_tasks import digest_send
from fanarchive.engagement.tests.test_notices import set_email
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.services import work_post, work_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader():
    return make_user("alert_reader")


def owl_filter(reader) -> SavedFilter:
    """A saved filter of the works in the fandom Owl Song (the tag made on first use)."""
    make_work(make_user(), title="Owl Seed", fandoms=["Owl Song"])
    owl = Tag.objects.get(name="Owl Song")
    return saved_filter_create(
        user=reader, owner=reader, name="Owls", query_string=f"include={owl.pk}"
    )


@pytest.fixture
def subscribed(reader):
    saved = owl_filter(reader)
    saved_filter_alert_subscribe(user=reader, saved=saved)
    return saved


def alerted(reader) -> list[str]:
    return list(
        Notice.objects.filter(recipient=reader).order_by("id").values_list("subject", flat=True)
    )


def test_a_new_matching_work_is_alerted_once_and_the_position_is_kept(reader, subscribed, user):
    seed_count = alerted(reader)
    assert seed_count == []  # what the filter listed already did not enter it
    work = make_work(user, title="Night Flight", fandoms=["Owl Song"])
    make_work(user, title="Harbour Only", fandoms=["Harbour Tales"])
    run = saved_filter_alerts_run()
    assert run.sent == 1 and run.read == 2
    assert alerted(reader) == ["New in your filter Owls: Night Flight"]
    notice = Notice.objects.get(recipient=reader)
    assert notice.kind == "subscription" and notice.work_id == work.pk
    assert "writer" in notice.body  # the creator is named: the work is not anonymous
    newest = CatalogueChange.objects.order_by("-id").values_list("id", flat=True).first()
    assert SavedFilterAlertPosition.objects.get().applied == newest
    # Again, and after an edit of the work: nobody is told twice.
    assert saved_filter_alerts_run().sent == 0
    work_update(
        user=user,
        work=work,
        data=work_input(title="Night Flight", fandoms=["Owl Song"], summary="Edited."),
    )
    run = saved_filter_alerts_run()
    assert (run.read, run.sent) == (1, 0)
    assert len(alerted(reader)) == 1
    assert SavedFilterAlertSent.objects.filter(user=reader, work=work).count() == 1


def test_a_work_edited_or_unhidden_into_the_filter_enters_it(reader, subscribed, user):
    already = Work.objects.get(title="Owl Seed")
    moved = make_work(user, title="Was Harbour", fandoms=["Harbour Tales"])
    hidden = make_work(user, title="Hidden Owl", fandoms=["Owl Song"])
    admin = make_user("site_admin", is_superuser=True, is_staff=True)
    work_set_hidden(user=admin, work=hidden, hidden=True, reason="Checking.")
    saved_filter_alerts_run()
    assert alerted(reader) == []  # hidden before the run: not seen
    # An edit of a work the filter listed at subscription is no entry.
    work_update(
        user=already.creatorships.get().pseud.user,
        work=already,
        data=work_input(title="Owl Seed", fandoms=["Owl Song"], summary="Edited."),
    )
    work_update(user=user, work=moved, data=work_input(title="Was Harbour", fandoms=["Owl Song"]))
    work_set_hidden(user=admin, work=hidden, hidden=False)
    saved_filter_alerts_run()
    assert sorted(alerted(reader)) == [
        "New in your filter Owls: Hidden Owl",
        "New in your filter Owls: Was Harbour",
    ]


def test_nothing_the_reader_may_not_see_or_hear_of_is_alerted(reader, subscribed, user):
    make_work(user, title="Draft Owl", fandoms=["Owl Song"], post=False)
    make_work(reader, title="My Own Owl", fandoms=["Owl Song"])
    make_work(user, title="Stormy Owl", fandoms=["Owl Song"], freeforms=["Storms"])
    mute_tag_add(user=reader, owner=reader, tag_id=Tag.objects.get(name="Storms").pk)
    blocked = make_user("blocked_writer")
    block_create(user=reader, blocked=blocked)
    make_work(blocked, title="Blocked Owl", fandoms=["Owl Song"])
    secret = make_work(blocked, title="Secret Owl", fandoms=["Owl Song"], anonymous=True)
    unrevealed = make_work(user, title="Unrevealed Owl", fandoms=["Owl Song"])
    Work.objects.filter(pk=unrevealed.pk).update(unrevealed=True)
    catalogue_work_changed(work_id=unrevealed.pk)
    adult = make_work(user, title="Adult Owl", fandoms=["Owl Song"], rating=EXPLICIT)
    saved_filter_alerts_run()
    # The anonymous work is told (hiding it would tell whose it is), never naming anyone.
    assert sorted(alerted(reader)) == [
        "New in your filter Owls: Adult Owl",
        "New in your filter Owls: Secret Owl",
    ]
    notice = Notice.objects.get(recipient=reader, work=secret)
    assert "blocked_writer" not in notice.body and "Anonymous" in notice.body
    # An adult work's notice is its blurb's title and byline, never its text.
    adult_notice = Notice.objects.get(recipient=reader, work=adult)
    assert "Chapter 1 ends here" not in adult_notice.body
    # The draft, posted later, enters then.
    draft = Work.objects.get(title="Draft Owl")
    work_post(user=user, work=draft)
    saved_filter_alerts_run()
    assert "New in your filter Owls: Draft Owl" in alerted(reader)


def test_a_log_entry_committed_late_is_not_lost(reader, subscribed, user):
    first = make_work(user, title="First Owl", fandoms=["Owl Song"])
    late = make_work(user, title="Late Owl", fandoms=["Owl Song"])
    # Pretend `late`'s entry was not committed yet when the run read the log: a gap.
    entry = CatalogueChange.objects.filter(work_id=late.pk).order_by("id").first()
    assert entry is not None
    later = make_work(make_user(), title="Harbour Later", fandoms=["Harbour Tales"])
    CatalogueChange.objects.filter(work_id=late.pk).delete()
    saved_filter_alerts_run()
    assert alerted(reader) == ["New in your filter Owls: First Owl"]
    assert str(entry.pk) in SavedFilterAlertPosition.objects.get().gaps
    CatalogueChange.objects.create(id=entry.pk, work_id=late.pk)  # it commits now
    saved_filter_alerts_run()
    assert alerted(reader)[-1] == "New in your filter Owls: Late Owl"
    assert SavedFilterAlertPosition.objects.get().gaps == {}
    assert first.pk and later.pk


def test_unsubscribing_stops_alerts_and_only_the_owner_may(reader, subscribed, user):
    with pytest.raises(PermissionDenied):
        saved_filter_alert_unsubscribe(user=user, saved=subscribed)
    with pytest.raises(PermissionDenied):
        saved_filter_alert_subscribe(user=user, saved=subscribed)
    saved_filter_alert_unsubscribe(user=reader, saved=subscribed)
    make_work(user, title="Unheard Owl", fandoms=["Owl Song"])
    assert saved_filter_alerts_run().sent == 0
    assert alerted(reader) == []


def test_a_change_queues_one_run_only_when_somebody_subscribes(
    reader, user, django_capture_on_commit_callbacks
):
    alert_tasks.queue.forget()
    queued = DBTaskResult.objects.filter(task_path__endswith="saved_filter_alerts")
    with django_capture_on_commit_callbacks(execute=True):
        make_work(user, title="Nobody Listens", fandoms=["Owl Song"])
    assert not queued.exists()
    saved = owl_filter(reader)
    saved_filter_alert_subscribe(user=reader, saved=saved)
    with django_capture_on_commit_callbacks(execute=True):
        make_work(user, title="Owl One", fandoms=["Owl Song"])
        make_work(user, title="Owl Two", fandoms=["Owl Song"])
    assert queued.count() == 1  # both read by the one run
    assert alert_tasks.saved_filter_alerts.call() == 2
    alert_tasks.queue.forget()


# -- through the pages -----------------------------------------------------------------------


def test_subscribing_on_the_page_brings_new_works_to_the_inbox(client, reader, user):
    saved = owl_filter(reader)
    client.force_login(reader)
    page = reverse("discovery:saved_filters", args=[reader.username])
    response = client.post(
        reverse("discovery:saved_filter_alerts", args=[reader.username, saved.pk]),
        {"alerts": "on"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == page
    assert "Unsubscribe" in response.content.decode()
    assert SavedFilterAlert.objects.filter(saved_filter=saved).exists()

    make_work(user, title="Moonlit Owl", fandoms=["Owl Song"])
    make_work(user, title="Harbour Lights", fandoms=["Harbour Tales"])
    make_work(user, title="Restricted Owl", fandoms=["Owl Song"], restricted=True)
    make_work(user, title="Draft Owl", fandoms=["Owl Song"], post=False)
    assert alert_tasks.saved_filter_alerts.call() == 2
    inbox = client.get(reverse("social:inbox")).content.decode()
    assert "Moonlit Owl" in inbox and "Restricted Owl" in inbox
    assert "Harbour Lights" not in inbox and "Draft Owl" not in inbox

    client.post(
        reverse("discovery:saved_filter_alerts", args=[reader.username, saved.pk]),
        {"alerts": "off"},
    )
    assert not SavedFilterAlert.objects.exists()
    html = client.get(page).content.decode()
    assert "Subscribe" in html and "Unsubscribe" not in html


def test_someone_elses_filter_cannot_be_subscribed_to(client, reader, user):
    theirs = owl_filter(user)
    client.force_login(reader)
    mine = reverse("discovery:saved_filter_alerts", args=[reader.username, theirs.pk])
    assert client.post(mine, {"alerts": "on"}).status_code == 404
    theirs_url = reverse("discovery:saved_filter_alerts", args=[user.username, theirs.pk])
    assert client.post(theirs_url, {"alerts": "on"}).status_code == 403
    assert client.get(mine).status_code == 405
    assert not SavedFilterAlert.objects.exists()


def test_a_broken_saved_filter_says_so_and_subscribes_nothing(client, reader):
    saved = SavedFilter.objects.create(user=reader, name="Broken", query_string="words_from=many")
    client.force_login(reader)
    response = client.post(
        reverse("discovery:saved_filter_alerts", args=[reader.username, saved.pk]),
        {"alerts": "on"},
        follow=True,
    )
    assert "no longer valid" in response.content.decode()
    assert not SavedFilterAlert.objects.exists()


def test_the_daily_digest_carries_the_alert(reader, subscribed, user):
    set_email(reader, email_subscriptions="daily")
    make_work(user, title="Digest Owl", fandoms=["Owl Song"])
    saved_filter_alerts_run()
    assert mail.outbox == []
    assert digest_send.call(reader.pk) == 1
    assert "Digest Owl" in mail.outbox[0].body


def test_a_filter_with_a_search_and_the_cron_command(reader, user):
    saved = saved_filter_create(
        user=reader, owner=reader, name="Kingfishers", query_string="q=kingfisher"
    )
    saved_filter_alert_subscribe(user=reader, saved=saved)
    make_work(user, title="The Kingfisher Road", fandoms=["Harbour Tales"])
    make_work(user, title="The Candle Road", fandoms=["Harbour Tales"])
    out = StringIO()
    call_command("saved-filter-alerts", stdout=out)
    assert "sent 1 alert." in out.getvalue()
    assert alerted(reader) == ["New in your filter Kingfishers: The Kingfisher Road"]
    out = StringIO()
    call_command("saved-filter-alerts", stdout=out)
    assert out.getvalue().strip() == "Read 0 changes; sent 0 alerts."


def test_a_work_wrangled_into_the_filter_enters_it(reader, subscribed, user):
    from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

    make_work(user, title="Misspelt Owl", fandoms=["Owl Songs"])
    saved_filter_alerts_run()
    assert alerted(reader) == []
    admin = make_user("alert_wrangler", is_staff=True)
    tag_set_canonical(user=admin, tag=Tag.objects.get(name="Owl Song"), canonical=True)
    tag_make_synonym(
        user=admin,
        tag=Tag.objects.get(name="Owl Songs"),
        canonical=Tag.objects.get(name="Owl Song"),
    )
    saved_filter_alerts_run()
    assert alerted(reader) == ["New in your filter Owls: Misspelt Owl"]
