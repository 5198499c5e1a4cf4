"""The background worker: the command it runs, and the supervisor under `fanarchive serve`."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from fanarchive.core import worker as worker_module
from fanarchive.core.tests import tasks_for_tests
from fanarchive.core.worker import (
    AbandonedTaskSweeper,
    WorkerLock,
    WorkerSupervisor,
    forget_dead_workers,
    new_worker_id,
    worker_alive,
    worker_command,
    worker_process_argv,
)


def test_the_database_backend_runs_db_worker_on_every_queue() -> None:
    name, argv = worker_command(worker_id="harbour-host.9.cafe")
    assert name == "db_worker"
    assert argv[argv.index("--queue-name") + 1] == "*"
    assert argv[argv.index("--worker-id") + 1] == "harbour-host.9.cafe"
    assert "--batch" not in argv and "--no-reload" in argv
    name, argv = worker_command(batch=True, interval=0.5)
    assert "--batch" in argv and argv[argv.index("--interval") + 1] == "0.5"


def test_redis_runs_rqworker_with_the_scheduler_for_delayed_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    name, argv = worker_command()
    assert name == "rqworker"
    assert "--with-scheduler" in argv and argv[-1] == "default"
    assert argv[argv.index("--job-class") + 1] == "django_tasks_rq.backend.Job"
    # The worker class that retries jobs whose worker or work horse died.
    assert argv[argv.index("--worker-class") + 1] == "fanarchive.core.rq_worker.RetryingWorker"
    assert "--burst" in worker_command(batch=True)[1]


@pytest.mark.django_db
def test_the_worker_command_hands_over_to_the_configured_worker(
    monkeypatch, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path  # where its lock goes
    calls: list[tuple[str, tuple[str, ...]]] = []
    monkeypatch.setattr(
        "fanarchive.core.management.commands.worker.call_command",
        lambda name, *args, **kwargs: calls.append((name, args)),
    )
    call_command("worker", "--batch")
    [(name, args)] = calls
    assert name == "db_worker" and "--batch" in args
    with pytest.raises(CommandError):
        call_command("worker", "--interval", "-1")


def test_the_worker_process_is_fanarchive_worker_from_this_python() -> None:
    assert worker_process_argv() == [sys.executable, "-m", "fanarchive.cli", "worker"]


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_crashing_worker_is_restarted_with_backoff_and_logged(caplog) -> None:
    supervisor = WorkerSupervisor(
        [sys.executable, "-c", "import sys; sys.exit(3)"], first_delay=0.05, max_delay=0.2
    )
    with caplog.at_level(logging.INFO, logger="fanarchive.tasks"):
        supervisor.start()
        try:
            wait_until(lambda: supervisor.restarts >= 3)
        finally:
            supervisor.stop()
    crashes = [r for r in caplog.records if "exited with code 3; restarting" in r.getMessage()]
    assert len(crashes) >= 3
    assert all(r.levelno == logging.ERROR for r in crashes)


def test_a_worker_told_to_stop_is_not_restarted(caplog) -> None:
    supervisor = WorkerSupervisor([sys.executable, "-c", "pass"], first_delay=0.05)
    with caplog.at_level(logging.INFO, logger="fanarchive.tasks"):
        supervisor.start()
        wait_until(lambda: any("stopped" in r.getMessage() for r in caplog.records))
        time.sleep(0.2)
        supervisor.stop()
    assert supervisor.restarts == 0


def test_stopping_the_supervisor_stops_a_running_worker() -> None:
    supervisor = WorkerSupervisor([sys.executable, "-c", "import time; time.sleep(60)"])
    supervisor.start()
    wait_until(lambda: supervisor.process is not None)
    process = supervisor.process
    assert process is not None
    supervisor.stop(timeout=10)
    assert process.poll() is not None
    assert supervisor.restarts == 0


def test_the_gunicorn_hooks_start_and_stop_one_supervisor(monkeypatch) -> None:
    from fanarchive.core import gunicorn_conf

    prepared: list[bool] = []
    monkeypatch.setattr(gunicorn_conf, "prepare_before_fork", lambda: prepared.append(True))
    monkeypatch.setattr(
        gunicorn_conf,
        "worker_process_argv",
        lambda: [sys.executable, "-c", "import time; time.sleep(60)"],
    )

    class Server:
        class log:
            messages: list[str] = []

            @classmethod
            def info(cls, message: str) -> None:
                cls.messages.append(message)

    gunicorn_conf.on_starting(Server)
    gunicorn_conf.when_ready(Server)
    supervisor = gunicorn_conf._supervisor
    assert supervisor is not None
    wait_until(lambda: supervisor.process is not None)
    gunicorn_conf.on_exit(Server)
    assert supervisor.process is not None and supervisor.process.poll() is not None
    assert prepared == [True]
    assert Server.log.messages[0] == "Loading what the workers share (the catalogue index)…"
    assert Server.log.messages[1].endswith("opening the port")
    assert Server.log.messages[2:] == [
        "Started the background task worker",
        "Stopped the background task worker",
    ]
    assert worker_module.logger.name == "fanarchive.tasks"


# -- telling a dead worker from a busy one ---------------------------------------------------

HOLD_A_LOCK = """
import sys, time
from pathlib import Path
import django
django.setup()
from fanarchive.core.worker import WorkerLock
WorkerLock(Path(sys.argv[1]), sys.argv[2]).acquire()
print("locked", flush=True)
time.sleep(60)
"""


def test_a_worker_s_lock_tells_a_live_worker_from_a_dead_one(tmp_path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_A_LOCK, str(tmp_path), "harbour-host.1.cafe"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        assert worker_alive(tmp_path, "harbour-host.1.cafe") is True
    finally:
        holder.kill()  # SIGKILL: the process says nothing, the kernel drops its lock
        holder.wait()
    assert worker_alive(tmp_path, "harbour-host.1.cafe") is False
    # A worker this machine never ran (another host's, or a plain db_worker) is unknown.
    assert worker_alive(tmp_path, "elsewhere.7.beef") is None
    for hostile in ("../secret_key", "", ".hidden", "a/b", "x" * 300):
        assert worker_alive(tmp_path, hostile) is None
    forget_dead_workers(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_worker_forgets_the_dead_but_not_the_living(tmp_path) -> None:
    mine = WorkerLock(tmp_path, new_worker_id())
    mine.acquire()
    (tmp_path / "harbour-host.2.dead.lock").write_text("")
    forget_dead_workers(tmp_path)
    assert [p.name for p in tmp_path.iterdir()] == [f"{mine.worker_id}.lock"]
    assert worker_alive(tmp_path, mine.worker_id) is True  # even asked from its own process
    mine.release()
    assert list(tmp_path.iterdir()) == []


def test_worker_ids_name_the_host_and_process_and_are_unique() -> None:
    first, second = new_worker_id(), new_worker_id()
    assert first != second and len(first) <= 64
    assert f".{os.getpid()}." in first
    assert re.fullmatch(r"[A-Za-z0-9.-]+", first)


@pytest.mark.django_db
def test_the_worker_command_retries_the_tasks_of_dead_workers_before_it_starts(
    monkeypatch, settings, tmp_path
) -> None:
    settings.DATA_DIR = tmp_path
    dead = "harbour-host.3.dead"
    (tmp_path / "workers").mkdir()
    (tmp_path / "workers" / f"{dead}.lock").write_text("")  # nobody holds it
    result = tasks_for_tests.flaky.enqueue("ropes", 0)
    DBTaskResult.objects.get(pk=result.id).claim(dead)
    seen: list[tuple[str, list[str]]] = []

    def db_worker(name: str, *args: str, **kwargs: Any) -> None:
        seen.append((name, list(args)))
        statuses = set(DBTaskResult.objects.values_list("status", flat=True))
        assert statuses == {"FAILED", "READY"}  # swept before it runs
        # While it runs, this worker's own lock is held.
        worker_id = args[args.index("--worker-id") + 1]
        assert worker_alive(tmp_path / "workers", worker_id) is True

    monkeypatch.setattr("fanarchive.core.management.commands.worker.call_command", db_worker)
    call_command("worker", "--batch")
    assert [name for name, _ in seen] == ["db_worker"]
    assert list((tmp_path / "workers").iterdir()) == []  # the dead one's and its own, gone


def test_the_sweeper_sweeps_every_so_often_and_survives_a_failed_sweep(caplog) -> None:
    sweeps: list[float] = []

    def sweep() -> int:
        sweeps.append(time.monotonic())
        if len(sweeps) == 2:
            raise RuntimeError("the database went away")
        return 0

    sweeper = AbandonedTaskSweeper(sweep, every=0.05)
    with caplog.at_level(logging.ERROR, logger="fanarchive.tasks"):
        sweeper.start()
        try:
            wait_until(lambda: len(sweeps) >= 4)
        finally:
            sweeper.stop()
    assert any("Looking for abandoned tasks failed" in r.getMessage() for r in caplog.records)
