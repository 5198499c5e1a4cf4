"""`retrying_task`: failures are logged and retried with backoff, then given up on."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from fanarchive.core.tasks import ATTEMPT_KWARG, backoff_delay, retrying_task
from fanarchive.core.testing import run_due_tasks
from fanarchive.core.tests import tasks_for_tests

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
