"""200 readers at once against the real server (gunicorn in a subprocess).

Half leave kudos and half comment on one work, all in the same instant, each from
an account of their own. Every request must answer 2xx/3xx, each kudos and each
comment must be stored exactly once, and the server must never say "database is
locked". Runs on the database the suite runs on: SQLite (a fresh file in WAL mode,
as deployed) or PostgreSQL (a database of its own beside the test database).
The time the 200 requests took is printed (run with -s to see it).
"""

from __future__ import annotations

import http.client
import json
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import dj_database_url
import pytest

from fanarchive.core.gunicorn import gunicorn_argv

ROOT = Path(__file__).resolve().parents[3]
READERS = 200
HELPER = "fanarchive.engagement.tests.concurrency_helper"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postgres_url(base: str, name: str) -> str:
    config = dj_database_url.parse(base)
    user = config.get("USER") or "postgres"
    password = f":{config['PASSWORD']}" if config.get("PASSWORD") else ""
    host = config.get("HOST") or "127.0.0.1"
    port = config.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{name}"


@pytest.fixture
def server_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment of a server with a database of its own, migrated."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FANARCHIVE_") and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["FANARCHIVE_DATA_DIR"] = str(tmp_path / "data")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    base = os.environ.get("DATABASE_URL", "")
    database = ""
    if base.startswith(("postgres://", "postgresql://")):
        import psycopg

        config = dj_database_url.parse(base)
        database = f"{config['NAME']}_concurrency"
        admin = _postgres_url(base, "postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}"')
            connection.execute(f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = _postgres_url(base, database)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    yield env
    if database:
        import psycopg

        with psycopg.connect(_postgres_url(base, "postgres"), autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')


def _wait_for(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("the server did not start within 60 s")


def _post(port: int, path: str, fields: dict[str, str], cookies: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(
            "POST",
            path,
            body=urlencode(fields),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Host": f"127.0.0.1:{port}",
            },
        )
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def test_200_parallel_kudos_and_comments(server_env: dict[str, str], tmp_path: Path) -> None:
    setup = tmp_path / "setup.json"
    subprocess.run(
        [sys.executable, "-m", HELPER, "setup", str(READERS), str(setup)],
        cwd=ROOT,
        env=server_env,
        check=True,
    )
    data = json.loads(setup.read_text())
    work_id, chapter_id = data["work_id"], data["chapter_id"]
    readers = data["readers"]
    port = free_port()
    log = tmp_path / "server.log"
    argv = [*gunicorn_argv(host="127.0.0.1", port=port, workers=4), "--threads", "4"]
    with log.open("wb") as output:
        process = subprocess.Popen(argv, cwd=ROOT, env=server_env, stdout=output, stderr=output)
    try:
        _wait_for(port, process, log)
        statuses: list[int | str] = [0] * READERS
        start = threading.Barrier(READERS + 1)

        def one(i: int) -> None:
            reader = readers[i]
            csrf = secrets.token_hex(16)  # 32 characters, as Django's CSRF secret
            cookies = f"{data['session_cookie']}={reader['session']}; {data['csrf_cookie']}={csrf}"
            fields = {"csrfmiddlewaretoken": csrf}
            if i % 2 == 0:
                path = f"/works/{work_id}/kudos/"
            else:
                path = f"/works/{work_id}/chapters/{chapter_id}/comments/"
                fields["text"] = f"Comment from reader {reader['user_id']}."
            start.wait()
            try:
                statuses[i] = _post(port, path, fields, cookies)
            except Exception as error:  # recorded, and asserted below
                statuses[i] = repr(error)

        threads = [threading.Thread(target=one, args=(i,)) for i in range(READERS)]
        for thread in threads:
            thread.start()
        start.wait()
        began = time.monotonic()
        for thread in threads:
            thread.join()
        took = time.monotonic() - began
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    vendor = "PostgreSQL" if "DATABASE_URL" in server_env else "SQLite"
    print(f"\n{READERS} parallel kudos and comments on {vendor}: {took:.2f} s")
    server_log = log.read_text(errors="replace")
    failed = [s for s in statuses if not isinstance(s, int) or not 200 <= s < 400]
    assert not failed, f"{len(failed)} requests failed: {failed[:5]}\n{server_log[-3000:]}"
    assert "database is locked" not in server_log
    assert "Traceback" not in server_log
    checked = subprocess.run(
        [sys.executable, "-m", HELPER, "check", str(work_id)],
        cwd=ROOT,
        env=server_env,
        check=True,
        capture_output=True,
        text=True,
    )
    stored = json.loads(checked.stdout)
    kudos_users = sorted(stored["kudos"])
    comment_users = sorted(user for user, _ in stored["comments"])
    assert kudos_users == sorted(r["user_id"] for r in readers[0::2])
    assert comment_users == sorted(r["user_id"] for r in readers[1::2])
    for user_id, text in stored["comments"]:
        assert text == f"<p>Comment from reader {user_id}.</p>"
