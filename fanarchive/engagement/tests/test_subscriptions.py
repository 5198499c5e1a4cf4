"""Subscriptions to works, creators and series, and the notices their tasks write."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404

from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice, Subscription
from fanarchive.engagement.subscription_services import (
    subscription_create,
    subscription_delete,
)
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Work
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import (
    ChapterInput,
    chapter_add,
    chapter_update,
    work_post,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on-commit callbacks (the task queueing) of what the block does, then the tasks."""

    class Runner:
        def __enter__(self):
            self.capture = django_capture_on_commit_callbacks(execute=True)
            self.capture.__enter__()

        def __exit__(self, *exc):
            self.capture.__exit__(*exc)
            # Tasks queue more tasks (a notice's e-mail) on commit: run until none is due.
            while True:
                with django_capture_on_commit_callbacks(execute=True):
                    ran = run_due_tasks()
                if not ran:
                    break

    return Runner


def add_chapter(user, work, *, post=True, title="Second"):
    return chapter_add(
        user=user,
        work=work,
        data=ChapterInput(title=title, text="More boats.", text_format="plain"),
        post=post,
        expected_chapters=None,
    )


def subjects(user):
    return sorted(Notice.objects.filter(recipient=user).values_list("subject", flat=True))


def test_subscribing_twice_is_once_and_only_the_subscriber_unsubscribes(user, other_user):
    work = make_work(user)
    first = subscription_create(user=other_user, work=work)
    assert subscription_create(user=other_user, work=work) == first
    with pytest.raises(ValidationError):
        subscription_delete(user=user, subscription=first)
    subscription_delete(user=other_user, subscription=first)
    assert not Subscription.objects.exists()


def test_one_target_at_a_time_and_never_oneself_or_a_draft(user, other_user):
    work = make_work(user)
    with pytest.raises(ValidationError):
        subscription_create(user=other_user, work=work, creator=user)
    with pytest.raises(ValidationError):
        subscription_create(user=other_user)
    with pytest.raises(ValidationError, match="yourself"):
        subscription_create(user=user, creator=user)
    draft = make_work(user, post=False)
    with pytest.raises(Http404):  # others' drafts do not exist for them
        subscription_create(user=other_user, work=draft)
    with pytest.raises(ValidationError, match="draft"):
        subscription_create(user=user, work=draft)
    assert not Subscription.objects.exists()


def test_hidden_works_cannot_be_subscribed_to(user, other_user):
    from django.core.exceptions import PermissionDenied

    work = make_work(user)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    work.refresh_from_db()
    with pytest.raises(PermissionDenied):
        subscription_create(user=other_user, work=work)


def test_a_new_chapter_notifies_work_subscribers_not_the_creator(user, other_user, commit):
    work = make_work(user, expected_chapters=None, title="Harbour Lights")
    subscription_create(user=other_user, work=work)
    bystander = make_user("bystander")
    with commit():
        chapter = add_chapter(user, work)
    notice = Notice.objects.get()
    assert notice.recipient == other_user and notice.kind == "subscription"
    assert notice.subject == "New chapter of Harbour Lights"
    assert "Chapter 2: Second" in notice.body
    assert notice.url == chapter.get_absolute_url() and notice.work == work
    assert subjects(bystander) == [] and subjects(user) == []
    assert [m.to for m in mail.outbox] == [[other_user.email]]


def test_draft_chapters_notify_only_when_posted(user, other_user, commit):
    work = make_work(user, expected_chapters=None)
    subscription_create(user=other_user, work=work)
    with commit():
        chapter = add_chapter(user, work, post=False)
    assert not Notice.objects.exists()
    with commit():
        chapter_update(
            user=user,
            chapter=chapter,
            data=ChapterInput(title="Second", text="More boats.", text_format="plain"),
            post=True,
        )
    assert subjects(other_user) == [f"New chapter of {work.title}"]
    with commit():  # editing a posted chapter again is not news
        chapter_update(
            user=user,
            chapter=chapter,
            data=ChapterInput(title="Second", text="Even more.", text_format="plain"),
            post=True,
        )
    assert Notice.objects.count() == 1


