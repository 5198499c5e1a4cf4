"""Background tasks that retry: every project task is declared with `retrying_task`.

django-tasks runs a task once; the database backend never retries. A task declared with
`@retrying_task()` logs a failure on the `fanarchive.tasks` logger and queues itself
again with exponential backoff (`run_after`), up to `max_attempts` runs in all; the last
failure is logged as final. The failed run itself still raises, so the backend records
it as failed too. A run whose worker died is retried by the same policy
(`abandoned_tasks`). Tasks must therefore be idempotent (each of ours is): a task may
run again after a run that did its work but died before it was recorded.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import Task

logger = logging.getLogger("fanarchive.tasks")

T = TypeVar("T")

ATTEMPT_KWARG = "_attempt"
DEFAULT_MAX_ATTEMPTS = 5
DEFAULT_BACKOFF = timedelta(seconds=30)


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int
    backoff: timedelta


# The policy of each task declared with `retrying_task`, by its module path.
_POLICIES: dict[str, RetryPolicy] = {}


def retry_policy_of(declared: Task[..., Any]) -> RetryPolicy | None:
    """How `declared` retries; None for a task not declared with `retrying_task`."""
    return _POLICIES.get(declared.module_path)


def attempt_of(kwargs: dict[str, Any]) -> int:
    """Which attempt the run with these keyword arguments is (the first has none)."""
    return int(kwargs.get(ATTEMPT_KWARG, 1))


def backoff_delay(attempt: int, base: timedelta = DEFAULT_BACKOFF) -> timedelta:
    """How long to wait before attempt `attempt + 1`: base, 2x, 4x... capped at a day."""
    factor: int = 2 ** (attempt - 1)  # attempt >= 1; typeshed types int ** int as Any
    return min(base * factor, timedelta(days=1))


def retry_later(
    declared: Task[..., Any],
    args: Sequence[Any],
    kwargs: dict[str, Any],
    *,
    attempt: int,
    policy: RetryPolicy,
    queue_name: str | None = None,
) -> timedelta:
    """Queue attempt `attempt + 1` of `declared` after the policy's backoff; the delay."""
    delay = backoff_delay(attempt, policy.backoff)
    # No delay: queued as due now, so it needs no scheduler (RQ's may be down a while).
    run_after = timezone.now() + delay if delay > timedelta(0) else None
    declared.using(run_after=run_after, queue_name=queue_name).enqueue(
        *args, **{**kwargs, ATTEMPT_KWARG: attempt + 1}
    )
    return delay


def retrying_task(
    *, max_attempts: int = DEFAULT_MAX_ATTEMPTS, backoff: timedelta = DEFAULT_BACKOFF
) -> Callable[[Callable[..., T]], Task[..., T | None]]:
    """Declare a django-tasks task that retries on failure (see the module's docstring)."""
    if max_attempts < 1:
        raise ValueError("max_attempts must be 1 or more")
    policy = RetryPolicy(max_attempts=max_attempts, backoff=backoff)

    def decorate(func: Callable[..., T]) -> Task[..., T | None]:
        name = f"{func.__module__}.{func.__qualname__}"

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> T | None:
            attempt = int(kwargs.pop(ATTEMPT_KWARG, 1))
            try:
                return func(*args, **kwargs)
            except Exception:
                if attempt >= max_attempts:
                    logger.exception(
                        "Task %s failed for good after %d attempts (args=%r kwargs=%r)",
                        name,
                        attempt,
                        args,
                        kwargs,
                    )
                    raise
                delay = retry_later(declared, args, kwargs, attempt=attempt, policy=policy)
                logger.exception(
                    "Task %s failed (attempt %d of %d); retrying in %d s",
                    name,
                    attempt,
                    max_attempts,
                    delay.total_seconds(),
                )
                raise

        declared: Task[..., T | None] = task(run)
        _POLICIES[declared.module_path] = policy
        return declared

    return decorate


class QueuedOnceAhead:
    """Queues a task `delay` ahead when the current transaction commits, and no more than
    once per `delay` from this process: every commit in between comes before the run
    already queued. For tasks that work through everything pending (the saved-filter
    alerts, the search documents' catch-up), so a burst of changes queues one run."""

    def __init__(self, declared: Task[..., Any], delay: timedelta) -> None:
        self.declared = declared
        self.delay = delay
        self._lock = threading.Lock()
        self._queued_at = float("-inf")

    def on_commit(self) -> None:
        """Queue a run once this transaction commits (none if it rolls back)."""
        transaction.on_commit(self._enqueue, robust=True)

    def _enqueue(self) -> None:
        now = time.monotonic()
        with self._lock:
            if now - self._queued_at < self.delay.total_seconds():
                return  # the run already queued starts after this commit
            self._queued_at = now
        self.declared.using(run_after=timezone.now() + self.delay).enqueue()

    def forget(self) -> None:
        """Let the next commit queue a run at once (tests)."""
        with self._lock:
            self._queued_at = float("-inf")
