"""notices.notify, e-mail preferences, immediate mail and daily digests (run by tasks)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fanarchive.accounts.models import Preference
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice
from fanarchive.engagement.notice_tasks import digest_send, notice_email_send
from fanarchive.engagement.notices import DIGEST_DELAY, notices_delete, notices_mark, notify
from fanarchive.engagement.preference_services import preferences_update

pytestmark = pytest.mark.django_db


def send(recipients, *, kind="comment", actor=None, work=None, **extra):
    notify(
        recipients=recipients,
        kind=kind,
        subject=extra.get("subject", "A new comment on The Lighthouse"),
        body=extra.get("body", "Lovely harbour scene."),
        url="/works/1/",
        work=work,
        comment_id=extra.get("comment_id"),
        actor=actor,
    )


def set_email(user, **choices):
    preference = Preference.objects.get(user=user)
    preferences_update(
        user=user,
        owner=user,
        view_adult=preference.view_adult,
        hide_warnings=preference.hide_warnings,
        hide_freeform=preference.hide_freeform,
        email=choices,
    )


def test_notify_writes_one_notice_per_recipient_never_to_the_actor(user, other_user):
    third = make_user("third_reader")
    work = make_work(user)
    send([user, other_user, other_user, third], actor=third, work=work, comment_id=7)
    notices = Notice.objects.order_by("recipient_id")
    assert [n.recipient for n in notices] == [user, other_user]
    first = notices[0]
    assert (first.kind, first.work, first.comment_id, first.actor) == ("comment", work, 7, third)
    assert first.read_at is None and first.emailed_at is None


def test_notify_refuses_unknown_kinds(user):
    with pytest.raises(ValueError, match="unknown notice kind"):
        send([user], kind="shouting")
    assert not Notice.objects.exists()


def test_notify_skips_inactive_accounts_and_trims_long_text(user, other_user):
    other_user.is_active = False
    other_user.save()
    send([user, other_user], subject="S" * 400, body="B" * 5000)
    notice = Notice.objects.get()
    assert notice.recipient == user
    assert len(notice.subject) == 255 and len(notice.body) == 2000


def test_immediate_mail_goes_out_through_the_task_after_commit(
    user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send([user])
    assert mail.outbox == []  # queued, not sent inline
    assert DBTaskResult.objects.filter(task_path__endswith="notice_email_send").count() == 1
    assert run_due_tasks() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [user.email]
    assert "A new comment on The Lighthouse" in message.subject
    assert "Lovely harbour scene." in message.body
    assert "http://127.0.0.1:8000/works/1/" in message.body
    assert Notice.objects.get().emailed_at is not None


def test_sending_a_notice_twice_mails_once(user, django_capture_on_commit_callbacks):
    send([user])
    notice = Notice.objects.get()
    assert notice_email_send.call(notice.pk) is True
    assert notice_email_send.call(notice.pk) is False
    assert len(mail.outbox) == 1


def test_a_rolled_back_notice_queues_no_mail(user, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        send([user])
        transaction.set_rollback(True)
    assert callbacks == [] and not Notice.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_preference_off_keeps_the_notice_but_sends_no_mail(
    user, django_capture_on_commit_callbacks
):
    set_email(user, email_comments="off")
    with django_capture_on_commit_callbacks(execute=True):
        send([user])
    assert Notice.objects.get().email == ""
    assert not DBTaskResult.objects.exists()
    run_due_tasks()
    assert mail.outbox == []


def test_each_kind_follows_its_own_preference(user, django_capture_on_commit_callbacks):
    set_email(user, email_comments="off", email_replies="immediate", email_kudos="off")
    with django_capture_on_commit_callbacks(execute=True):
        for kind in ("comment", "comment_pending", "reply", "kudos", "subscription"):
            send([user], kind=kind, subject=f"about {kind}")
    emails = dict(Notice.objects.values_list("kind", "email"))
    assert emails == {
        "comment": "",
        "comment_pending": "",
        "reply": "immediate",
        "kudos": "",
        "subscription": "immediate",
    }
    run_due_tasks()
    assert sorted(m.subject for m in mail.outbox) == [
        "[Fanarchive] about reply",
        "[Fanarchive] about subscription",
    ]


def test_collection_and_challenge_notices_follow_their_own_preference(
    user, other_user, django_capture_on_commit_callbacks
):
    set_email(other_user, email_collections="off")
    with django_capture_on_commit_callbacks(execute=True):
        send([user, other_user], kind="collection", subject="Your assignment")
    emails = dict(Notice.objects.values_list("recipient__username", "email"))
    assert emails == {user.username: "immediate", other_user.username: ""}
    run_due_tasks()
    assert [(m.subject, m.to) for m in mail.outbox] == [
        ("[Fanarchive] Your assignment", [user.email])
    ]


def test_gift_and_invitation_notices_are_inbox_only(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind="gift")
        send([user], kind="invitation")
    assert set(Notice.objects.values_list("email", flat=True)) == {""}
    assert not DBTaskResult.objects.exists()


def test_an_account_without_an_address_gets_no_mail(user, django_capture_on_commit_callbacks):
    user.email = ""
    user.save()
    with django_capture_on_commit_callbacks(execute=True):
        send([user])
    assert Notice.objects.get().email == ""


def test_daily_digest_collects_notices_into_one_mail_a_day_later(
    user, django_capture_on_commit_callbacks
):
    set_email(user, email_kudos="daily")
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind="kudos", subject="Kudos from mira on The Lighthouse")
        send([user], kind="kudos", subject="Kudos from tomas on The Lighthouse")
    # One digest is scheduled for the first waiting notice, a day ahead.
    digests = DBTaskResult.objects.filter(task_path__endswith="digest_send")
    assert digests.count() == 1
    run_after = digests.get().run_after
    assert run_after is not None
    assert abs(run_after - (timezone.now() + DIGEST_DELAY)) < timedelta(minutes=1)
    assert run_due_tasks() == 0  # not due yet
    assert mail.outbox == []

    assert digest_send.call(user.pk) == 2
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "2 new notices" in mail.outbox[0].subject
    assert "Kudos from mira" in body and "Kudos from tomas" in body
    # Idempotent: a second run (a retry, or the scheduled one) sends nothing more.
    assert digest_send.call(user.pk) == 0
    assert len(mail.outbox) == 1
    assert not Notice.objects.filter(emailed_at__isnull=True).exists()


def test_a_new_digest_is_scheduled_after_the_last_one_went_out(
    user, django_capture_on_commit_callbacks
):
    set_email(user, email_kudos="daily")
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind="kudos")
    digest_send.call(user.pk)
    with django_capture_on_commit_callbacks(execute=True):
        send([user], kind="kudos")
    assert DBTaskResult.objects.filter(task_path__endswith="digest_send").count() == 2


def test_marking_read_unread_and_deleting_touch_only_ones_own(user, other_user):
    send([user, other_user])
    send([user])
    mine = list(Notice.objects.filter(recipient=user).values_list("pk", flat=True))
    theirs = Notice.objects.get(recipient=other_user)
    assert notices_mark(user=user, notice_ids=[*mine, theirs.pk], read=True) == 2
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert notices_mark(user=user, notice_ids=mine[:1], read=False) == 1
    assert Notice.objects.filter(recipient=user, read_at__isnull=True).count() == 1
    assert notices_delete(user=user, notice_ids=[theirs.pk]) == 0
    assert notices_delete(user=user, notice_ids=mine) == 2
    assert Notice.objects.get() == theirs


def test_email_preferences_refuse_unknown_values(user):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        set_email(user, email_kudos="hourly")
    assert "email_kudos" in error.value.message_dict
    assert Preference.objects.get(user=user).email_kudos == "daily"


def test_gifts_and_co_creator_invitations_reach_the_inbox(user, other_user):
    from fanarchive.works.creator_services import creator_invite

    work = make_work(user, title="For You", gifts=[other_user.username])
    gift = Notice.objects.get(recipient=other_user)
    assert (gift.kind, gift.subject, gift.work) == ("gift", "A gift for you: For You", work)
    creator_invite(user=user, work=work, pseud_name=other_user.username)
    invitation = Notice.objects.get(recipient=other_user, kind="invitation")
    assert invitation.subject == "Co-creator invitation: For You"
    assert invitation.url == "/works/invitations/"
