"""Kudos in a real browser: the button updates the list in place, with no page load and
no Content-Security-Policy complaint (static/js/kudos.js, no inline script).

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Kudos
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    require_chromium,
)
from fanarchive.works.tests.test_browser_autosave import log_in

pytestmark = pytest.mark.browser


def test_kudos_button_updates_the_list_in_place(request, live_server):
    require_chromium()
    work = make_work(make_user("kudos_writer"), title="Lanterns on the Quay")
    make_user("kudos_reader")
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    log_in(page, "kudos_reader")
    page.goto(work.get_absolute_url())
    page.evaluate("window.stayedOnPage = true")
    page.get_by_role("button", name="Kudos ♥").click()
    kudos = page.locator("#kudos")
    expect(kudos.get_by_text("kudos_reader left kudos on this work!")).to_be_visible()
    expect(kudos.get_by_text("Thank you for leaving kudos!")).to_be_visible()
    expect(page.get_by_role("button", name="Kudos ♥")).to_have_count(0)
    # No navigation happened: the page's own state is still there.
    assert page.evaluate("window.stayedOnPage") is True
    assert Kudos.objects.filter(work=work, user__username="kudos_reader").count() == 1
    assert session.csp_violations() == []
