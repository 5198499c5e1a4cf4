"""report_create, report_assign, report_unassign: validation, visibility, rate limits,
the snapshot, urgency of non-consensual imagery, notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.moderation import report_services
from fanarchive.moderation.models import Report, ReportState
from fanarchive.moderation.report_services import report_assign, report_create, report_unassign
from fanarchive.moderation.tests.helpers import make_comment, make_moderator, report_work
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag, TagType

pytestmark = pytest.mark.django_db


def test_a_guest_reports_a_work_with_a_snapshot_and_a_reference(user):
    work = make_work(user, title="The Tide Ledger", rating=EXPLICIT, summary="Boats, counted.")
    report = report_work(work)
    assert report.reference.startswith("R-") and len(report.reference) == 7
    assert report.state == ReportState.OPEN
    assert report.subject == user and report.reporter is None
    assert report.reporter_email == "guest.reader@example.org"
    snapshot = report.snapshot
    assert snapshot["title"] == "The Tide Ledger"
    assert snapshot["rating"] == EXPLICIT
    assert "Boats, counted." in snapshot["summary"]
    assert "lantern swung" in snapshot["text"]
    assert "Harbour Tales" in snapshot["tags"]
    assert snapshot["author"] == user.default_pseud.byline
    assert snapshot["url"] == work.get_absolute_url()
    assert not report.urgent and report.due_at is None


def test_the_snapshot_keeps_what_was_reported_after_an_edit(user):
    work = make_work(user, title="First Title")
    report = report_work(work)
    work.title = "Changed Since"
    Report.objects.filter(pk=report.pk).update()  # nothing rewrites the snapshot
    assert Report.objects.get(pk=report.pk).snapshot["title"] == "First Title"


def test_a_reader_gets_a_notice_with_the_reference(user, other_user):
    work = make_work(user)
    report = report_work(work, reporter=other_user)
    notice = Notice.objects.get(recipient=other_user)
    assert notice.kind == NoticeKind.MODERATION
    assert report.reference in notice.subject
    assert report.reporter_email == ""


def test_non_consensual_imagery_is_urgent_and_due_in_48_hours(user):
    before = timezone.now()
    report = report_work(make_work(user), category="ncii")
    assert report.urgent
    assert report.due_at is not None
    assert before + timedelta(hours=48) <= report.due_at <= timezone.now() + timedelta(hours=48)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"text": "   "}, "text"),
        ({"text": "x" * 5001}, "text"),
        ({"category": "boredom"}, "category"),
        ({"email": "not an address"}, "email"),
        ({"email": ""}, "email"),
        ({"target_type": "planet"}, "target"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_stored(user, changes, field):
    with pytest.raises(ValidationError) as refused:
        report_work(make_work(user), **changes)
    assert field in refused.value.message_dict
    assert not Report.objects.exists()


def test_text_is_kept_as_plain_text_without_control_characters(user):
    report = report_work(make_work(user), text="  <b>bold</b>\x07 claim  ")
    assert report.text == "<b>bold</b> claim"  # plain text: the page escapes it


def test_a_collection_is_reported_with_a_snapshot_of_its_profile(user):
    collection = make_collection(user, title="Tide Fest", rules="<p>No spoilers.</p>")
    report = report_create(
        reporter=None,
        email="a@example.org",
        category="spam",
        text="Spam.",
        target_type="collection",
        target_id=collection.pk,
    )
    assert report.subject == user
    assert report.snapshot["title"] == "Tide Fest" and "No spoilers." in report.snapshot["text"]
    with pytest.raises(ValidationError):
        report_create(
            reporter=None,
            email="a@example.org",
            category="spam",
            text="Spam.",
            target_type="collection",
            target_id=collection.pk + 1000,
        )


def test_only_what_the_reporter_can_see_can_be_reported(user, other_user):
    draft = make_work(user, post=False)
    restricted = make_work(user, restricted=True)
    with pytest.raises(ValidationError):
        report_work(draft, reporter=other_user)
    with pytest.raises(ValidationError):
        report_work(restricted)  # a guest cannot see it
    assert report_work(restricted, reporter=other_user).target_id == restricted.pk
    with pytest.raises(ValidationError):
        report_work(make_work(user), target_id=10**9)


def test_nobody_reports_their_own_work(user):
    with pytest.raises(ValidationError) as refused:
        report_work(make_work(user), reporter=user)
    assert "own" in refused.value.message_dict["target"][0]


def test_every_kind_of_target_is_found_with_its_subject(user, other_user, monkeypatch):
    monkeypatch.setattr(report_services, "REPORTS_PER_HOUR", 100)
    work = make_work(user, chapters=2)
    chapter = work.chapters.order_by("position").last()
    assert chapter is not None
    comment = make_comment(work, other_user, "A rude remark about boats.")
    bookmark = bookmark_create(
        user=other_user, pseud=other_user.default_pseud, work=work, notes="Hm"
    )
    tag = Tag.objects.get(name="Harbour Tales", type=TagType.FANDOM)
    reader = make_user("third_reader")
    cases = [
        ("chapter", chapter.pk, user),
        ("comment", comment.pk, other_user),
        ("bookmark", bookmark.pk, other_user),
        ("user", other_user.pk, other_user),
        ("pseud", other_user.default_pseud.pk, other_user),
        ("tag", tag.pk, None),
    ]
    for target_type, target_id, subject in cases:
        report = report_create(
            reporter=reader,
            email="",
            category="other",
            text="Please look.",
            target_type=target_type,
            target_id=target_id,
        )
        assert report.subject == subject, target_type
        assert report.snapshot["url"].startswith("/"), target_type
    assert (
        Report.objects.get(target_type="comment").snapshot["text"] == "A rude remark about boats."
    )
    assert Report.objects.get(target_type="chapter").snapshot["chapter"] == 2


def test_reports_are_rate_limited_per_account_and_per_guest_address(user, other_user):
    works = [make_work(user) for _ in range(report_services.REPORTS_PER_HOUR + 1)]
    for work in works[:-1]:
        report_work(work, reporter=other_user)
    with pytest.raises(ValidationError) as refused:
        report_work(works[-1], reporter=other_user)
    assert "at most 5 reports an hour" in refused.value.messages[0]
    # Guests by their address key: one address is limited, another is not.
    for work in works[:-1]:
        report_work(work, address_key="198.51.100.7")
    with pytest.raises(ValidationError):
        report_work(works[-1], address_key="198.51.100.7")
    assert report_work(works[-1], address_key="198.51.100.8").pk


def test_the_daily_limit(user, other_user, monkeypatch):
    monkeypatch.setattr(report_services, "REPORTS_PER_HOUR", 100)
    monkeypatch.setattr(report_services, "REPORTS_PER_DAY", 3)
    works = [make_work(user) for _ in range(4)]
    for work in works[:3]:
        report_work(work, reporter=other_user)
    with pytest.raises(ValidationError) as refused:
        report_work(works[3], reporter=other_user)
    assert "a day" in refused.value.messages[0]


def test_assigning_to_oneself_and_back(user, other_user):
    report = report_work(make_work(user))
    moderator = make_moderator("mod_one")
    with pytest.raises(PermissionDenied):
        report_assign(moderator=other_user, report=report)
    report_assign(moderator=moderator, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.ASSIGNED and report.assignee == moderator
    entry = AuditEntry.objects.get(action="report.assign")
    assert entry.actor == moderator and entry.after == {"state": "assigned", "assignee": "mod_one"}
    report_unassign(moderator=moderator, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.OPEN and report.assignee is None
    with pytest.raises(ValidationError):
        report_unassign(moderator=moderator, report=report)
