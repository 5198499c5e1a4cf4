"""Ending `fanarchive import` ends its parser process too.

A batch of 50 files or more is parsed in a forked second process
(`import_services._parser_for`). A real `fanarchive import` runs on 300 files against
the test database (a committing test, as engagement/tests/test_worker_process.py);
as soon as its parser process exists, the import is stopped with SIGTERM (it ends
cleanly: a report and a non-zero exit) or killed with SIGKILL (no goodbye at all), and
the parser process must be gone within a few seconds.
"""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from fanarchive.core.testing import command_environment, make_user
from fanarchive.formats.import_services import PARALLEL_AT
from fanarchive.formats.tests import helpers

import_command = importlib.import_module("fanarchive.formats.management.commands.import")

ROOT = Path(__file__).resolve().parents[3]
FILES = 300
GONE_WITHIN = 5.0

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.flushes_database,
    pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="reads /proc (Linux)"),
]


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def _forks(pid: int) -> list[int]:
    """The children of `pid` that are forks of it (same command line): the parser
    process, not a short-lived program something runs while the command starts up."""
    try:
        own = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return []
    forks = []
    for child in _children(pid):
        try:
            if Path(f"/proc/{child}/cmdline").read_bytes() == own:
                forks.append(child)
        except FileNotFoundError:
            continue
    return forks


def _lasting_forks(pid: int) -> list[int]:
    """The forks of `pid` still forks a moment later: the parser process. A program
    something runs while the command starts up (`subprocess` forks, then executes it) is
    a fork with the same command line only for that instant."""
    seen = _forks(pid)
    if not seen:
        time.sleep(0.01)
        return []
    time.sleep(0.1)
    return [child for child in _forks(pid) if child in seen]


def _wait_for_its_database_sessions_to_end() -> None:
    """PostgreSQL notices a killed client's session a moment later; the test database
    cannot be dropped at the end of the run while it lasts."""
    if connection.vendor != "postgresql":
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if cursor.fetchone() == (0,):
                return
            time.sleep(0.05)


def _running(pid: int) -> bool:
    """Whether `pid` is alive (a zombie has exited: only its parent has not noticed)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "works"
    folder.mkdir()
    for n in range(FILES):
        story = f"Title: Boat {n}\nFandom: Harbour Tales\n\n" + helpers.FLATTENED * 4
        (folder / f"boat-{n:02d}.txt").write_text(story)
    return folder


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL])
def test_the_parser_process_ends_with_the_import(tmp_path: Path, signum: int) -> None:
    assert FILES >= PARALLEL_AT
    make_user("writer")
    log = tmp_path / "import.log"
    command = [sys.executable, "-m", "fanarchive.cli", "import", str(_folder(tmp_path))]
    with log.open("wb") as out:
        parent = subprocess.Popen(
            [*command, "--as", "writer", "--no-progress"],
            cwd=ROOT,
            env=command_environment(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    children: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while not children and parent.poll() is None and time.monotonic() < deadline:
            children = _lasting_forks(parent.pid)
        assert children, "the import had no parser process:\n" + log.read_text()
        os.kill(parent.pid, signum)
        code = parent.wait(timeout=30)
        deadline = time.monotonic() + GONE_WITHIN
        while any(map(_running, children)) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not any(map(_running, children)), "the parser process outlived the import"
    finally:
        for pid in [parent.pid, *children]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        parent.wait(timeout=30)
    _wait_for_its_database_sessions_to_end()
    report = log.read_text()
    assert code == -signum if signum == signal.SIGKILL else code == 128 + signum, report
    if signum == signal.SIGTERM:
        # Ended cleanly: what was done, and how to go on; no traceback.
        assert "Traceback" not in report, report
        assert "Stopped (SIGTERM) after" in report and f"of {FILES} files" in report, report


@pytest.mark.django_db(transaction=False)
def test_a_stop_signal_is_noted_and_acted_on_between_files() -> None:
    """The handler notes the signal (raising there could land in native code and be
    dropped); the import raises it after the file under way; a second signal at once."""
    stop = import_command._StopRequest()
    stop.check()  # nothing asked yet
    stop.note(signal.SIGTERM, None)
    with pytest.raises(import_command.Stopped) as raised:
        stop.check()
    assert raised.value.signum == signal.SIGTERM
    with pytest.raises(import_command.Stopped):
        stop.note(signal.SIGINT, None)
