"""Screenshots of the archive's main pages, for a reviewer to look at (`make screenshots`).

Run: `.venv/bin/python tools/screenshots.py [--out DIR] [--works 40] [--seed 7]`. It builds
a throwaway SQLite archive in a temporary data directory (migrated, then the demo
generator's works), serves it with `fanarchive serve` on a free port, and with Playwright
driving Debian's Chromium (never a downloaded browser) saves full-page PNGs of the front
page, the works listing, a General Audiences work, the adult-content question of an
Explicit or Mature work (as a guest sees them) and the posting form (logged in as the demo
user), each on a desktop (1280x900) and a phone (390x844), in the light and the dark
theme (the stylesheet follows `prefers-color-scheme`). Files are named
PAGE-SIZE-THEME.png, for example `work-phone-dark.png`; each is printed as it is written.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Locator, Page, sync_playwright

from fanarchive.core.browser import CHROMIUM, LAUNCH_ARGS

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT_MS = 30_000
SERVER_START_SECONDS = 120


@dataclass(frozen=True)
class Shot:
    """One page to photograph: its file-name stem, its path, and whether a login is needed."""

    name: str
    path: str
    logged_in: bool = False


@dataclass(frozen=True)
class Size:
    name: str
    width: int
    height: int
    mobile: bool = False


DESKTOP = Size("desktop", 1280, 900)
PHONE = Size("phone", 390, 844, mobile=True)
SIZES = (DESKTOP, PHONE)
THEMES = ("light", "dark")


@dataclass(frozen=True)
class Login:
    username: str
    password: str


def labelled(page: Page, label: str) -> Locator:
    """The form field with this label, exactly (Django adds a colon to most labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def log_in(page: Page, login: Login) -> None:
    """Through the login form, as a person would; fails loudly if the login did not take."""
    page.goto("/login/")
    labelled(page, "User name or e-mail").fill(login.username)
    labelled(page, "Password").fill(login.password)
    page.get_by_role("button", name="Log in").click()
    page.locator("header.site-header").get_by_role("button", name="Log out").wait_for()


def capture(
    base_url: str,
    shots: Sequence[Shot],
    out_dir: Path,
    *,
    login: Login | None = None,
    sizes: Sequence[Size] = SIZES,
    themes: Sequence[str] = THEMES,
) -> list[Path]:
    """Full-page PNGs of every shot at every size in every theme; returns the files written."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: install Debian's Chromium with `make browser`.")
    if any(shot.logged_in for shot in shots) and login is None:
        raise ValueError("a shot needs a login, and none was given")
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        try:
            for size in sizes:
                for theme in themes:
                    written += _capture_one_look(
                        browser, base_url, shots, out_dir, size, theme, login
                    )
        finally:
            browser.close()
    return written


def _capture_one_look(
    browser: Browser,
    base_url: str,
    shots: Sequence[Shot],
    out_dir: Path,
    size: Size,
    theme: str,
    login: Login | None,
) -> list[Path]:
    """One size in one theme: the guests' pages first, then log in for the others."""
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": size.width, "height": size.height},
        is_mobile=size.mobile,
        has_touch=size.mobile,
        device_scale_factor=1,
        color_scheme="dark" if theme == "dark" else "light",
    )
    context.set_default_timeout(TIMEOUT_MS)
    written: list[Path] = []
    try:
        page = context.new_page()
        logged_in = False
        for shot in sorted(shots, key=lambda shot: shot.logged_in):
            if shot.logged_in and not logged_in and login is not None:
                log_in(page, login)
                logged_in = True
            response = page.goto(shot.path)
            if response is None or response.status != 200:
                status = response.status if response else "no answer"
                raise SystemExit(f"{shot.path} answered {status}")
            if urlsplit(page.url).path.startswith("/login/"):
                raise SystemExit(f"{shot.path} sent the browser to the login page")
            page.wait_for_load_state("networkidle")
            path = out_dir / f"{shot.name}-{size.name}-{theme}.png"
            page.screenshot(path=str(path), full_page=True)
            print(path, flush=True)
            written.append(path)
    finally:
        context.close()
    return written


