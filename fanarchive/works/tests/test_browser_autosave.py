"""Autosave in a real browser: text typed into a new chapter survives closing the page,
and an expired login.

Runs Debian's Chromium like test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)

pytestmark = pytest.mark.browser

TYPED = "Mira climbed the lighthouse stairs, counting each one under her breath."
MORE = "At the top, the lamp was cold, and the ninth boat was nowhere to be seen."


def log_in(page, username: str) -> None:
    page.goto("/login/")
    labelled(page, "User name or e-mail").fill(username)
    labelled(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_be_visible()


def test_typed_chapter_text_survives_closing_the_page_and_an_expired_login(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    writer = make_user("stair_counter")
    work = make_work(writer, title="The Ninth Boat", expected_chapters=None)
    chapter_url = f"/works/{work.pk}/chapters/new/"

    log_in(page, writer.username)
    page.goto(chapter_url)
    labelled(page, "Work text").fill(TYPED)
    page.wait_for_timeout(1500)  # a moment of typing, as a writer would
    context = page.context
    page.close(run_before_unload=True)  # no Post, no Save: the tab is simply closed
    # The closing page's beacon reaches the archive before the writer comes back (on a
    # loaded machine it can take a while; arriving after the next page loaded, it would
    # make that page's copy look older than the archive's).
    _wait_for_autosave(writer, TYPED)

    page = context.new_page()
    page.goto(chapter_url)
    expect(labelled(page, "Work text")).to_have_value(TYPED)
    expect(page.get_by_text("Restored unsaved text from")).to_be_visible()

    # The login expires while the writer keeps typing: the archive cannot take the
    # autosave, but the browser keeps it, and it comes back after logging in again.
    context.clear_cookies()
    labelled(page, "Work text").fill(f"{TYPED}\n\n{MORE}")
    page.wait_for_timeout(1500)
    page.close(run_before_unload=True)
    page = context.new_page()
    log_in(page, writer.username)
    page.goto(chapter_url)
    expect(labelled(page, "Work text")).to_have_value(f"{TYPED}\n\n{MORE}")
    expect(page.get_by_text("Restored unsaved text from")).to_be_visible()

    # Posting it empties the autosave: the next new chapter starts blank.
    labelled(page, "Text format").select_option(label="Plain text")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Chapter was successfully added.")).to_be_visible()
    expect(page.get_by_text(MORE)).to_be_visible()
    page.goto(chapter_url)
    expect(labelled(page, "Work text")).to_have_value("")
    expect(page.get_by_text("Restored unsaved text from")).to_have_count(0)

    assert not session.csp_violations(), "\n".join(session.csp_violations())


def _wait_for_autosave(user, text: str, seconds: float = 15.0) -> None:
    from fanarchive.works.models import Autosave

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(text in str(saved.data) for saved in Autosave.objects.filter(user=user)):
            return
        time.sleep(0.1)
    raise AssertionError(f"the archive never got the autosave holding {text!r}")
