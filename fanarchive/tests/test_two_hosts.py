"""Two hosts on one database: two `fanarchive serve` processes, each with its own data
directory (so its own catalogue index), on one database (and one Redis, on PostgreSQL).

What a writer, a wrangler or an admin does through one host shows in the other's listings
and counts within a second: posting, editing, wrangling, hiding, deleting. A host stopped
meanwhile loads its saved index when it starts again and catches up with the log.

The database is the test run's kind: on PostgreSQL a throwaway database beside the test
run's (and its Redis), on SQLite one shared file.
"""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

from fanarchive.demo.tests.test_serve import free_port, wait_for_port
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.flushes_database]

PASSWORD = "two hosts, one archive"  # a throwaway test account's
WITHIN_SECONDS = 1.0
FANARCHIVE = Path(sys.executable).parent / "fanarchive"
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass
class Host:
    """One `fanarchive serve` with its own data directory, and a browser for it."""

    name: str
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    jar: http.cookiejar.CookieJar = field(default_factory=http.cookiejar.CookieJar)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> Path:
        return Path(self.env["FANARCHIVE_DATA_DIR"]).parent / f"{self.name}.log"

    def start(self) -> None:
        self.log.parent.mkdir(parents=True, exist_ok=True)
        out = self.log.open("ab")
        serve = ["serve", "--port", str(self.port), "--workers", "1", "--no-worker"]
        self.process = subprocess.Popen(
            [str(FANARCHIVE), *serve, "--demo-works", "0"],
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        out.close()
        wait_for_port(self.port, self.process, timeout=120)

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def command(self, *args: str) -> str:
        done = subprocess.run(
            [str(FANARCHIVE), *args], env=self.env, capture_output=True, text=True, check=True
        )
        return done.stdout

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str, str]:
        """(status, final URL, page) of a GET, or of a POST of `data` as this site's own
        form would send it (the page's token when logged in, the browser's headers)."""
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)  # noqa: S310 - ours
        if body is not None:
            request.add_header("Origin", self.base)
            request.add_header("Sec-Fetch-Site", "same-origin")
        try:
            with opener.open(request, timeout=30) as response:
                return response.status, response.url, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, path, error.read().decode(errors="replace")

    def submit(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """POST `data` to the form at `path`, with the page's hidden fields (its CSRF token,
        the admin's formset counts) as a browser would send them."""
        _, _, form = self.open(path)
        hidden = dict(_HIDDEN.findall(form))
        return self.open(path, {**hidden, **data})

    def log_in(self, username: str) -> None:
        status, url, page = self.open("/login/", {"username": username, "password": PASSWORD})
        assert status == 200 and "/login/" not in url, page[:2000]


def _environment(tmp_path: Path, name: str, database_url: str, redis: str | None) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FANARCHIVE_") and key not in {"DATABASE_URL", "REDIS_URL"}
    }
    env["FANARCHIVE_DATA_DIR"] = str(tmp_path / name / "data")
    env["DATABASE_URL"] = database_url
    if redis:
        env["REDIS_URL"] = redis
    return env


