"""The queue and the other reads the moderation pages use."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone

from fanarchive.accounts.moderators import is_moderator
from fanarchive.core.testing import make_user, make_work
from fanarchive.moderation import selectors
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.appeal_services import appeal_create
from fanarchive.moderation.models import Report
from fanarchive.moderation.report_services import report_assign
from fanarchive.moderation.tests.helpers import make_moderator, report_work

pytestmark = pytest.mark.django_db


def test_who_is_a_moderator(user):
    assert not is_moderator(user)
    assert is_moderator(make_moderator("group_member"))
    assert is_moderator(make_user("staff_member", is_staff=True))
    inactive = make_moderator("gone_member")
    inactive.is_active = False
    assert not is_moderator(inactive)


def test_the_queue_urgent_first_then_oldest_with_appeals(user, other_user):
    moderator = make_moderator("mod_q")
    second = make_moderator("mod_q2")
    old = report_work(make_work(user), reporter=other_user, category="spam")
    newer = report_work(make_work(user), reporter=other_user, category="spam")
    urgent = report_work(make_work(user), reporter=other_user, category="ncii")
    Report.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=30))
    decided = report_work(make_work(user), reporter=other_user, category="other")
    report_resolve(moderator=moderator, report=decided, resolution="warn", reason="Tags.")
    appeal = appeal_create(appellant=user, report=decided, text="Please.")
    items = selectors.queue(moderator=second)
    assert [i.report.pk for i in items] == [urgent.pk, old.pk, newer.pk, decided.pk]
    assert items[0].urgent and items[-1].appeal == appeal
    assert [i.report.pk for i in selectors.queue(moderator=second, category="spam")] == [
        old.pk,
        newer.pk,
    ]
    assert [i.report.pk for i in selectors.queue(moderator=second, older_than_hours=24)] == [old.pk]
    assert [i.appeal for i in selectors.queue(moderator=second, state="appeal")] == [appeal]
    report_assign(moderator=second, report=newer)
    assert [i.report.pk for i in selectors.queue(moderator=second, mine=True)] == [newer.pk]
    assert [i.report.pk for i in selectors.queue(moderator=second, state="assigned")] == [newer.pk]
    with pytest.raises(PermissionDenied):
        selectors.queue(moderator=other_user)


def test_report_detail_hours_left_and_history_of_a_person(user, other_user):
    moderator = make_moderator("mod_d")
    report = report_work(make_work(user), reporter=other_user, category="ncii")
    assert selectors.report_detail(moderator, report.reference.lower()) == report
    with pytest.raises(Http404):
        selectors.report_detail(moderator, "R-NOPE1")
    with pytest.raises(PermissionDenied):
        selectors.report_detail(other_user, report.reference)
    left = selectors.hours_left(report)
    assert left is not None and 47.9 < left <= 48
    overdue = selectors.hours_left(report, now=timezone.now() + timedelta(hours=50))
    assert overdue is not None and overdue < 0
    assert selectors.hours_left(report_work(make_work(user), reporter=other_user)) is None
    report_resolve(moderator=moderator, report=report, resolution="hide", reason="Removed.")
    assert selectors.hours_left(report) is None
    assert report in selectors.reports_about(user)
    assert {e.action for e in selectors.actions_about(user)} == {"work.hide", "report.resolve"}
    assert list(selectors.reports_of_reporter(other_user)).count(report) == 1
    assert not selectors.reports_about(None).exists()
    assert selectors.audit_log(moderator=moderator, target_type="works.work").count() == 1
