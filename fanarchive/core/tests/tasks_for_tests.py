"""Tasks used only by test_tasks.py (django-tasks needs module-level functions)."""

from __future__ import annotations

from datetime import timedelta

from fanarchive.core.tasks import retrying_task

calls: list[str] = []


@retrying_task(max_attempts=3, backoff=timedelta(seconds=10))
def flaky(label: str, failures: int) -> str:
    """Fails its first `failures` runs (counted per label), then succeeds."""
    calls.append(label)
    if calls.count(label) <= failures:
        raise RuntimeError(f"{label} failed on run {calls.count(label)}")
    return f"{label} done"
