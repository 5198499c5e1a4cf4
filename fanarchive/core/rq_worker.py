"""RQ's worker, retrying jobs whose worker or work horse died (`core.abandoned_tasks`).

RQ runs each job in a forked "work horse". When the horse dies (killed by the kernel
for memory, say) the worker notices and fails the job; when the whole worker dies, the
job stays "started" until its heartbeat runs out (90 seconds), and then the clean-up of
a worker (when it starts, then every 10 minutes) calls it abandoned and fails it. RQ
retries neither. `RetryingWorker` (run by `fanarchive worker`: `worker_command`) queues
the next attempt in both cases, by the task's retry policy.
"""

from __future__ import annotations

import logging
from types import TracebackType
from typing import Any

from rq import Worker
from rq.exceptions import AbandonedJobError
from rq.job import Job

from fanarchive.core.abandoned_tasks import abandoned_task_retry, declared_task

logger = logging.getLogger("fanarchive.tasks")


def job_retry(job: Job, *, why: str) -> bool:
    """Queue the next attempt of `job`'s task, if its retry policy allows."""
    try:
        name = str(job.func_name)
        args, kwargs = list(job.args), dict(job.kwargs)
    except Exception:  # an undecodable job: nothing to run again
        logger.exception("Job %s was abandoned (%s) and cannot be read: given up", job.id, why)
        return False
    return abandoned_task_retry(
        declared_task(name), args, kwargs, name=name, why=why, queue_name=job.origin
    )


def abandoned_job_handler(
    job: Job,
    exc_type: type[BaseException] | None,
    exc_value: BaseException | None,
    traceback: TracebackType | None,
) -> bool:
    """RQ's exception handler: retry a job its clean-up found abandoned. A job that raised
    was retried by the task itself (`retrying_task`), so that is left alone."""
    if exc_type is not None and issubclass(exc_type, AbandonedJobError):
        worker = f"its worker {job.worker_name}" if job.worker_name else "its worker"
        job_retry(job, why=f"{worker} died")
    return True  # and on to the next handler


class RetryingWorker(Worker):
    """RQ's forking worker, which retries jobs whose worker or work horse died."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.push_exc_handler(abandoned_job_handler)  # type: ignore[no-untyped-call]

    def handle_work_horse_killed(self, job: Job, retpid: int, ret_val: int, rusage: Any) -> None:
        super().handle_work_horse_killed(job, retpid, ret_val, rusage)  # type: ignore[no-untyped-call]
        job_retry(job, why=f"its work horse died (wait status {ret_val})")
