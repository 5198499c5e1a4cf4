"""Hits: one per visitor per work per day, buffered, flushed by a background task."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.test import Client, override_settings
from django.utils import timezone

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement import hit_services
from fanarchive.engagement.hit_flush_services import hits_flush
from fanarchive.engagement.hit_services import hit_record
from fanarchive.engagement.models import HitMark, WorkHitCount
from fanarchive.engagement.tasks import hits_flush_task
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def hits(work: Work) -> int:
    row = WorkHitCount.objects.filter(work=work).first()
    return row.hits if row else 0


@override_settings(TASKS=DUMMY)
def test_one_hit_per_visitor_per_day_whichever_chapter(client: Client, user):
    work = make_work(user, chapters=2)
    first, second = work.chapters.order_by("position")
    client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.1")
    client.get(first.get_absolute_url(), REMOTE_ADDR="192.0.2.1")
    client.get(second.get_absolute_url(), REMOTE_ADDR="192.0.2.1")
    client.get(second.get_absolute_url(), REMOTE_ADDR="192.0.2.2")
    reader = make_user("hit_reader")
    client.force_login(reader)
    client.get(second.get_absolute_url(), REMOTE_ADDR="192.0.2.1")
    client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.3")
    assert hits(work) == 0  # buffered: nothing counted while pages are served
    assert HitMark.objects.filter(work=work).count() == 3
    assert hits_flush() == 3
    assert hits(work) == 3
    # The flush is idempotent: nothing new, nothing added.
    assert hits_flush() == 0 and hits(work) == 3


@override_settings(TASKS=DUMMY)
def test_no_hits_for_creators_drafts_or_hidden_works(client: Client, user):
    work = make_work(user)
    client.force_login(user)
    client.get(work.get_absolute_url())
    draft = make_work(user, post=False)
    client.get(draft.get_absolute_url())
    hidden = make_work(make_user("hidden_writer"))
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    hidden.refresh_from_db()
    assert not hit_record(work=hidden, user=None, visitor="g-someone")
    assert not hit_record(work=draft, user=None, visitor="g-someone")
    assert not HitMark.objects.exists()
    assert hits_flush() == 0


def test_a_new_day_counts_again(user):
    work = make_work(user)
    hit_record(work=work, user=None, visitor="gabc")
    tomorrow = timezone.now() + timedelta(days=1)
    with mock.patch.object(timezone, "now", return_value=tomorrow):
        hit_record(work=work, user=None, visitor="gabc")
        hit_record(work=work, user=None, visitor="gabc")
        assert hits_flush() == 2
        # Counted marks of past days are pruned; today's keep visits unique.
        assert list(HitMark.objects.values_list("day", flat=True)) == [tomorrow.date()]
    assert hits(work) == 2


def test_reading_queues_the_flush_at_most_once_per_interval(client: Client, user):
    work = make_work(user)
    with (
        override_settings(TASKS=DUMMY),
        mock.patch("fanarchive.engagement.hit_services._enqueue_flush") as enqueue,
    ):
        with django_capture_on_commit():
            client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.1")
            client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.2")
        assert enqueue.call_count == 1
        # Another process (its own memory) still finds the flush recently queued.
        hit_services._last_queued = 0.0
        assert not hit_services.hits_flush_schedule()
        assert enqueue.call_count == 1


def django_capture_on_commit():
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_enqueued_flush_runs_with_the_immediate_backend(client: Client, user, settings):
    settings.TASKS = IMMEDIATE
    work = make_work(user)
    with django_capture_on_commit():
        client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.9")
    assert hits(work) == 1
    page = client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.9").content.decode()
    assert '<dt class="hits">Hits</dt><dd class="hits">1</dd>' in page


def test_flush_task_function_and_deferred_enqueue(user, settings):
    settings.TASKS = DUMMY
    work = make_work(user)
    hit_record(work=work, user=None, visitor="gone")
    assert hits_flush_task.call() == 1
    assert hits(work) == 1
    with django_capture_on_commit():
        hit_services._enqueue_flush()
    from django_tasks import default_task_backend

    queued = default_task_backend.results  # type: ignore[attr-defined]
    assert queued and queued[-1].task.run_after is not None


def test_a_queue_that_is_down_does_not_break_reading(client: Client, user, caplog):
    work = make_work(user)
    with (
        mock.patch("fanarchive.engagement.tasks.hits_flush_task") as task,
        override_settings(TASKS=IMMEDIATE),
        django_capture_on_commit(),
    ):
        task.get_backend.return_value.supports_defer = False
        task.enqueue.side_effect = ConnectionError("the queue is down")
        response = client.get(work.get_absolute_url(), REMOTE_ADDR="192.0.2.77")
    assert task.enqueue.called
    assert response.status_code == 200
    assert "Could not queue the hit flush" in caplog.text
    assert HitMark.objects.filter(work=work).count() == 1
    assert hits_flush() == 1
