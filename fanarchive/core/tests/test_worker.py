"""The background worker: the command it runs, and the supervisor under `fanarchive serve`."""

from __future__ import annotations

import logging
import sys
import time
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanarchive.core import worker as worker_module
from fanarchive.core.worker import WorkerSupervisor, worker_command, worker_process_argv


def test_the_database_backend_runs_db_worker_on_every_queue() -> None:
    name, argv = worker_command()
    assert name == "db_worker"
    assert argv[argv.index("--queue-name") + 1] == "*"
    assert "--batch" not in argv and "--no-reload" in argv
    name, argv = worker_command(batch=True, interval=0.5)
    assert "--batch" in argv and argv[argv.index("--interval") + 1] == "0.5"


def test_redis_runs_rqworker_with_the_scheduler_for_delayed_tasks(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    name, argv = worker_command()
    assert name == "rqworker"
    assert "--with-scheduler" in argv and argv[-1] == "default"
    assert argv[argv.index("--job-class") + 1] == "django_tasks_rq.backend.Job"
    assert "--burst" in worker_command(batch=True)[1]


def test_the_worker_command_hands_over_to_the_configured_worker(monkeypatch) -> None:
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

    gunicorn_conf.when_ready(Server)
    supervisor = gunicorn_conf._supervisor
    assert supervisor is not None
    wait_until(lambda: supervisor.process is not None)
    gunicorn_conf.on_exit(Server)
    assert supervisor.process is not None and supervisor.process.poll() is not None
    assert Server.log.messages == [
        "Started the background task worker",
        "Stopped the background task worker",
    ]
    assert worker_module.logger.name == "fanarchive.tasks"