def test_no_notice_for_hidden_works_even_if_queued(user, other_user, commit):
    work = make_work(user, expected_chapters=None)
    subscription_create(user=other_user, work=work)
    with commit():
        add_chapter(user, work)
        Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert not Notice.objects.exists()


def test_creator_subscribers_hear_of_posted_works_never_of_drafts(user, other_user, commit):
    subscription_create(user=other_user, creator=user)
    with commit():
        draft = make_work(user, post=False, title="Quiet Draft")
    assert not Notice.objects.exists()
    with commit():
        work_post(user=user, work=draft)
    with commit():
        make_work(user, title="Loud Work")
    assert subjects(other_user) == ["New work: Loud Work", "New work: Quiet Draft"]


def test_creator_subscription_covers_every_pseud_and_restricted_works(user, other_user, commit):
    from fanarchive.accounts.profile_services import pseud_create

    pseud = pseud_create(user=user, owner=user, name="Night Owl", description="")
    subscription_create(user=other_user, creator=user)
    with commit():
        make_work(user, title="Owl Hours", pseud_ids=[pseud.pk], restricted=True)
    notice = Notice.objects.get()
    assert notice.recipient == other_user and "Night Owl" in notice.body


def test_series_subscribers_hear_of_new_parts(user, other_user, commit):
    first = make_work(user, title="Part One")
    series = series_create(user=user, title="The Long Voyage")
    series_work_add(user=user, work=first, series=series)
    subscription_create(user=other_user, series=series)
    with commit():
        second = make_work(user, title="Part Two")
    assert subjects(other_user) == []
    with commit():
        series_work_add(user=user, work=second, series=series)
    assert subjects(other_user) == ["New work in The Long Voyage: Part Two"]
    with commit():  # posted and added at once: still one notice
        fourth = make_work(user, title="Part Four")
        series_work_add(user=user, work=fourth, series=series)
    assert subjects(other_user) == [
        "New work in The Long Voyage: Part Four",
        "New work in The Long Voyage: Part Two",
    ]
    with commit():  # a draft added to the series is news only once it is posted
        draft = make_work(user, post=False, title="Part Three")
        series_work_add(user=user, work=draft, series=series)
    assert len(subjects(other_user)) == 2
    with commit():
        work_post(user=user, work=draft)
    assert "New work: Part Three" in subjects(other_user)
    assert len(subjects(other_user)) == 3


def test_one_notice_when_subscribed_to_both_creator_and_series(user, other_user, commit):
    series = series_create(user=user, title="Saga")
    series_work_add(user=user, work=make_work(user), series=series)
    subscription_create(user=other_user, creator=user)
    draft = make_work(user, post=False)
    series_work_add(user=user, work=draft, series=series)
    subscription_create(user=other_user, series=series)
    with commit():
        work_post(user=user, work=draft)
    assert Notice.objects.filter(recipient=other_user).count() == 1


def test_a_series_of_drafts_cannot_be_subscribed_to(user, other_user):
    series = series_create(user=user, title="Unseen")
    series_work_add(user=user, work=make_work(user, post=False), series=series)
    with pytest.raises(Http404):
        subscription_create(user=other_user, series=series)


def test_the_catalogue_seam_is_untouched_by_subscriptions(user, other_user):
    # Subscribing changes no count the catalogue sorts by.
    work = make_work(user)
    with transaction.atomic():
        before = CatalogueChange.objects.count()
        subscription_create(user=other_user, work=work)
    assert CatalogueChange.objects.count() == before


def test_posting_without_subscribers_queues_no_task(user, django_capture_on_commit_callbacks):
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(user, expected_chapters=None)
        add_chapter(user, work)
        series_work_add(user=user, work=work, series=series_create(user=user, title="S"))
    assert not DBTaskResult.objects.exists()
