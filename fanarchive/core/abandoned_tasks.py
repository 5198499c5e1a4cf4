"""Tasks whose worker died mid-run are run again, by the retry policy (`core.tasks`).

A worker killed while it runs a task (the kernel's out-of-memory killer, a deploy's
SIGKILL, a power cut) records nothing. On the database queue the task stays RUNNING
for ever; RQ's clean-up moves such a job to its failed jobs, and nothing runs it again.
Either way a mail would never be sent. Here such a run counts as a failed attempt: it
is recorded as failed (`WorkerDied`) and the task is queued again as its next attempt,
after the policy's backoff, up to its `max_attempts` (then it is given up and logged,
as any final failure).

When is a RUNNING task on the database queue abandoned? When its worker is known dead
(its lock is free: `core.worker.worker_alive`), or, for a worker nobody here can ask
about (another machine's, a plain `db_worker`), when it has run longer than the lease
(`settings.TASK_LEASE`, a few minutes more than the longest task takes). A worker
known to be alive keeps its task however long it takes. RQ decides for itself (a job
whose worker's heartbeat stopped); `core.rq_worker` queues the next attempt.

A task may therefore run again after a run that did its work but died before it was
recorded: tasks must be idempotent (ours are; a mail marks its notices sent in the
transaction that sends it, so mail is sent at least once, and twice only when a worker
dies between the mail server's answer and that commit).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task, TaskResultStatus
from django_tasks_db.models import DBTaskResult

from fanarchive.core.tasks import ATTEMPT_KWARG, attempt_of, retry_later, retry_policy_of
from fanarchive.core.worker import forget_dead_workers, worker_alive, worker_lock_dir

logger = logging.getLogger("fanarchive.tasks")

# A worker's state as `core.worker.worker_alive` tells it: alive, dead, or unknown (None).
WorkerState = Callable[[str], bool | None]


class WorkerDied(Exception):
    """The worker running the task died before the task finished."""


def declared_task(task_path: str) -> Task[..., Any] | None:
    """The task a queued run names, or None when its code is gone."""
    try:
        found = import_string(task_path)
    except ImportError:
        return None
    return found if isinstance(found, Task) else None


def abandoned_task_retry(
    declared: Task[..., Any] | None,
    args: Sequence[Any],
    kwargs: dict[str, Any],
    *,
    name: str,
    why: str,
    queue_name: str | None = None,
) -> bool:
    """Queue the next attempt of a run that was abandoned (`why`), if the policy allows."""
    policy = retry_policy_of(declared) if declared is not None else None
    if declared is None or policy is None:
        logger.error("Task %s was abandoned (%s) and does not retry: given up", name, why)
        return False
    attempt = attempt_of(kwargs)
    if attempt >= policy.max_attempts:
        logger.error(
            "Task %s was abandoned (%s): given up after %d attempts (args=%r kwargs=%r)",
            name,
            why,
            attempt,
            args,
            kwargs,
        )
        return False
    rest = {key: value for key, value in kwargs.items() if key != ATTEMPT_KWARG}
    delay = retry_later(declared, args, rest, attempt=attempt, policy=policy, queue_name=queue_name)
    logger.warning(
        "Task %s was abandoned (%s) on attempt %d of %d; retrying in %d s",
        name,
        why,
        attempt,
        policy.max_attempts,
        delay.total_seconds(),
    )
    return True


def abandoned_db_tasks_retry(
    *, lease: timedelta, worker_alive: WorkerState, now: datetime | None = None
) -> int:
    """Fail the database queue's abandoned runs and queue their next attempts; how many."""
    now = now or timezone.now()
    handled = 0
    for run in DBTaskResult.objects.running().order_by("started_at"):
        worker = run.worker_ids[-1] if run.worker_ids else ""
        state = worker_alive(worker) if worker else None
        if state is True:
            continue
        if state is None:
            if run.started_at is not None and run.started_at > now - lease:
                continue
            why = f"it ran longer than the lease of {lease} and its worker {worker} is unknown"
        else:
            why = f"its worker {worker} died"
        if _run_abandon(run, why=why, now=now):
            handled += 1
    return handled


def _run_abandon(run: DBTaskResult[..., Any], *, why: str, now: datetime) -> bool:
    """Record `run` as failed and queue its next attempt, in one transaction; False when
    another sweeper or its own worker got there first."""
    with transaction.atomic():
        changed = DBTaskResult.objects.filter(pk=run.pk, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            return_value=None,
            exception_class_path=f"{WorkerDied.__module__}.{WorkerDied.__qualname__}",
            traceback=f"{WorkerDied.__name__}: {why}\n",
        )
        if not changed:
            return False
        abandoned_task_retry(
            declared_task(run.task_path),
            run.args_kwargs["args"],
            run.args_kwargs["kwargs"],
            name=run.task_path,
            why=why,
            queue_name=run.queue_name,
        )
    return True


def sweep_abandoned_tasks() -> int:
    """Retry the tasks of dead workers (and of unknown ones past the lease); how many."""
    directory = worker_lock_dir()
    handled = abandoned_db_tasks_retry(
        lease=settings.TASK_LEASE,
        worker_alive=lambda worker_id: worker_alive(directory, worker_id),
    )
    if directory.exists():
        forget_dead_workers(directory)
    return handled
