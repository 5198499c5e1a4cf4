"""Tasks used only by the tests of tasks (django-tasks needs module-level functions)."""

from __future__ import annotations

import os
import time
from datetime import timedelta
from pathlib import Path

from django_tasks import task

from fanarchive.core.tasks import retrying_task

calls: list[str] = []


@retrying_task(max_attempts=3, backoff=timedelta(seconds=10))
def flaky(label: str, failures: int) -> str:
    """Fails its first `failures` runs (counted per label), then succeeds."""
    calls.append(label)
    if calls.count(label) <= failures:
        raise RuntimeError(f"{label} failed on run {calls.count(label)}")
    return f"{label} done"


@retrying_task(max_attempts=3, backoff=timedelta(0))
def stall_first_run(marks: str) -> str:
    """Its first run writes its pid to MARKS/started and hangs (until its worker is
    killed); a later run writes MARKS/done. Used by test_worker_deaths.py."""
    folder = Path(marks)
    started = folder / "started"
    if not started.exists():
        started.write_text(str(os.getpid()))
        time.sleep(600)
        return "woke up"
    (folder / "done").write_text(str(os.getpid()))
    return "done"


@task()
def once(label: str) -> str:
    """A plain django-tasks task, which does not retry."""
    return f"{label} rung"


@task()
def pending_work() -> str:
    """A task that works through whatever is pending (what `QueuedOnceAhead` queues)."""
    return "worked through"