# -- the throwaway archive ------------------------------------------------------


def _archive_env(data_dir: Path) -> dict[str, str]:
    """The environment of a private SQLite archive: never a live database, cache or queue."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        FANARCHIVE_DATA_DIR=str(data_dir),
        FANARCHIVE_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    return env


def build_archive(data_dir: Path, *, works: int, seed: int) -> tuple[list[Shot], Login]:
    """Migrate and fill the archive in `data_dir`; return the pages to photograph."""
    os.environ.update(_archive_env(data_dir))
    for name in ("DATABASE_URL", "REDIS_URL"):
        os.environ.pop(name, None)
    sys.path.insert(0, str(ROOT))
    # Django is imported once the environment that configures it is set (as in bench/).
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.core.management import call_command
    from django.db import connections

    from fanarchive.demo.generator import DEMO_PASSWORD, DEMO_USERNAME
    from fanarchive.tags.fixed import ADULT_RATINGS, GENERAL, NOT_RATED
    from fanarchive.tags.models import TagType
    from fanarchive.works.models import Work

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("demo", works=works, seed=seed, no_progress=True)

    guest_works = Work.objects.visible_to(AnonymousUser()).order_by("pk")

    def first_rated(ratings: set[str] | frozenset[str]) -> Work:
        work = guest_works.filter(
            work_tags__tag__type=TagType.RATING, work_tags__tag__name__in=ratings
        ).first()
        if work is None:
            raise SystemExit(f"the demo archive has no work rated {' or '.join(sorted(ratings))}")
        return work

    general = first_rated({GENERAL})
    adult = first_rated(ADULT_RATINGS - {NOT_RATED})
    shots = [
        Shot("front", "/"),
        Shot("listing", "/works/"),
        Shot("work", general.get_absolute_url()),
        Shot("adult-question", adult.get_absolute_url()),
        Shot("posting-form", "/works/new/", logged_in=True),
    ]
    connections.close_all()  # the server is another process; SQLite wants no open writer
    return shots, Login(DEMO_USERNAME, DEMO_PASSWORD)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def served(data_dir: Path) -> Iterator[str]:
    """`fanarchive serve` on the archive in `data_dir`, on a free port; yields its address."""
    port = free_port()
    log_path = data_dir / "server.log"
    fanarchive = Path(sys.executable).with_name("fanarchive")
    argv = [str(fanarchive), "serve", "--host", "127.0.0.1", "--port", str(port)]
    argv += ["--workers", "2", "--no-worker"]
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 (our own command line)
            argv, cwd=ROOT, env=_archive_env(data_dir), stdout=log, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base_url, server, log_path)
        yield base_url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _wait_for(base_url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{base_url}/", timeout=10) as response:  # noqa: S310
                if response.status == 200:
                    return
        except urllib.error.HTTPError as error:
            raise SystemExit(f"the front page answered {error.code}") from error
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer within {SERVER_START_SECONDS} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out", type=Path, default=ROOT / "screenshots", help="folder (./screenshots)"
    )
    parser.add_argument("--works", type=int, default=40, help="demo works (40)")
    parser.add_argument("--seed", type=int, default=7, help="the demo's seed (7)")
    args = parser.parse_args()
    started = time.perf_counter()
    data_dir = Path(tempfile.mkdtemp(prefix="fanarchive-screenshots-"))
    try:
        shots, login = build_archive(data_dir, works=args.works, seed=args.seed)
        built = time.perf_counter()
        print(f"Demo archive of {args.works} works built in {built - started:.1f} s", flush=True)
        with served(data_dir) as base_url:
            written = capture(base_url, shots, args.out.resolve(), login=login)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    print(
        f"{len(written)} screenshots in {args.out} "
        f"({time.perf_counter() - started:.1f} s in all, {time.perf_counter() - built:.1f} s "
        "serving and photographing)"
    )


if __name__ == "__main__":
    main()
