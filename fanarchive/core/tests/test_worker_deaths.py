"""A task whose worker is killed mid-run (SIGKILL: no goodbye) runs again and completes.

Real worker processes, really killed. On the database queue the test commits (a
transactional test), so `fanarchive worker` processes see the test database (as in
engagement/tests/test_worker_process.py); on Redis they use their own SQLite file.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from redis import Redis
from rq.job import Job, JobStatus
from rq.registry import FinishedJobRegistry, StartedJobRegistry

from fanarchive.core.tasks import ATTEMPT_KWARG
from fanarchive.core.testing import command_environment, make_user
from fanarchive.engagement.models import Notice
from fanarchive.engagement.notices import notify

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 40
REDIS_URL = os.environ.get("FANARCHIVE_TEST_REDIS_URL")


def wait_for(what: str, condition: Callable[[], Any], *processes: subprocess.Popen[bytes]) -> Any:
    deadline = time.monotonic() + WAIT_SECONDS
    while not (found := condition()):
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        for process in processes:
            assert process.poll() is None, f"a worker died while waiting for {what}"
        time.sleep(0.1)
    return found


def start_worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """`fanarchive worker` in its own process group, so a kill reaches all its processes."""
    return subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=20)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)


def stalled_mail_server() -> socket.socket:
    """A socket that takes connections and never says a word, like a mail server that hangs."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(WAIT_SECONDS)
    return server


@pytest.mark.django_db(transaction=True)
@pytest.mark.flushes_database
def test_a_worker_killed_while_sending_mail_leaves_the_mail_to_the_next_worker(tmp_path):
    reader = make_user("harbour_reader")
    notify(
        recipients=[reader],
        kind="reply",
        subject="A reply by the lighthouse",
        body="Ahoy",
        url="/inbox/",
    )
    [queued] = DBTaskResult.objects.filter(status="READY")
    log = tmp_path / "workers.log"

    with stalled_mail_server() as server:
        port = server.getsockname()[1]
        first = start_worker(
            command_environment(
                EMAIL_URL=f"smtp://127.0.0.1:{port}?tls=false", FANARCHIVE_EMAIL_TIMEOUT="300"
            ),
            log,
        )
        try:
            talking, _ = server.accept()  # the worker is sending the mail now
            with talking:
                assert DBTaskResult.objects.get(pk=queued.pk).status == "RUNNING"
                kill(first)
        finally:
            stop(first)
    assert DBTaskResult.objects.get(pk=queued.pk).status == "RUNNING"  # and nobody to finish it

    mail_dir = tmp_path / "mail"
    second = start_worker(command_environment(EMAIL_URL=f"file://{mail_dir}"), log)
    try:
        # On starting, the new worker finds the task of the dead one and queues it again,
        # as the next attempt of the retry policy...
        retry = wait_for(
            "the next attempt",
            lambda: DBTaskResult.objects.filter(status="READY").first(),
            second,
        )
        assert retry.args_kwargs == {
            "args": [queued.args_kwargs["args"][0]],
            "kwargs": {ATTEMPT_KWARG: 2},
        }
        # ...after its backoff, which we pretend has passed.
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        wait_for(
            "the mail",
            lambda: Notice.objects.filter(recipient=reader, emailed_at__isnull=False).exists(),
            second,
        )
    finally:
        stop(second)
    output = log.read_text()
    [mail] = [path.read_text() for path in mail_dir.iterdir()]
    assert "A reply by the lighthouse" in mail and "To: harbour_reader@example.org" in mail
    abandoned = DBTaskResult.objects.get(pk=queued.pk)
    assert abandoned.status == "FAILED", output
    assert "died" in abandoned.traceback
    assert "was abandoned (its worker" in output and "retrying in 30 s" in output
    assert DBTaskResult.objects.get(pk=retry.pk).status == "SUCCESSFUL", output
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()


# -- Redis (RQ) ---------------------------------------------------------------------------

ENQUEUE = """
import sys
import django
django.setup()
from fanarchive.core.tests.tasks_for_tests import stall_first_run
print(stall_first_run.enqueue(sys.argv[1]).id)
"""


def redis_environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMAIL_URL"}}
    env.update(
        {
            "REDIS_URL": REDIS_URL or "",
            "FANARCHIVE_DATA_DIR": str(tmp_path / "data"),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def enqueue_stalling_job(tmp_path: Path, env: dict[str, str]) -> tuple[str, Path]:
    marks = tmp_path / "marks"
    marks.mkdir()
    queued = subprocess.run(
        [sys.executable, "-c", ENQUEUE, str(marks)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return queued.stdout.strip(), marks


def finished_attempts(redis: Redis) -> list[dict[str, Any]]:
    registry = FinishedJobRegistry("default", connection=redis)
    return [Job.fetch(job_id, connection=redis).kwargs for job_id in registry.get_job_ids()]


@pytest.fixture
def redis() -> Iterator[Redis]:
    connection = Redis.from_url(REDIS_URL or "")
    connection.flushdb()  # the tests' own database (db 15 in CI)
    yield connection
    connection.flushdb()


@pytest.mark.skipif(
    not REDIS_URL, reason="set FANARCHIVE_TEST_REDIS_URL to a Redis server (.ci/run does)"
)
def test_on_redis_a_job_whose_worker_was_killed_runs_again(tmp_path, redis):
    env = redis_environment(tmp_path)
    job_id, marks = enqueue_stalling_job(tmp_path, env)
    log = tmp_path / "workers.log"
    first = start_worker(env, log)
    try:
        wait_for("the first run", (marks / "started").exists, first)
        kill(first)  # the worker, its work horse and its scheduler
    finally:
        stop(first)
    assert Job.fetch(job_id, connection=redis).get_status() == JobStatus.STARTED
    # RQ calls a started job abandoned once its worker's heartbeat runs out (90 s after
    # the last one); we pretend that time has passed.
    started = StartedJobRegistry("default", connection=redis)
    redis.zadd(started.key, dict.fromkeys(redis.zrange(started.key, 0, -1), 1))

    second = start_worker(env, log)
    try:
        wait_for("the second run", (marks / "done").exists, second)
        wait_for("the second run to be recorded", lambda: finished_attempts(redis), second)
    finally:
        stop(second)
    output = log.read_text()
    assert Job.fetch(job_id, connection=redis).get_status() == JobStatus.FAILED, output
    assert finished_attempts(redis) == [{ATTEMPT_KWARG: 2}], output
    assert "was abandoned (its worker" in output


@pytest.mark.skipif(
    not REDIS_URL, reason="set FANARCHIVE_TEST_REDIS_URL to a Redis server (.ci/run does)"
)
def test_on_redis_a_job_whose_work_horse_was_killed_runs_again(tmp_path, redis):
    env = redis_environment(tmp_path)
    job_id, marks = enqueue_stalling_job(tmp_path, env)
    log = tmp_path / "workers.log"
    worker = start_worker(env, log)
    try:
        horse = int(wait_for("the first run", lambda: read_pid(marks / "started"), worker))
        assert horse != worker.pid
        os.kill(horse, signal.SIGKILL)  # as the kernel's out-of-memory killer would
        wait_for("the second run", (marks / "done").exists, worker)
        wait_for("the second run to be recorded", lambda: finished_attempts(redis), worker)
    finally:
        stop(worker)
    output = log.read_text()
    assert Job.fetch(job_id, connection=redis).get_status() == JobStatus.FAILED, output
    assert finished_attempts(redis) == [{ATTEMPT_KWARG: 2}], output
    assert "was abandoned (its work horse died" in output


def read_pid(path: Path) -> str:
    return path.read_text().strip() if path.exists() else ""
