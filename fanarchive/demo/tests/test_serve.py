"""`fanarchive serve`: preparing the data directory, then handing over to gunicorn."""

from __future__ import annotations

import gzip
import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from fanarchive.core.gunicorn import NO_TASK_WORKER_ENV, bind_address
from fanarchive.core.testing import make_work
from fanarchive.demo.generator import DEMO_PASSWORD
from fanarchive.demo.management.commands import serve
from fanarchive.discovery.index import live, store
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Work


@pytest.fixture
def exec_calls(monkeypatch: pytest.MonkeyPatch, settings: Any, tmp_path: Path) -> list[list[str]]:
    """Record the gunicorn command instead of becoming gunicorn; static files go to tmp."""
    settings.STATIC_ROOT = tmp_path / "static"
    calls: list[list[str]] = []
    monkeypatch.setattr(serve, "exec_gunicorn", calls.append)
    return calls


def run_serve(*args: str) -> str:
    out = StringIO()
    call_command("serve", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_prepares_then_execs_gunicorn(exec_calls: list[list[str]], tmp_path: Path) -> None:
    output = run_serve("--port", "8123", "--workers", "3", "--demo-works", "4")

    [argv] = exec_calls
    assert argv[argv.index("--config") + 1] == "python:fanarchive.core.gunicorn_conf"
    assert Path(argv[0]).name == "gunicorn"
    assert Path(argv[0]).parent == Path(sys.executable).parent
    assert "config.wsgi:application" in argv
    assert argv[argv.index("--bind") + 1] == "127.0.0.1:8123"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--access-logfile") + 1] == "-"
    # The app and the index are loaded once, before the workers fork; a stuck request's
    # worker is restarted after the deliberate timeout.
    assert "--preload" in argv
    assert argv[argv.index("--timeout") + 1] == "60"
    # collectstatic ran, so whitenoise has the files to serve.
    assert (tmp_path / "static" / "css" / "site.css").exists()
    # The archive was empty, so it got the demo works and the login is shown.
    assert Work.objects.count() == 4
    assert "http://127.0.0.1:8123/" in output
    assert DEMO_PASSWORD in output


@pytest.mark.django_db
def test_no_worker_leaves_the_tasks_to_a_separate_worker(
    exec_calls: list[list[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(NO_TASK_WORKER_ENV, "")  # put back as it was after the test
    output = run_serve("--no-worker", "--timeout", "90")
    [argv] = exec_calls
    # gunicorn's master still prepares the index, but starts no task worker.
    assert argv[argv.index("--config") + 1] == "python:fanarchive.core.gunicorn_conf"
    assert os.environ[NO_TASK_WORKER_ENV] == "1"
    assert argv[argv.index("--timeout") + 1] == "90"
    assert "fanarchive worker" in output
    # Without --no-worker the task worker runs, whatever an earlier start left set.
    run_serve()
    assert NO_TASK_WORKER_ENV not in os.environ


@pytest.mark.django_db
def test_a_missing_index_is_built_before_serving_and_a_saved_one_is_kept(
    exec_calls: list[list[str]], settings: Any, tmp_path: Path
) -> None:
    settings.DATA_DIR = tmp_path / "data"
    make_work(title="The Indexed Lantern")
    live.forget()
    output = run_serve()
    assert "building it before serving" in output
    assert "Indexed 1 works" in output
    assert live.saved_index_usable()
    saved = store.index_path().stat().st_mtime_ns
    # A restart with the saved index of this database builds nothing.
    output = run_serve()
    assert "building it" not in output
    assert store.index_path().stat().st_mtime_ns == saved
    # An index of another database (its change log differs) is built again.
    make_work(title="The Second Lantern")
    CatalogueChange.objects.all().delete()
    assert not live.saved_index_usable()
    assert "building it before serving" in run_serve()


@pytest.mark.django_db
def test_refuses_a_bad_timeout() -> None:
    with pytest.raises(CommandError, match="--timeout"):
        call_command("serve", "--timeout", "0")


@pytest.mark.django_db
def test_a_restart_adds_no_demo_works(exec_calls: list[list[str]]) -> None:
    run_serve("--demo-works", "3")
    run_serve("--demo-works", "3")

    assert Work.objects.count() == 3
    assert len(exec_calls) == 2


@pytest.mark.django_db
def test_no_demo_when_the_archive_has_works(exec_calls: list[list[str]]) -> None:
    make_work()

    output = run_serve("--demo-works", "5")

    assert Work.objects.count() == 1
    assert DEMO_PASSWORD not in output
    assert len(exec_calls) == 1


@pytest.mark.django_db
def test_no_demo_unless_asked(exec_calls: list[list[str]]) -> None:
    run_serve()

    assert not Work.objects.exists()
    assert len(exec_calls) == 1


def test_bind_address_brackets_ipv6() -> None:
    assert bind_address("127.0.0.1", 8000) == "127.0.0.1:8000"
    assert bind_address("::1", 8000) == "[::1]:8000"
    assert bind_address("[::1]", 8000) == "[::1]:8000"


def test_refuses_a_bad_port() -> None:
    with pytest.raises(CommandError, match="--port"):
        call_command("serve", "--port", "0")


# -- the real thing -----------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"serve exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listened on port {port} within {timeout} s")


def conditional_get(
    port: int, path: str, headers: dict[str, str]
) -> tuple[int, dict[str, str], bytes, str]:
    """A GET with these headers (a 304 is an answer here, not an error as in urllib):
    status, headers, body, and the cookies it set as a Cookie header would send them."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        cookies = "; ".join(
            cookie.split(";", 1)[0] for cookie in response.msg.get_all("Set-Cookie") or []
        )
        return response.status, dict(response.getheaders()), response.read(), cookies
    finally:
        connection.close()


def fetch(url: str) -> tuple[int, dict[str, str], str]:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
        return response.status, dict(response.headers), response.read().decode()


def test_serve_really_serves(tmp_path: Path) -> None:
    """Start `fanarchive serve` on a fresh SQLite data directory and read the site over HTTP."""
    port = free_port()
    # The subprocess gets its own data directory and SQLite, whatever this test run uses.
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("FANARCHIVE_") and name not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["FANARCHIVE_DATA_DIR"] = str(tmp_path / "data")
    fanarchive = Path(sys.executable).parent / "fanarchive"
    log = (tmp_path / "serve.log").open("wb")
    command = [str(fanarchive), "serve", "--port", str(port), "--workers", "1"]
    process = subprocess.Popen(
        [*command, "--demo-works", "5"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_for_port(port, process, timeout=60)
        status, headers, page = fetch(f"http://127.0.0.1:{port}/works/")
        assert status == 200
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
        assert stylesheet, "the page links no stylesheet"
        status, headers, _ = fetch(f"http://127.0.0.1:{port}{stylesheet.group(1)}")
        assert status == 200
        assert headers["Content-Type"].startswith("text/css")
        # Pages come gzipped to a client that accepts it, and an unchanged one is
        # revalidated with a 304 (the same browser, with whatever cookies it was given).
        status, headers, body, cookies = conditional_get(
            port, "/works/", {"Accept-Encoding": "gzip"}
        )
        assert status == 200 and headers["Content-Encoding"] == "gzip"
        assert "</html>" in gzip.decompress(body).decode()
        status, headers, body, _ = conditional_get(port, "/works/", {"Cookie": cookies})
        assert status == 200
        status, _, body, _ = conditional_get(
            port, "/works/", {"Cookie": cookies, "If-None-Match": headers["ETag"]}
        )
        assert (status, body) == (304, b"")
        # The worker starts beside the server (a Django start of its own): let it say so
        # before the server is stopped, or a quick request outruns it.
        log.flush()
        deadline = time.monotonic() + 30
        while WORKER_STARTED not in _read(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.2)
    except AssertionError as error:
        log.flush()
        raise AssertionError(f"{error}\n--- serve output ---\n{_read(tmp_path)}") from error
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
    output = _read(tmp_path)
    assert f"http://127.0.0.1:{port}/" in output
    assert DEMO_PASSWORD in output
    # The index was ready before the first worker started, not built in a request...
    assert "Loading what the workers share (the catalogue index)" in output
    # ...and before gunicorn opened its port, so no request waited for it either.
    assert output.index("opening the port") < output.index("Listening at")
    assert output.index("opening the port") < output.index("Booting worker")
    # The background task worker ran beside the server and stopped with it.
    assert WORKER_STARTED in output
    started = re.search(r"Started the task worker \(pid (\d+)\)", output)
    assert started, output
    with pytest.raises(ProcessLookupError):
        os.kill(int(started.group(1)), 0)


WORKER_STARTED = "Running background tasks queued in the database."


def _read(tmp_path: Path) -> str:
    return (tmp_path / "serve.log").read_text(errors="replace")
