"""report_resolve with each action: what changes, who is told, the audit entries."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.moderators import is_suspended
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Bookmark, Comment, CommentState, Notice
from fanarchive.moderation.action_services import report_resolve
from fanarchive.moderation.models import ReportState, Resolution
from fanarchive.moderation.report_services import report_create
from fanarchive.moderation.tests.helpers import make_comment, make_moderator, report_work
from fanarchive.tags.fixed import EXPLICIT, GENERAL, NO_WARNINGS, VIOLENCE
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return make_moderator("mod_one")


def listing_text(client: Client) -> str:
    return client.get(reverse("works:list")).content.decode()


def test_hide_a_work_gone_from_listings_with_the_reason_for_its_creator(
    user, other_user, moderator, client
):
    work = make_work(user, title="Lantern Ledger Unique")
    report = report_work(work, reporter=other_user)
    assert "Lantern Ledger Unique" in listing_text(client)
    changes = CatalogueChange.objects.count()
    report_resolve(moderator=moderator, report=report, resolution="hide", reason="Spam links.")
    work.refresh_from_db()
    assert work.hidden_by_admin and work.hidden_reason == "Spam links."
    assert CatalogueChange.objects.count() > changes
    assert "Lantern Ledger Unique" not in listing_text(client)
    assert client.get(work.get_absolute_url()).status_code == 403
    client.force_login(other_user)
    assert client.get(work.get_absolute_url()).status_code == 403
    assert client.get(f"/api/v1/works/{work.pk}").status_code in (403, 404)
    client.force_login(moderator)
    assert client.get(work.get_absolute_url() + "?view_adult=true").status_code == 200
    client.force_login(user)
    assert client.get(work.get_absolute_url()).status_code == 200
    report.refresh_from_db()
    assert report.state == ReportState.RESOLVED and report.resolution == Resolution.HIDE
    assert report.resolved_by == moderator and report.resolved_at is not None
    entry = AuditEntry.objects.get(action="work.hide")
    assert entry.actor == moderator and entry.subject == user and entry.reason == "Spam links."
    assert entry.before == {"hidden_by_admin": False, "hidden_reason": ""}
    assert entry.after == {"hidden_by_admin": True, "hidden_reason": "Spam links."}
    resolve = AuditEntry.objects.get(action="report.resolve")
    assert resolve.after["resolution"] == "hide" and resolve.after["work_id"] == work.pk


def test_the_subject_is_told_why_and_how_to_appeal_the_reporter_only_that_it_is_resolved(
    user, other_user, moderator
):
    report = report_work(make_work(user, title="Quay Story"), reporter=other_user)
    report_resolve(moderator=moderator, report=report, resolution="warn", reason="Mind the rating.")
    to_subject = Notice.objects.get(recipient=user)
    assert "Mind the rating." in to_subject.body
    assert to_subject.url.startswith(f"/moderation/reports/{report.reference}/appeal/?key=")
    to_reporter = Notice.objects.filter(recipient=other_user).order_by("-pk").first()
    assert to_reporter is not None
    assert "resolved" in to_reporter.subject
    assert "Mind the rating." not in to_reporter.body and user.username not in to_reporter.body


def test_a_guest_reporter_is_mailed(user, moderator, django_capture_on_commit_callbacks):
    report = report_work(make_work(user))
    with django_capture_on_commit_callbacks(execute=True):
        report_resolve(moderator=moderator, report=report, resolution="none", reason="Fine as is.")
    sent = [m for m in mail.outbox if m.to == ["guest.reader@example.org"]]
    assert len(sent) == 1 and report.reference in sent[0].subject
    assert "Fine as is." not in sent[0].body
    assert not Notice.objects.filter(recipient=user).exists()  # no action: nothing to tell


def test_hide_a_comment_its_author_and_moderators_still_see_it(user, other_user, moderator, client):
    work = make_work(user)
    comment = make_comment(work, other_user, "Unpleasant harbour remark.")
    report = report_create(
        reporter=user,
        email="",
        category="harassment",
        text="Rude.",
        target_type="comment",
        target_id=comment.pk,
    )
    report_resolve(moderator=moderator, report=report, resolution="hide", reason="Harassment.")
    comment.refresh_from_db()
    assert comment.state == CommentState.HIDDEN and comment.hidden_reason == "Harassment."
    page = work.get_absolute_url()
    assert "Unpleasant harbour remark." not in client.get(page).content.decode()
    client.force_login(user)  # the work's creator
    assert "Unpleasant harbour remark." not in client.get(page).content.decode()
    client.force_login(other_user)  # its author
    assert "Unpleasant harbour remark." in client.get(page).content.decode()
    client.force_login(moderator)
    assert "Unpleasant harbour remark." in client.get(page).content.decode()
    assert AuditEntry.objects.get(action="comment.hide").subject == other_user


def test_delete_a_comment_a_bookmark_and_a_work(user, other_user, moderator):
    work = make_work(user)
    comment = make_comment(work, other_user)
    bookmark = bookmark_create(user=other_user, pseud=other_user.default_pseud, work=work)
    reader = make_user("reader_three")
    for target_type, target_id in (
        ("comment", comment.pk),
        ("bookmark", bookmark.pk),
        ("work", work.pk),
    ):
        report = report_create(
            reporter=reader,
            email="",
            category="spam",
            text="Spam.",
            target_type=target_type,
            target_id=target_id,
        )
        report_resolve(moderator=moderator, report=report, resolution="delete", reason="Spam.")
    assert not Comment.objects.filter(pk=comment.pk).exists()
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()
    assert not Work.objects.filter(pk=work.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"comment.delete", "bookmark.delete", "work.delete"} <= actions


def test_suspend_for_days_hiding_their_works(user, other_user, moderator, client):
    work = make_work(user, title="Suspended Writer Tale")
    report = report_work(work, reporter=other_user)
    report_resolve(
        moderator=moderator,
        report=report,
        resolution="suspend",
        reason="Repeated spam.",
        suspend_days=7,
        hide_their_works=True,
    )
    user.refresh_from_db()
    assert is_suspended(user)
    assert 6.9 < (user.suspended_until - timezone.now()).days + 1 <= 7.1
    assert user.suspension_reason == "Repeated spam." and not user.suspended_permanently
    work.refresh_from_db()
    assert work.hidden_by_admin and work.hidden_reason == "Repeated spam."
    assert "Suspended Writer Tale" not in listing_text(client)
    entry = AuditEntry.objects.get(action="user.suspend")
    assert entry.after["hidden_work_ids"] == [work.pk] and entry.subject == user


def test_suspend_for_good_keeping_their_works(user, other_user, moderator):
    work = make_work(user)
    report_resolve(
        moderator=moderator,
        report=report_work(work, reporter=other_user),
        resolution="suspend",
        reason="Ban evasion.",
        suspend_forever=True,
    )
    user.refresh_from_db()
    work.refresh_from_db()
    assert user.suspended_permanently and is_suspended(user)
    assert not work.hidden_by_admin


def test_rerate_changes_the_rating_and_warnings_keeping_other_tags(user, other_user, moderator):
    work = make_work(user, rating=GENERAL, warnings=[NO_WARNINGS])
    report = report_work(work, reporter=other_user)
    report_resolve(
        moderator=moderator,
        report=report,
        resolution="rerate",
        reason="Explicit content.",
        rating=EXPLICIT,
        warnings=[VIOLENCE],
    )
    data = work_input_of(Work.objects.get(pk=work.pk))
    assert data.rating == EXPLICIT and data.warnings == [VIOLENCE]
    assert data.fandoms == ["Harbour Tales"] and data.freeforms == ["Found Family"]
    report.refresh_from_db()
    assert report.resolution_data == {
        "work_id": work.pk,
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
    }
    entry = AuditEntry.objects.get(action="work.rerate")
    assert entry.before == {"rating": GENERAL, "warnings": [NO_WARNINGS]}
    assert entry.after == {"rating": EXPLICIT, "warnings": [VIOLENCE]}


@pytest.mark.parametrize(
    ("changes", "key"),
    [
        ({"resolution": "hide", "reason": " "}, "reason"),
        ({"resolution": "explode", "reason": "x"}, "resolution"),
        ({"resolution": "restore", "reason": "x"}, "resolution"),
        ({"resolution": "suspend", "reason": "x"}, "suspend_days"),
        ({"resolution": "suspend", "reason": "x", "suspend_days": 0}, "suspend_days"),
        (
            {"resolution": "suspend", "reason": "x", "suspend_days": 3, "suspend_forever": True},
            "suspend_days",
        ),
        ({"resolution": "rerate", "reason": "x"}, "rating"),
        (
            {"resolution": "rerate", "reason": "x", "rating": "Scary", "warnings": [NO_WARNINGS]},
            "rating",
        ),
        (
            {"resolution": "rerate", "reason": "x", "rating": GENERAL, "warnings": ["Bad"]},
            "warnings",
        ),
    ],
)
def test_bad_decisions_are_refused_and_nothing_changes(user, other_user, moderator, changes, key):
    work = make_work(user)
    report = report_work(work, reporter=other_user)
    with pytest.raises(ValidationError) as refused:
        report_resolve(moderator=moderator, report=report, **changes)
    assert key in refused.value.message_dict
    report.refresh_from_db()
    user.refresh_from_db()
    assert report.state == ReportState.OPEN and not is_suspended(user)
    assert not AuditEntry.objects.exclude(action__startswith="report.").exists()


def test_what_cannot_be_hidden_or_deleted(user, other_user, moderator):
    report = report_create(
        reporter=other_user,
        email="",
        category="harassment",
        text="Rude profile.",
        target_type="user",
        target_id=user.pk,
    )
    for resolution in ("hide", "delete", "rerate"):
        with pytest.raises(ValidationError):
            report_resolve(moderator=moderator, report=report, resolution=resolution, reason="x")


def test_only_moderators_resolve_and_only_once(user, other_user, moderator):
    report = report_work(make_work(user), reporter=other_user)
    with pytest.raises(PermissionDenied):
        report_resolve(moderator=other_user, report=report, resolution="none", reason="x")
    report_resolve(moderator=moderator, report=report, resolution="none", reason="Fine.")
    with pytest.raises(ValidationError):
        report_resolve(moderator=moderator, report=report, resolution="hide", reason="x")


def test_moderators_cannot_suspend_admins_or_themselves(user, moderator):
    admin = make_user("site_admin", is_staff=True)
    for target in (admin, moderator):
        report = report_create(
            reporter=user,
            email="",
            category="other",
            text="Hm.",
            target_type="user",
            target_id=target.pk,
        )
        with pytest.raises(PermissionDenied):
            report_resolve(
                moderator=moderator, report=report, resolution="suspend", reason="x", suspend_days=1
            )


def test_the_creator_reads_the_reason_on_the_work_page(user, other_user, moderator, client):
    work = make_work(user)
    report = report_work(work, reporter=other_user)
    report_resolve(moderator=moderator, report=report, resolution="hide", reason="Copied text.")
    client.force_login(user)
    text = client.get(work.get_absolute_url()).content.decode()
    assert "hidden by an administrator" in text and "Reason: Copied text." in text
