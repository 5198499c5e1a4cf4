"""Fixtures for the formats tests: epubcheck on every exported EPUB."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

EPUBCHECK = "/usr/bin/epubcheck"


def run_epubcheck(path: Path) -> None:
    """Fail (never skip) unless epubcheck passes `path` with no errors and no warnings."""
    program = shutil.which("epubcheck") or (EPUBCHECK if Path(EPUBCHECK).exists() else None)
    java = shutil.which("java")
    if program is None or java is None:
        pytest.fail(
            "epubcheck is not installed, so exported EPUBs cannot be checked. "
            "Install it with `make epubcheck` (Debian package epubcheck)."
        )
    result = subprocess.run(
        # Debian's epubcheck is a jar behind a symlink: run it with java, not binfmt.
        [java, "-jar", str(Path(program).resolve()), "--quiet", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    report = (result.stdout + result.stderr).strip()
    problems = [
        line for line in report.splitlines() if line.startswith(("ERROR", "WARNING", "FATAL"))
    ]
    if result.returncode != 0 or problems:
        pytest.fail(f"epubcheck found problems in {path.name}:\n{report}")


@pytest.fixture
def epubcheck(tmp_path: Path) -> Callable[[bytes], None]:
    """Check EPUB bytes with epubcheck."""
    counter = iter(range(1_000))

    def check(data: bytes) -> None:
        path = tmp_path / f"checked-{next(counter)}.epub"
        path.write_bytes(data)
        run_epubcheck(path)

    return check


@pytest.fixture(autouse=True)
def _downloads_in_tmp(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"
