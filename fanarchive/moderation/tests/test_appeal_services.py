"""Appeals: once, only by the person a decision is about, decided by a second moderator;
upheld, the action is undone."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanarchive.accounts.moderators import is_suspended
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_work
from fanarchive.engagement.models import CommentState, Notice
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.appeal_services import appeal_assign, appeal_create, appeal_decide
from fanarchive.moderation.models import AppealState, Resolution
from fanarchive.moderation.report_services import report_create
from fanarchive.moderation.tests.helpers import make_comment, make_moderator, report_work
from fanarchive.tags.fixed import EXPLICIT, GENERAL, NO_WARNINGS, VIOLENCE
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def first():
    return make_moderator("mod_first")


@pytest.fixture
def second():
    return make_moderator("mod_second")


def test_a_hidden_work_is_appealed_and_restored_by_a_second_moderator(
    user, other_user, first, second, client
):
    work = make_work(user, title="Appealed Harbour Tale")
    report = report_work(work, reporter=other_user)
    report_resolve(moderator=first, report=report, resolution="hide", reason="Looks like spam.")
    appeal = appeal_create(appellant=user, report=report, text="It is a real story.")
    assert appeal.state == AppealState.OPEN
    with pytest.raises(PermissionDenied):
        appeal_decide(moderator=first, appeal=appeal, uphold=True, reason="Oops.")
    with pytest.raises(PermissionDenied):
        appeal_assign(moderator=first, appeal=appeal)
    appeal_decide(moderator=second, appeal=appeal, uphold=True, reason="Not spam after all.")
    work.refresh_from_db()
    assert not work.hidden_by_admin and work.hidden_reason == ""
    assert "Appealed Harbour Tale" in client.get(reverse("works:list")).content.decode()
    appeal.refresh_from_db()
    report.refresh_from_db()
    assert appeal.state == AppealState.UPHELD and appeal.decided_by == second
    assert report.resolution == Resolution.RESTORE
    assert report.resolution_data["original_resolution"] == "hide"
    steps = list(AuditEntry.objects.order_by("created_at", "id").values_list("action", flat=True))
    assert steps == ["work.hide", "report.resolve", "appeal.create", "work.show", "appeal.uphold"]
    told = Notice.objects.filter(recipient=user).order_by("-pk").first()
    assert told is not None and "upheld" in told.subject


def test_an_appeal_is_made_once_and_only_by_the_subject(user, other_user, first):
    report = report_work(make_work(user), reporter=other_user)
    with pytest.raises(ValidationError):  # nothing decided yet
        appeal_create(appellant=user, report=report, text="Why?")
    report_resolve(moderator=first, report=report, resolution="warn", reason="Tag it.")
    with pytest.raises(ValidationError):
        appeal_create(appellant=other_user, report=report, text="Me too.")
    with pytest.raises(ValidationError) as empty:
        appeal_create(appellant=user, report=report, text="   ")
    assert "text" in empty.value.message_dict
    appeal_create(appellant=user, report=report, text="I did tag it.")
    with pytest.raises(ValidationError) as again:
        appeal_create(appellant=user, report=report, text="Once more.")
    assert "once" in again.value.messages[0]


def test_no_action_cannot_be_appealed(user, other_user, first):
    report = report_work(make_work(user), reporter=other_user)
    report_resolve(moderator=first, report=report, resolution="none", reason="Fine.")
    with pytest.raises(ValidationError):
        appeal_create(appellant=user, report=report, text="?")


def test_a_refused_appeal_changes_nothing(user, other_user, first, second):
    work = make_work(user)
    report = report_work(work, reporter=other_user)
    report_resolve(moderator=first, report=report, resolution="hide", reason="Spam.")
    appeal = appeal_create(appellant=user, report=report, text="Please.")
    appeal_assign(moderator=second, appeal=appeal)
    appeal_decide(moderator=second, appeal=appeal, uphold=False, reason="It is spam.")
    work.refresh_from_db()
    assert work.hidden_by_admin
    assert appeal.state == AppealState.REFUSED
    with pytest.raises(ValidationError):
        appeal_decide(moderator=second, appeal=appeal, uphold=True, reason="Changed my mind.")


def test_upheld_lifts_a_suspension_and_shows_the_works_it_hid(user, other_user, first, second):
    work = make_work(user)
    report = report_work(work, reporter=other_user)
    report_resolve(
        moderator=first,
        report=report,
        resolution="suspend",
        reason="Spam.",
        suspend_days=30,
        hide_their_works=True,
    )
    appeal = appeal_create(appellant=user, report=report, text="Hacked account.")
    appeal_decide(moderator=second, appeal=appeal, uphold=True, reason="Believable.")
    user.refresh_from_db()
    work.refresh_from_db()
    assert not is_suspended(user) and user.suspension_reason == ""
    assert not work.hidden_by_admin


def test_upheld_restores_the_rating_and_a_hidden_comment(user, other_user, first, second):
    work = make_work(user, rating=GENERAL, warnings=[NO_WARNINGS])
    report = report_work(work, reporter=other_user)
    report_resolve(
        moderator=first,
        report=report,
        resolution="rerate",
        reason="Too mild.",
        rating=EXPLICIT,
        warnings=[VIOLENCE],
    )
    appeal_decide(
        moderator=second,
        appeal=appeal_create(appellant=user, report=report, text="It is general."),
        uphold=True,
        reason="Agreed.",
    )
    data = work_input_of(Work.objects.get(pk=work.pk))
    assert data.rating == GENERAL and data.warnings == [NO_WARNINGS]

    comment = make_comment(work, other_user, "Sharp words.")
    comment_report = report_create(
        reporter=user,
        email="",
        category="harassment",
        text="Rude.",
        target_type="comment",
        target_id=comment.pk,
    )
    report_resolve(moderator=first, report=comment_report, resolution="hide", reason="Rude.")
    appeal_decide(
        moderator=second,
        appeal=appeal_create(appellant=other_user, report=comment_report, text="Not rude."),
        uphold=True,
        reason="Fair criticism.",
    )
    comment.refresh_from_db()
    assert comment.state == CommentState.PUBLISHED and comment.hidden_reason == ""


def test_only_moderators_decide(user, other_user, first):
    report = report_work(make_work(user), reporter=other_user)
    report_resolve(moderator=first, report=report, resolution="warn", reason="Tag it.")
    appeal = appeal_create(appellant=user, report=report, text="Hm.")
    with pytest.raises(PermissionDenied):
        appeal_decide(moderator=other_user, appeal=appeal, uphold=True, reason="x")
    with pytest.raises(ValidationError):
        appeal_decide(moderator=make_moderator("mod_third"), appeal=appeal, uphold=True, reason=" ")
