"""Reader settings in a real browser: a choice previews at once, a saved theme is on the
very first paint of the next page (no flash of the system's theme), the work text takes
the reader's size, and a work skin applies inside the work, with no CSP complaint.

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fanarchive.core.testing import make_user, work_input
from fanarchive.works.services import ChapterInput, work_create
from fanarchive.works.skin_services import work_skin_set
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)

pytestmark = pytest.mark.browser

DARK_BG = "rgb(24, 24, 24)"
SEPIA_BG = "rgb(244, 236, 216)"


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_settings_preview_then_apply_from_the_first_paint(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    page.emulate_media(color_scheme="light")
    writer = make_user()
    text = '<p class="text-message">Meet me at the lighthouse.</p><p>She did not answer.</p>'
    work = work_create(
        user=writer,
        data=work_input(title="Signals"),
        chapters=[ChapterInput(text=text, text_format="html")],
        post=True,
    )
    work_skin_set(user=writer, work=work, css=".text-message { color: #1a4d8f }")

    page.goto("/settings/reading/")
    labelled(page, "Theme").select_option("dark")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    assert background(page) == DARK_BG  # previewed before saving
    labelled(page, "Theme").select_option("sepia")
    labelled(page, "Text size").select_option("150")
    page.get_by_role("button", name="Save reading settings").click()
    expect(page.get_by_role("status")).to_contain_text("saved in this browser")

    # The next page is sepia from its first paint: the attribute is in the HTML itself.
    page.goto(f"/works/{work.pk}/", wait_until="commit")
    page.wait_for_selector("body", state="attached")
    assert page.evaluate("document.documentElement.dataset.theme") == "sepia"
    page.wait_for_load_state("load")
    assert background(page) == SEPIA_BG
    size = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('#workskin .userstuff')).fontSize)"
    )
    assert size == pytest.approx(1.62 * 16, abs=0.5)
    colour = page.evaluate("getComputedStyle(document.querySelector('.text-message')).color")
    assert colour == "rgb(26, 77, 143)"
    assert not session.csp_violations()
