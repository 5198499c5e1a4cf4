"""End to end in a real browser: sign up, post a two-chapter Explicit work, read it as a guest.

Playwright drives Debian's Chromium (`make browser` installs it); it never downloads
a browser of its own. Run just this file with `.venv/bin/pytest -m browser`.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect, sync_playwright

from fanarchive.core.browser import CHROMIUM, LAUNCH_ARGS

pytestmark = pytest.mark.browser

TIMEOUT_MS = 10_000

USERNAME = "lantern_keeper"
PASSWORD = "eight-boats-came-home-at-dawn"
TITLE = "The Eighth Boat Comes Home"
PARAGRAPH_ONE = "The lantern swung above the harbour as Mira counted the boats."
PARAGRAPH_TWO = "By morning the eighth boat was tied up at the quay."
CHAPTER_ONE_TEXT = f"{PARAGRAPH_ONE}\n\n***\n\n{PARAGRAPH_TWO}"
CHAPTER_TWO_TEXT = "Tomas painted the hull of the eighth boat a stubborn shade of green."


@dataclass
class Browser:
    page: Page
    console: list[str] = field(default_factory=list)

    def csp_violations(self) -> list[str]:
        return [text for text in self.console if "Content Security Policy" in text]


def require_chromium() -> None:
    """Fail, never skip: a browser test that did not run must not pass as if it had."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing, so the browser tests cannot run. "
            "Install Debian's Chromium with `make browser` (or run `make test`, which does).",
            pytrace=False,
        )


@pytest.fixture
def browser(live_server, settings, tmp_path, monkeypatch) -> Iterator[Browser]:
    """A fresh headless Chromium page on the live server, its console messages recorded.

    Tests request it with `request.getfixturevalue("browser")` after `require_chromium()`,
    so a missing browser is reported as a failed test rather than a setup error.
    """
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls that
    # pytest-django and the live server make here are still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    # A new account is ready at once, as on an archive that sends no e-mail.
    settings.EMAIL_CONFIRMATION_REQUIRED = False
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        try:
            context = chromium.new_context(base_url=live_server.url)
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            session = Browser(page=page)
            page.on("console", lambda message: session.console.append(message.text))
            page.on("pageerror", lambda error: session.console.append(str(error)))
            yield session
            # Where the test ended, for debugging; pytest keeps recent tmp_paths.
            with contextlib.suppress(PlaywrightError):
                page.screenshot(path=str(tmp_path / "last-page.png"), full_page=True)
        finally:
            chromium.close()


def labelled(page: Page, label: str) -> Locator:
    """The form field with this label, exactly (Django adds a colon to most labels)."""
    return page.get_by_label(re.compile(rf"^\s*{re.escape(label)}:?\s*$"))


def test_sign_up_post_a_two_chapter_explicit_work_and_read_it_as_a_guest(request, live_server):
    require_chromium()
    browser: Browser = request.getfixturevalue("browser")
    page = browser.page

    # Sign up through the form and end up logged in.
    page.goto("/")
    page.get_by_role("navigation", name="Site").get_by_role("link", name="Sign up").click()
    labelled(page, "User name").fill(USERNAME)
    labelled(page, "E-mail address").fill(f"{USERNAME}@example.org")
    labelled(page, "Password").fill(PASSWORD)
    labelled(page, "Confirm password").fill(PASSWORD)
    labelled(page, "I am at least 13 years old and agree to the Terms of Service").check()
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text(f"Welcome, {USERNAME}!")).to_be_visible()
    header = page.locator("header.site-header")
    expect(header.get_by_role("link", name=USERNAME, exact=True)).to_be_visible()
    expect(header.get_by_role("button", name="Log out")).to_be_visible()

    # Post a work: Explicit, two chapters expected, plain text with a scene break.
    header.get_by_role("link", name="Post new work").click()
    labelled(page, "Rating").select_option("Explicit")
    labelled(page, "No Archive Warnings Apply").check()
    labelled(page, "Fandoms").fill("Harbour Tales")
    labelled(page, "Characters").fill("Mira Vale")
    labelled(page, "Work Title").fill(TITLE)
    labelled(page, "Expected number of chapters").fill("2")
    labelled(page, "Text format").select_option(label="Plain text")
    labelled(page, "Work text").fill(CHAPTER_ONE_TEXT)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    work_url = page.url

    # Add the second chapter.
    page.get_by_role("link", name="Add chapter").click()
    labelled(page, "Text format").select_option(label="Plain text")
    labelled(page, "Work text").fill(CHAPTER_TWO_TEXT)
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Chapter was successfully added.")).to_be_visible()
    expect(page.get_by_text(CHAPTER_TWO_TEXT)).to_be_visible()
    chapter_two_url = page.url
    assert chapter_two_url != work_url and "/chapters/" in chapter_two_url

    # Log out with the header's button.
    page.locator("header.site-header").get_by_role("button", name="Log out").click()
    expect(page.locator("header.site-header").get_by_role("link", name="Log in")).to_be_visible()

    # As a guest the work first asks about adult content and shows none of the text.
    page.goto(work_url)
    expect(page.get_by_role("heading", name="This work could have adult content.")).to_be_visible()
    html = page.content()
    assert PARAGRAPH_ONE not in html and PARAGRAPH_TWO not in html
    assert CHAPTER_TWO_TEXT not in html

    # "Yes, continue" shows chapter 1: two paragraphs around a scene break.
    page.get_by_role("link", name="Yes, continue").click()
    chapter_text = page.locator("section.chapter .userstuff")
    expect(chapter_text.get_by_text(PARAGRAPH_ONE)).to_be_visible()
    expect(chapter_text.get_by_text(PARAGRAPH_TWO)).to_be_visible()
    expect(chapter_text.locator("hr")).to_have_count(1)
    expect(page.get_by_text(CHAPTER_TWO_TEXT)).to_have_count(0)

    # On to chapter 2, without being asked again.
    page.get_by_role("link", name="Next chapter →").first.click()
    expect(page).to_have_url(chapter_two_url)
    expect(page.get_by_text(CHAPTER_TWO_TEXT)).to_be_visible()
    expect(page.get_by_text(PARAGRAPH_ONE)).to_have_count(0)

    assert not browser.csp_violations(), "\n".join(browser.csp_violations())
