"""The background worker: which command runs the tasks, and a supervisor that keeps one
running beside the web server.

`fanarchive worker` runs django-tasks' `db_worker` (tasks queued in the database, the
default) or django-rq's `rqworker` (when REDIS_URL is set), as `TASKS` says.
`fanarchive serve` starts gunicorn with `gunicorn_conf`, whose hooks run a
`WorkerSupervisor` in gunicorn's master process: it starts `fanarchive worker` as a
child, restarts it with backoff when it dies, logs each exit on `fanarchive.tasks`,
and stops it when gunicorn stops. So `make run` needs no second command, and Ctrl-C
(which reaches the whole process group) stops both.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from django.conf import settings

logger = logging.getLogger("fanarchive.tasks")

RQ_BACKEND = "django_tasks_rq.RQBackend"
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"


def uses_rq() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == RQ_BACKEND)


def worker_command(*, batch: bool = False, interval: float = 1.0) -> tuple[str, list[str]]:
    """The management command and arguments that run the configured backend's worker."""
    if uses_rq():
        args = ["--job-class", RQ_JOB_CLASS, "--with-scheduler"]
        if batch:
            args.append("--burst")
        return "rqworker", [*args, *settings.TASKS["default"].get("QUEUES", ["default"])]
    args = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
    if batch:
        args += ["--batch", "--no-startup-delay"]
    return "db_worker", args


def worker_process_argv() -> list[str]:
    """`fanarchive worker` with this very Python, so it runs from the same virtualenv."""
    return [sys.executable, "-m", "fanarchive.cli", "worker"]


class WorkerSupervisor:
    """Keeps one worker process running; restarts it with backoff when it exits."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        first_delay: float = 1.0,
        max_delay: float = 60.0,
        healthy_after: float = 60.0,
    ) -> None:
        self.argv = list(argv)
        self.first_delay = first_delay
        self.max_delay = max_delay
        self.healthy_after = healthy_after
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="task-worker", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        delay = self.first_delay
        while not self._stopping.is_set():
            started = time.monotonic()
            self.process = subprocess.Popen(self.argv)  # noqa: S603 - our own command
            logger.info("Started the task worker (pid %s)", self.process.pid)
            code = self.process.wait()
            if self._stopping.is_set():
                break
            if code == 0:
                # A worker exits 0 only when told to (Ctrl-C reaches the whole process
                # group, or someone stopped it): that is not a crash to undo.
                logger.warning("The task worker (pid %s) stopped", self.process.pid)
                break
            if time.monotonic() - started > self.healthy_after:
                delay = self.first_delay  # it ran for a while: start again quickly
            logger.error(
                "The task worker (pid %s) exited with code %s; restarting in %.0f s",
                self.process.pid,
                code,
                delay,
            )
            self.restarts += 1
            if self._stopping.wait(delay):
                break
            delay = min(delay * 2, self.max_delay)

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the worker (SIGTERM, then SIGKILL after `timeout`) and the supervising thread."""
        self._stopping.set()
        process = self.process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout)
