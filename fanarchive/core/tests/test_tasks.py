"""`retrying_task`: failures are logged and retried with backoff, then given up on; tasks
whose worker died are retried the same way."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fanarchive.core.abandoned_tasks import abandoned_db_tasks_retry
from fanarchive.core.tasks import ATTEMPT_KWARG, QueuedOnceAhead, backoff_delay, retrying_task
from fanarchive.core.testing import make_user, run_due_tasks
from fanarchive.core.tests import tasks_for_tests
from fanarchive.engagement.models import Notice
from fanarchive.engagement.notices import notify

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calls():
    tasks_for_tests.calls.clear()


def make_due() -> None:
    """Pretend the backoff has passed."""
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())


def test_backoff_doubles_and_is_capped():
    base = timedelta(seconds=30)
    assert [backoff_delay(n, base).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(40, base) == timedelta(days=1)


def test_max_attempts_must_be_positive():
    with pytest.raises(ValueError):
        retrying_task(max_attempts=0)


def test_a_failure_is_logged_and_retried_later_then_succeeds(caplog):
    tasks_for_tests.flaky.enqueue("boats", 1)
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        assert run_due_tasks() == 1
    assert tasks_for_tests.calls == ["boats"]
    failed = DBTaskResult.objects.get(status="FAILED")
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.args_kwargs["kwargs"] == {ATTEMPT_KWARG: 2}
    assert retry.run_after is not None
    assert timedelta(seconds=9) < retry.run_after - failed.enqueued_at < timedelta(seconds=11)
    [record] = [r for r in caplog.records if r.name == "fanarchive.tasks"]
    assert "failed (attempt 1 of 3); retrying in 10 s" in record.getMessage()
    assert record.exc_info is not None  # the traceback is in the log

    assert run_due_tasks() == 0  # not before the backoff
    make_due()
    assert run_due_tasks() == 1
    assert tasks_for_tests.calls == ["boats", "boats"]
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value == "boats done"
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_after_max_attempts_the_failure_is_final_and_logged(caplog):
    tasks_for_tests.flaky.enqueue("nets", 10)
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        for _ in range(5):
            make_due()
            run_due_tasks()
    assert tasks_for_tests.calls == ["nets", "nets", "nets"]  # max_attempts=3
    assert DBTaskResult.objects.filter(status="FAILED").count() == 3
    assert not DBTaskResult.objects.filter(status="READY").exists()
    messages = [r.getMessage() for r in caplog.records if r.name == "fanarchive.tasks"]
    assert messages[-1].startswith(
        "Task fanarchive.core.tests.tasks_for_tests.flaky failed for good after 3 attempts"
    )
    assert sum("retrying" in message for message in messages) == 2


def test_a_task_that_works_returns_its_value_without_retrying():
    assert tasks_for_tests.flaky.call("sails", 0) == "sails done"
    assert not DBTaskResult.objects.exists()


# -- tasks whose worker died ----------------------------------------------------------------

LEASE = timedelta(minutes=10)


def claimed(task, *args, worker: str = "harbour-host.4242.deadbeef", ago=timedelta(0), **kwargs):
    """A task queued and claimed by `worker` `ago` (which then, say, died)."""
    result = task.enqueue(*args, **kwargs)
    row = DBTaskResult.objects.get(pk=result.id)
    row.claim(worker)
    DBTaskResult.objects.filter(pk=row.pk).update(started_at=timezone.now() - ago)
    return row


def gone(worker_id: str) -> bool | None:
    return False


def unknown(worker_id: str) -> bool | None:
    return None


def alive(worker_id: str) -> bool | None:
    return True


def test_a_task_whose_worker_died_is_failed_and_queued_as_its_next_attempt(caplog):
    row = claimed(tasks_for_tests.flaky, "lamps", 0)
    with caplog.at_level(logging.WARNING, logger="fanarchive.tasks"):
        assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    row.refresh_from_db()
    assert row.status == "FAILED" and row.finished_at is not None
    assert row.exception_class_path == "fanarchive.core.abandoned_tasks.WorkerDied"
    assert "harbour-host.4242.deadbeef died" in row.traceback
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.task_path == row.task_path
    assert retry.args_kwargs == {"args": ["lamps", 0], "kwargs": {ATTEMPT_KWARG: 2}}
    # The retry policy's backoff, as after a failure (this task's is 10 s).
    assert timedelta(seconds=9) < retry.run_after - timezone.now() <= timedelta(seconds=10)
    [record] = [r for r in caplog.records if r.name == "fanarchive.tasks"]
    assert "was abandoned" in record.getMessage() and "attempt 1 of 3" in record.getMessage()
    make_due()
    assert run_due_tasks() == 1
    assert DBTaskResult.objects.get(pk=retry.pk).return_value == "lamps done"
    # Swept again: nothing left to do.
    assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 0


def test_a_worker_nobody_can_ask_about_gets_the_lease(caplog):
    fresh = claimed(tasks_for_tests.flaky, "fresh", 0, ago=LEASE - timedelta(seconds=5))
    stale = claimed(tasks_for_tests.flaky, "stale", 0, ago=LEASE + timedelta(seconds=5))
    assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=unknown) == 1
    fresh.refresh_from_db()
    stale.refresh_from_db()
    assert (fresh.status, stale.status) == ("RUNNING", "FAILED")
    assert "ran longer than the lease" in stale.traceback


def test_a_live_worker_keeps_its_task_however_long_it_runs():
    row = claimed(tasks_for_tests.flaky, "slow", 0, ago=LEASE * 3)
    assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=alive) == 0
    row.refresh_from_db()
    assert row.status == "RUNNING"
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_an_abandoned_last_attempt_is_given_up_and_logged(caplog):
    row = claimed(tasks_for_tests.flaky, "last", 0, _attempt=3)
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    [record] = [r for r in caplog.records if r.name == "fanarchive.tasks"]
    assert record.levelno == logging.ERROR
    assert "given up after 3 attempts" in record.getMessage()


def test_a_task_that_does_not_retry_is_failed_not_run_again(caplog):
    row = claimed(tasks_for_tests.once, "bell")
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert "does not retry" in caplog.records[-1].getMessage()


def test_a_task_whose_code_is_gone_is_failed(caplog):
    row = claimed(tasks_for_tests.flaky, "gone", 0)
    DBTaskResult.objects.filter(pk=row.pk).update(task_path="fanarchive.core.tests.nowhere.task")
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    row.refresh_from_db()
    assert row.status == "FAILED"
    assert not DBTaskResult.objects.filter(status="READY").exists()


def notice_for(reader) -> Notice:
    notify(
        recipients=[reader], kind="reply", subject="A reply by the harbour", body="Ahoy", url="/"
    )
    return Notice.objects.get(recipient=reader)


def test_a_mail_task_abandoned_before_sending_sends_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    reader = make_user("harbour_reader")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_for(reader)
    DBTaskResult.objects.get().claim("harbour-host.1.cafe")  # and its worker died at once
    assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    make_due()
    assert run_due_tasks() == 1
    assert [mail.subject for mail in mailoutbox] == ["[Fanarchive] A reply by the harbour"]
    notice.refresh_from_db()
    assert notice.emailed_at is not None


def test_a_mail_task_abandoned_after_sending_does_not_send_again(
    mailoutbox, django_capture_on_commit_callbacks
):
    reader = make_user("harbour_reader")
    with django_capture_on_commit_callbacks(execute=True):
        notice_for(reader)
    assert run_due_tasks() == 1
    assert len(mailoutbox) == 1
    # Its worker died after the mail went and its transaction committed, before it could
    # record the task's success: the task looks as if it were still running.
    DBTaskResult.objects.update(status="RUNNING", finished_at=None)
    assert abandoned_db_tasks_retry(lease=LEASE, worker_alive=gone) == 1
    make_due()
    assert run_due_tasks() == 1
    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.get(status="SUCCESSFUL").return_value is False


def test_queued_once_ahead_queues_one_run_per_delay_and_none_on_rollback(
    django_capture_on_commit_callbacks,
):
    queue = QueuedOnceAhead(tasks_for_tests.pending_work, timedelta(minutes=5))
    queued = DBTaskResult.objects.filter(task_path__endswith="pending_work")
    before = queued.count()
    with django_capture_on_commit_callbacks(execute=True):
        queue.on_commit()
        queue.on_commit()
    with django_capture_on_commit_callbacks(execute=True):
        queue.on_commit()  # a later commit, within the delay: the queued run reads it
    assert queued.count() == before + 1
    run = queued.order_by("-enqueued_at").first()
    assert run is not None and run.run_after is not None
    assert run.run_after > timezone.now() + timedelta(minutes=4)
    queue.forget()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        queue.on_commit()
        transaction.set_rollback(True)
    assert queued.count() == before + 1  # nothing committed, nothing queued
    with django_capture_on_commit_callbacks(execute=True):
        queue.on_commit()
    assert queued.count() == before + 2
