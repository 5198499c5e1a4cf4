"""Notices and subscriptions of works hidden since: gone from the inbox, its count and mail."""

import pytest
from django.core import mail
from django.urls import reverse

from fanarchive.accounts.models import Preference
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.inbox_selectors import inbox_of, unread_count
from fanarchive.engagement.models import Notice
from fanarchive.engagement.notice_tasks import digest_send
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


def new_chapter(user, work, capture):
    with capture(execute=True):
        chapter_add(
            user=user,
            work=work,
            data=ChapterInput(text="The second night at the lamp.", text_format="plain"),
            post=True,
            expected_chapters=None,
        )
    run_due_tasks()


def test_a_hidden_works_notices_leave_the_inbox_and_come_back(
    client, user, other_user, django_capture_on_commit_callbacks
):
    work = make_work(user, title="Lamp of the Northern Quay", expected_chapters=None)
    subscription_create(user=other_user, work=work)
    new_chapter(user, work, django_capture_on_commit_callbacks)
    assert unread_count(other_user) == 1
    admin = make_user("moderator", is_staff=True)
    work_set_hidden(user=admin, work=work, hidden=True)
    client.force_login(other_user)
    assert "Northern Quay" not in client.get(reverse("social:inbox")).content.decode()
    assert unread_count(other_user) == 0
    page = client.get(reverse("social:user_subscriptions", args=[other_user.username]))
    text = page.content.decode()
    assert "Northern Quay" not in text and "no longer available" in text
    assert "Unsubscribe" in text  # the subscription can still be ended
    notice_id = Notice.objects.get(recipient=other_user).pk
    assert not inbox_of(other_user).exists()
    assert client.get(reverse("social:inbox_open", args=[notice_id])).status_code == 404
    work_set_hidden(user=admin, work=work, hidden=False)
    assert "Northern Quay" in client.get(reverse("social:inbox")).content.decode()


def test_a_digest_leaves_out_works_hidden_since(
    user, other_user, django_capture_on_commit_callbacks
):
    Preference.objects.filter(user=other_user).update(email_subscriptions="daily")
    hidden = make_work(user, title="Lamp Hidden Later", expected_chapters=None)
    kept = make_work(user, title="Lamp Kept Public", expected_chapters=None)
    for work in (hidden, kept):
        subscription_create(user=other_user, work=work)
        new_chapter(user, work, django_capture_on_commit_callbacks)
    work_set_hidden(user=make_user("moderator", is_staff=True), work=hidden, hidden=True)
    assert digest_send.call(other_user.pk) == 1
    body = mail.outbox[-1].body
    assert "Lamp Kept Public" in body and "Lamp Hidden Later" not in body
