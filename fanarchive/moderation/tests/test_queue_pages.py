"""The moderators' pages through the real stack: the queue and its filters, a report's page
(snapshot, reporter, earlier reports, assigning, resolving), appeals (the subject's form,
a second moderator's decision), who may see what, and the header's link."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.models import Notice
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.appeal_services import appeal_create
from fanarchive.moderation.models import Appeal, AppealState, Report, ReportState
from fanarchive.moderation.tests.helpers import make_moderator, report_work
from fanarchive.tags.fixed import EXPLICIT, GENERAL, NO_WARNINGS, VIOLENCE
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_moderator("harbour_mod")


@pytest.fixture
def mod_client(client: Client, moderator) -> Client:
    client.force_login(moderator)
    return client


def _hide(mod_client: Client, report: Report, reason: str = "Breaks the content policy."):
    return mod_client.post(
        f"/moderation/reports/{report.reference}/", {"resolution": "hide", "reason": reason}
    )


# -- who may see the pages -------------------------------------------------------------------


def test_guests_are_sent_to_log_in_and_readers_refused(client, user, other_user):
    report = report_work(make_work(user), reporter=other_user)
    report_resolve(
        moderator=make_moderator("first_mod"), report=report, resolution="warn", reason="Tags."
    )
    appeal = appeal_create(appellant=user, report=report, text="Please look again.")
    urls = [
        "/moderation/",
        f"/moderation/reports/{report.reference}/",
        f"/moderation/appeals/{appeal.pk}/",
    ]
    for url in urls:
        page = client.get(url)
        assert page.status_code == 302 and page["Location"].startswith("/login/"), url
    client.force_login(other_user)
    for url in urls:
        assert client.get(url).status_code == 403, url
    assert client.post(f"/moderation/reports/{report.reference}/take/").status_code == 403
    assert client.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "uphold"}).status_code == (
        403
    )
    assert Appeal.objects.get().state == AppealState.OPEN


def test_moderators_and_admins_see_the_queue_and_the_header_link(client, user, other_user):
    report_work(make_work(user), reporter=other_user)
    client.force_login(other_user)
    assert "/moderation/" not in client.get("/works/").content.decode()
    for person in (make_moderator("group_mod"), make_user("site_admin", is_staff=True)):
        client.force_login(person)
        page = client.get("/moderation/")
        assert page.status_code == 200
        html = client.get("/works/").content.decode()
        assert 'href="/moderation/">Moderation <span class="count">(1' in html


# -- the queue ---------------------------------------------------------------------------------


def test_urgent_reports_come_first_with_their_hours_left(mod_client, user, other_user):
    spam = report_work(make_work(user, title="Old Spam"), reporter=other_user, category="spam")
    Report.objects.filter(pk=spam.pk).update(created_at=timezone.now() - timedelta(hours=30))
    ncii = report_work(make_work(user, title="Urgent One"), reporter=other_user, category="ncii")
    html = mod_client.get("/moderation/").content.decode()
    assert html.index(ncii.reference) < html.index(spam.reference)
    assert "Urgent: 47 h left" in html
    assert "Non-consensual intimate imagery" in html and "Old Spam" in html
    page = mod_client.get(f"/moderation/reports/{ncii.reference}/").content.decode()
    assert "Urgent: 47 h left</strong> of the 48 hours" in page


def test_the_queue_filters_by_category_state_age_and_mine(mod_client, moderator, user, other_user):
    old = report_work(make_work(user), reporter=other_user, category="spam")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=80))
    rating = report_work(make_work(user), reporter=other_user, category="rating")
    mine = report_work(make_work(user), reporter=other_user, category="harassment")
    mod_client.post(f"/moderation/reports/{mine.reference}/take/")

    def shown(query: str) -> set[str]:
        html = mod_client.get(f"/moderation/?{query}").content.decode()
        return {r.reference for r in (old, rating, mine) if r.reference in html}

    assert shown("") == {old.reference, rating.reference, mine.reference}
    assert shown("category=rating") == {rating.reference}
    assert shown("age=72") == {old.reference}
    assert shown("age=24") == {old.reference}
    assert shown("state=assigned") == {mine.reference}
    assert shown("state=open") == {old.reference, rating.reference}
    assert shown("mine=on") == {mine.reference}
    assert shown("category=bogus&age=bogus") == {old.reference, rating.reference, mine.reference}


def test_assign_to_me_and_unassign(mod_client, moderator, user, other_user):
    report = report_work(make_work(user), reporter=other_user)
    page = mod_client.post(
        f"/moderation/reports/{report.reference}/take/", {"next": "/moderation/"}
    )
    assert page.status_code == 302 and page["Location"] == "/moderation/"
    report.refresh_from_db()
    assert report.state == ReportState.ASSIGNED and report.assignee == moderator
    html = mod_client.get("/moderation/").content.decode()
    assert f"<td>{moderator.username}</td>" in html
    mod_client.post(f"/moderation/reports/{report.reference}/take/", {"release": "1"})
    report.refresh_from_db()
    assert report.state == ReportState.OPEN and report.assignee is None
    assert mod_client.get(f"/moderation/reports/{report.reference}/take/").status_code == 405


# -- one report --------------------------------------------------------------------------------


def test_the_report_page_shows_the_snapshot_reporter_and_earlier_reports(mod_client, user):
    work = make_work(user, title="The Tide Ledger", summary="Boats, counted.")
    earlier = report_work(make_work(user, title="Earlier Work"), category="spam")
    report = report_work(work, email="worried.guest@example.org")
    # The writer changes the title afterwards: the snapshot keeps what was reported.
    data = work_input_of(work)
    data.title = "A New Title"
    work_update(user=user, work=Work.objects.get(pk=work.pk), data=data)
    html = mod_client.get(f"/moderation/reports/{report.reference.lower()}/").content.decode()
    assert "The Tide Ledger" in html and "Boats, counted." in html
    assert f'href="{work.get_absolute_url()}"' in html  # the live thing
    assert "worried.guest@example.org (guest)" in html
    assert earlier.reference in html
    assert user.username in html
    assert mod_client.get("/moderation/reports/R-NOPE0/").status_code == 404


def test_resolving_with_hide_hides_the_work_and_is_logged(mod_client, moderator, user):
    work = make_work(user)
    report = report_work(work)
    page = _hide(mod_client, report)
    assert page.status_code == 302
    work.refresh_from_db()
    assert work.hidden_by_admin and work.hidden_reason == "Breaks the content policy."
    report.refresh_from_db()
    assert report.state == ReportState.RESOLVED and report.resolved_by == moderator
    html = mod_client.get(page["Location"]).content.decode()
    assert "is resolved" in html
    assert "report.resolve" in html and "work.hide" in html  # the page's history
    assert AuditEntry.objects.filter(action="work.hide", actor=moderator).exists()
    # Its creator sees the reason on the work page; other readers get 403.
    creator = Client()
    creator.force_login(user)
    assert (
        "Reason: Breaks the content policy."
        in creator.get(work.get_absolute_url()).content.decode()
    )
    assert Client().get(work.get_absolute_url()).status_code == 403


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"resolution": ""}, "Please choose what to do."),
        ({"resolution": "restore", "reason": "x"}, "Select a valid choice"),
        ({"resolution": "hide", "reason": "  "}, "Please give the reason"),
        ({"resolution": "hide", "reason": "x" * 5001}, "under 5,000 characters (5,001 now)"),
        ({"resolution": "suspend", "reason": "Spam."}, "Please give a number of days"),
        (
            {
                "resolution": "suspend",
                "reason": "Spam.",
                "suspend_days": "3",
                "suspend_forever": "on",
            },
            "not both",
        ),
        ({"resolution": "suspend", "reason": "Spam.", "suspend_days": "-2"}, "greater than"),
        ({"resolution": "rerate", "reason": "Explicit."}, "Please choose the rating"),
        (
            {
                "resolution": "rerate",
                "reason": "E",
                "rating": "Very Rude",
                "warnings": [NO_WARNINGS],
            },
            "Select a valid choice",
        ),
    ],
)
def test_bad_decisions_are_explained_and_change_nothing(mod_client, user, data, message):
    work = make_work(user)
    report = report_work(work)
    page = mod_client.post(f"/moderation/reports/{report.reference}/", data)
    assert page.status_code == 200
    assert message in page.content.decode()
    report.refresh_from_db()
    work.refresh_from_db()
    user.refresh_from_db()
    assert report.state == ReportState.OPEN and not report.resolution
    assert not work.hidden_by_admin and not user.suspended_until
    assert not AuditEntry.objects.filter(action="report.resolve").exists()


def test_no_action_needs_no_reason(mod_client, user):
    report = report_work(make_work(user))
    assert (
        mod_client.post(
            f"/moderation/reports/{report.reference}/", {"resolution": "none"}
        ).status_code
        == 302
    )
    report.refresh_from_db()
    assert report.resolution == "none" and report.state == ReportState.RESOLVED


def test_suspend_and_rerate_from_the_form(mod_client, user, other_user):
    work = make_work(user, rating=GENERAL)
    rerate = report_work(work, reporter=other_user)
    mod_client.post(
        f"/moderation/reports/{rerate.reference}/",
        {
            "resolution": "rerate",
            "reason": "Reads Explicit.",
            "rating": EXPLICIT,
            "warnings": [VIOLENCE],
        },
    )
    data = work_input_of(Work.objects.get(pk=work.pk))
    assert data.rating == EXPLICIT and data.warnings == [VIOLENCE]
    suspend = report_work(make_work(user), reporter=other_user, category="harassment")
    page = mod_client.post(
        f"/moderation/reports/{suspend.reference}/",
        {
            "resolution": "suspend",
            "reason": "Harassment.",
            "suspend_days": "7",
            "hide_their_works": "on",
        },
    )
    assert page.status_code == 302
    user.refresh_from_db()
    assert user.suspended_until and user.suspended_until > timezone.now() + timedelta(days=6)
    assert Work.objects.filter(pk=work.pk, hidden_by_admin=True).exists()


def test_suspending_an_admin_is_refused_on_the_form(mod_client):
    admin = make_user("the_admin", is_staff=True)
    report = report_work(make_work(admin), category="harassment")
    page = mod_client.post(
        f"/moderation/reports/{report.reference}/",
        {"resolution": "suspend", "reason": "No.", "suspend_forever": "on"},
    )
    assert page.status_code == 200
    assert "Administrators cannot be suspended" in page.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.OPEN


# -- appeals -----------------------------------------------------------------------------------


def test_the_subject_appeals_once_and_a_second_moderator_decides(mod_client, moderator, user):
    work = make_work(user)
    report = report_work(work)
    _hide(mod_client, report)
    appeal_url = f"/moderation/reports/{report.reference}/appeal/"

    subject = Client()
    assert subject.get(appeal_url).status_code == 302  # guests log in first
    subject.force_login(user)
    page = subject.get(appeal_url)
    assert "Breaks the content policy." in page.content.decode()
    page = subject.post(appeal_url, {"text": "   "})
    assert "Please say why you think the decision was wrong." in page.content.decode()
    assert not Appeal.objects.exists()
    page = subject.post(appeal_url, {"text": "It is a <b>quiet</b> harbour story."})
    assert "Your appeal was sent" in page.content.decode()
    appeal = Appeal.objects.get()
    # Once only: the page now shows the appeal's state instead of a form.
    again = subject.get(appeal_url).content.decode()
    assert "the appeal is <strong>open</strong>" in again and "Send appeal" not in again
    subject.post(appeal_url, {"text": "And again."})
    assert Appeal.objects.count() == 1

    # Someone else's decision is not found.
    stranger = Client()
    stranger.force_login(make_user("nosy_reader"))
    assert stranger.get(appeal_url).status_code == 404

    # The queue lists the appeal; its own moderator may not decide it.
    queue = mod_client.get("/moderation/").content.decode()
    assert f"Appeal of {report.reference}" in queue
    page = mod_client.post(
        f"/moderation/appeals/{appeal.pk}/", {"decision": "uphold", "reason": "Fine."}
    )
    assert "another moderator must decide" in page.content.decode()
    appeal.refresh_from_db()
    assert appeal.state == AppealState.OPEN

    second = Client()
    second.force_login(make_moderator("second_mod"))
    page = second.get(f"/moderation/appeals/{appeal.pk}/")
    assert "It is a &lt;b&gt;quiet&lt;/b&gt; harbour story." in page.content.decode()
    page = second.post(f"/moderation/appeals/{appeal.pk}/", {"decision": "uphold", "reason": ""})
    assert "Please give the reason" in page.content.decode()
    page = second.post(
        f"/moderation/appeals/{appeal.pk}/", {"decision": "uphold", "reason": "Within the rules."}
    )
    assert page.status_code == 302
    appeal.refresh_from_db()
    work.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and not work.hidden_by_admin
    html = second.get(page["Location"]).content.decode()
    for action in ("report.resolve", "work.hide", "appeal.create", "appeal.uphold", "work.show"):
        assert action in html, action


def test_assigning_an_appeal_to_oneself(mod_client, user):
    report = report_work(make_work(user))
    report_resolve(
        moderator=make_moderator("deciding_mod"), report=report, resolution="warn", reason="Tags."
    )
    appeal = appeal_create(appellant=user, report=report, text="Please.")
    page = mod_client.post(f"/moderation/appeals/{appeal.pk}/take/", {"next": "/moderation/"})
    assert page.status_code == 302
    appeal.refresh_from_db()
    assert appeal.state == AppealState.ASSIGNED
    assert mod_client.get("/moderation/?mine=on").content.decode().count("Appeal of") == 1


def test_a_suspended_person_appeals_through_the_link_sent_with_the_decision(
    moderator, user, other_user
):
    """A suspended account cannot log in: the decision's signed link opens its appeal
    page; the same key opens no other report's page, and a forged one nothing."""
    report = report_work(make_work(user), reporter=other_user)
    report_resolve(
        moderator=moderator, report=report, resolution="suspend", reason="Spam.", suspend_days=7
    )
    link = Notice.objects.filter(recipient=user).order_by("-pk")[0].url
    assert "?key=" in link
    guest = Client()
    refused = guest.post(
        reverse("accounts:login"), {"username": user.username, "password": PASSWORD}
    )
    assert "suspended until" in refused.content.decode()
    page = guest.get(link)
    assert page.status_code == 200 and "Spam." in page.content.decode()
    assert guest.post(link, {"text": "I only posted my own stories."}).status_code == 200
    assert Appeal.objects.get(report=report).appellant == user
    other = report_work(make_work(make_user("another_writer")), reporter=other_user)
    key = link.split("?key=")[1]
    elsewhere = f"/moderation/reports/{other.reference}/appeal/?key={key}"
    assert guest.get(elsewhere).status_code == 302  # not a key for that report: log in
    forged = link[:-3] + "abc"
    assert guest.get(forged).status_code == 302