@pytest.fixture
def database_url(tmp_path: Path) -> Iterator[tuple[str, str | None]]:
    """(database URL, Redis URL or None) for the two hosts: the test run's kind."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        name = f"fanarchive_two_hosts_{os.getpid()}"
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}", os.environ.get("FANARCHIVE_TEST_REDIS_URL")
        finally:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}", None


@pytest.fixture
def hosts(tmp_path: Path, database_url: tuple[str, str | None]) -> Iterator[tuple[Host, Host]]:
    url, redis = database_url
    first = Host("first", _environment(tmp_path, "first", url, redis))
    second = Host("second", _environment(tmp_path, "second", url, redis))
    try:
        first.start()  # migrates the empty database; the second then finds it done
        first.command(
            "createadmin", "--username", "keeper", "--email", "keeper@example.org",
            "--password", PASSWORD,
        )  # fmt: skip
        second.start()
        yield first, second
    except AssertionError as error:
        logs = "\n".join(
            f"--- {host.name} ---\n{host.log.read_text(errors='replace')[-4000:]}"
            for host in (first, second)
            if host.log.exists()
        )
        raise AssertionError(f"{error}\n{logs}") from error
    finally:
        first.stop()
        second.stop()


def within_a_second(host: Host, path: str, shows: str, *, present: bool = True) -> float:
    """Seconds until `host`'s page at `path` shows `shows` (or stops showing it, when not
    `present`) to a guest; fails after `WITHIN_SECONDS`."""
    began = time.monotonic()
    guest = Host(host.name, host.env, port=host.port)  # no cookies: a guest
    while True:
        _, _, page = guest.open(path)
        if (shows in page) == present:
            return time.monotonic() - began
        if time.monotonic() - began > WITHIN_SECONDS:
            state = "still missing" if present else "still there"
            raise AssertionError(f"{shows!r} {state} on {host.name}'s {path} after a second")
        time.sleep(0.05)


def tag_id(host: Host, path: str, name: str) -> str:
    """The id of the tag `name` linked from the page at `path`."""
    page = host.open(path)[2]
    found = re.search(r'href="/tags/(\d+)/works/"[^>]*>' + re.escape(name) + "<", page)
    assert found, f"no link to the tag {name} on {path}"
    return found.group(1)


def work_form(**fields: str) -> dict[str, str]:
    return {
        "rating": GENERAL,
        "warnings": NO_WARNINGS,
        "fandoms": "Two Harbours",
        "characters": "Mira Vale",
        "title": "The Crossing",
        "language": "en",
        "expected_chapters": "1",
        "text_format": "plain",
        "text": "The ferry left at dawn.",
        "post": "1",
        **fields,
    }


def test_what_one_host_does_the_other_shows_within_a_second(hosts: tuple[Host, Host]) -> None:
    first, second = hosts
    first.log_in("keeper")
    assert "0 Works" in second.open("/works/")[2]

    # Posted through the first: listed, and counted, by the second.
    status, url, _ = first.submit("/works/new/", work_form())
    assert status == 200 and re.search(r"/works/\d+/$", url), url
    work_path = urllib.parse.urlparse(url).path
    work_id = work_path.strip("/").split("/")[-1]
    within_a_second(second, "/works/", "The Crossing")
    within_a_second(second, "/works/", "1 Work")

    # Edited.
    first.submit(f"/works/{work_id}/edit/", work_form(title="The Long Crossing"))
    within_a_second(second, "/works/", "The Long Crossing")

    # Wrangled: a canonical fandom, and the work's fandom made its synonym.
    _, second_url, _ = first.submit(
        "/works/new/", work_form(title="Second Ferry", fandoms="Harbours (Books)")
    )
    within_a_second(second, "/works/", "Second Ferry")
    canonical_id = tag_id(first, urllib.parse.urlparse(second_url).path, "Harbours (Books)")
    status, _, page = first.submit(
        f"/tags/{canonical_id}/edit/", {"action": "canonical", "canonical-canonical": "on"}
    )
    assert status == 200 and "saved" in page, page[:2000]
    synonym_id = tag_id(first, work_path, "Two Harbours")
    status, _, page = first.submit(
        f"/tags/{synonym_id}/edit/",
        {"action": "synonym", "synonym-synonym_of": "Harbours (Books)"},
    )
    assert status == 200 and "saved" in page, page[:2000]
    within_a_second(second, f"/tags/{canonical_id}/works/", "The Long Crossing")
    within_a_second(second, f"/tags/{canonical_id}/works/", "2 Works")

    # Hidden by an admin: gone from the second's listing and count.
    status, _, page = first.submit(
        f"/admin/works/work/{work_id}/change/",
        {
            "title": "The Long Crossing",
            "hidden_by_admin": "on",
            "hidden_reason": "Checking a report.",
            "language": "en",
        },
    )
    assert status == 200 and "errornote" not in page, re.findall(r"errorlist.{0,300}", page)
    within_a_second(second, "/works/", "The Long Crossing", present=False)
    within_a_second(second, "/works/", "1 Work")

    # A host started cold: the second stops, the first posts, the second starts again
    # from its saved index and catches up before its first page.
    second.stop()
    first.submit("/works/new/", work_form(title="While You Slept"))
    second.start()
    within_a_second(second, "/works/", "While You Slept")
    log = second.log.read_text(errors="replace")
    assert log.count("Loading what the workers share (the catalogue index)") == 2
