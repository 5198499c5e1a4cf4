"""The background worker: which command runs the tasks, and a supervisor that keeps one
running beside the web server.

`fanarchive worker` runs django-tasks' `db_worker` (tasks queued in the database, the
default) or django-rq's `rqworker` (when REDIS_URL is set), as `TASKS` says.
`fanarchive serve` starts gunicorn with `gunicorn_conf`, whose hooks run a
`WorkerSupervisor` in gunicorn's master process: it starts `fanarchive worker` as a
child, restarts it with backoff when it dies, logs each exit on `fanarchive.tasks`,
and stops it when gunicorn stops. So `make run` needs no second command, and Ctrl-C
(which reaches the whole process group) stops both.

Workers that die mid-task: on the database queue each `fanarchive worker` holds a lock
file (`WorkerLock`, under DATA_DIR/workers/) for as long as its process lives, named by
its worker id (host, pid and a random part), which django-tasks records on the tasks it
claims. The kernel drops the lock when the process dies, however it dies, so any process
on the machine can tell a dead worker from a busy one (`worker_alive`). Each worker
looks for the tasks of dead workers when it starts and then every `SWEEP_SECONDS`
(`AbandonedTaskSweeper`, `abandoned_tasks`). On RQ, the worker class `RetryingWorker`
(`core.rq_worker`) does the same for RQ's abandoned jobs.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from django.conf import settings
from django.db import connections

logger = logging.getLogger("fanarchive.tasks")

RQ_BACKEND = "django_tasks_rq.RQBackend"
RQ_JOB_CLASS = "django_tasks_rq.backend.Job"
RQ_WORKER_CLASS = "fanarchive.core.rq_worker.RetryingWorker"
# How often a running database worker looks for the tasks of dead workers.
SWEEP_SECONDS = 60.0
# What a worker id may be made of (django-tasks allows 64 characters): it names a file.
WORKER_ID = re.compile(r"[A-Za-z0-9-][A-Za-z0-9.-]{0,63}")


def uses_rq() -> bool:
    return bool(settings.TASKS["default"]["BACKEND"] == RQ_BACKEND)


def worker_command(
    *, batch: bool = False, interval: float = 1.0, worker_id: str | None = None
) -> tuple[str, list[str]]:
    """The management command and arguments that run the configured backend's worker."""
    if uses_rq():
        args = ["--job-class", RQ_JOB_CLASS, "--worker-class", RQ_WORKER_CLASS, "--with-scheduler"]
        if batch:
            args.append("--burst")
        return "rqworker", [*args, *settings.TASKS["default"].get("QUEUES", ["default"])]
    args = ["--queue-name", "*", "--interval", str(interval), "--no-reload"]
    if worker_id is not None:
        args += ["--worker-id", worker_id]
    if batch:
        args += ["--batch", "--no-startup-delay"]
    return "db_worker", args


# -- telling a dead worker from a busy one (the database queue) -------------------------------


def new_worker_id() -> str:
    """This process's worker id: host, process id and a random part, as "host.1234.9f2c1a0b"."""
    host = re.sub(r"[^A-Za-z0-9-]+", "-", socket.gethostname()).strip("-")[:40] or "host"
    return f"{host}.{os.getpid()}.{secrets.token_hex(4)}"


def worker_lock_dir() -> Path:
    return Path(settings.DATA_DIR) / "workers"


class WorkerLock:
    """The lock file a worker holds for as long as its process lives."""

    def __init__(self, directory: Path, worker_id: str) -> None:
        if not WORKER_ID.fullmatch(worker_id):
            raise ValueError(f"not a worker id: {worker_id!r}")
        self.directory = directory
        self.worker_id = worker_id
        self.path = directory / f"{worker_id}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        # Locked before it has its name, so nobody ever finds it unlocked while we live.
        draft = self.directory / f".{self.worker_id}.draft"
        fd = os.open(draft, os.O_CREAT | os.O_WRONLY, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        os.rename(draft, self.path)
        self._fd = fd

    def release(self) -> None:
        if self._fd is None:
            return
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()
        os.close(self._fd)
        self._fd = None


def _lock_is_free(path: Path) -> bool | None:
    """Whether nobody holds the lock at `path` (None: there is no such file)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)  # also lets go of the lock if we took it
    return True


def worker_alive(directory: Path, worker_id: str) -> bool | None:
    """True while the worker's process lives, False once it has died, None when this
    machine knows nothing of it (another machine's worker, or not one of ours)."""
    if not WORKER_ID.fullmatch(worker_id):
        return None
    free = _lock_is_free(directory / f"{worker_id}.lock")
    return None if free is None else not free


def forget_dead_workers(directory: Path) -> None:
    """Remove the lock files of dead workers (their tasks were seen to first)."""
    for path in directory.glob("*.lock"):
        try:
            fd = os.open(path, os.O_RDONLY)
        except FileNotFoundError:  # another worker forgot it first
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            continue  # alive
        else:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        finally:
            os.close(fd)


class PeriodicThread:
    """Calls `chore` every `every` seconds in a thread of the worker's process."""

    def __init__(
        self, chore: Callable[[], object], *, every: float, name: str, failure: str
    ) -> None:
        self.chore = chore
        self.every = every
        self.name = name
        self.failure = failure
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stopping.wait(self.every):
            try:
                self.chore()
            except Exception:
                logger.exception(self.failure)
            finally:
                connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(self.every + 10)


class AbandonedTaskSweeper(PeriodicThread):
    """Looks for the tasks of dead workers every `every` seconds (the database queue)."""

    def __init__(self, sweep: Callable[[], int], *, every: float = SWEEP_SECONDS) -> None:
        super().__init__(
            sweep,
            every=every,
            name="task-sweeper",
            failure="Looking for abandoned tasks failed; trying again later",
        )


# What every running worker process does now and then for its host, besides tasks (each
# host runs its own worker, whatever the queue): registered by the apps above core, as the
# catalogue's checkpoint is (`discovery.index.live.checkpoint_and_prune`).
_chores: list[tuple[Callable[[], object], float, str]] = []


def while_working(chore: Callable[[], object], *, every: float, what: str) -> None:
    """Run `chore()` every `every` seconds in each running `fanarchive worker`."""
    if all(existing is not chore for existing, _, _ in _chores):
        _chores.append((chore, every, what))


def host_chores() -> list[PeriodicThread]:
    """A thread (not started) for each registered chore."""
    return [
        PeriodicThread(
            chore,
            every=every,
            name=f"chore-{getattr(chore, '__name__', 'chore')}",
            failure=f"{what} failed; trying again later",
        )
        for chore, every, what in _chores
    ]


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
