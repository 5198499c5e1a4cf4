"""Filters on a phone and on a desktop, in a real browser (issue 18): the "Filters" button
sits above the first blurb of /works/ and opens the filter form there; on a wide screen
the form is open beside the results with "Sort and filter" near its top.

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import ViewportSize, expect

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import GENERAL, MATURE
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    require_chromium,
)

pytestmark = pytest.mark.browser

PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 900}


def shelf() -> None:
    writer = make_user("tide_writer")
    for n in range(8):
        make_work(
            writer,
            title=f"Harbour Story {n}",
            rating=GENERAL if n % 2 else MATURE,
            fandoms=["Harbour Tales"],
            summary="Boats and lanterns, and the long wait for the tide.",
        )


def test_on_a_phone_filters_open_and_apply_from_above_the_first_blurb(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    shelf()
    page.set_viewport_size(PHONE)
    page.goto("/works/")
    first_blurb = page.locator("li.blurb").first
    button = page.locator("summary", has_text="Filters")
    expect(button).to_be_visible()
    button_box, blurb_box = button.bounding_box(), first_blurb.bounding_box()
    assert button_box is not None and blurb_box is not None
    assert button_box["y"] + button_box["height"] <= blurb_box["y"]
    assert button_box["y"] + button_box["height"] <= PHONE["height"]  # no scrolling to reach it
    # Closed until asked: the blurbs are what a phone shows first.
    expect(page.get_by_role("checkbox", name="General Audiences")).to_be_hidden()
    button.click()
    general = page.get_by_role("checkbox", name="General Audiences")
    expect(general).to_be_visible()
    general.check()
    apply = page.get_by_role("button", name="Sort and filter").first
    apply_box = apply.bounding_box()
    assert apply_box is not None
    # The form's own button comes before the first blurb, too.
    blurb_box = page.locator("li.blurb").first.bounding_box()
    assert blurb_box is not None and apply_box["y"] < blurb_box["y"]
    apply.click()
    expect(page.locator("#results-heading")).to_contain_text("4 Works")
    titles = page.locator("li.blurb h3.heading a[href^='/works/']").all_inner_texts()
    assert sorted(titles) == [f"Harbour Story {n}" for n in (1, 3, 5, 7)]
    assert session.csp_violations() == []


def test_on_a_desktop_the_filters_are_open_beside_the_results(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    shelf()
    page.set_viewport_size(DESKTOP)
    page.goto("/works/")
    expect(
        page.get_by_role("checkbox", name="General Audiences")
    ).to_be_visible()  # opened by filters.js
    expect(page.locator("summary", has_text="Filters")).to_be_hidden()
    apply = page.get_by_role("button", name="Sort and filter").first
    apply_box, blurb_box = apply.bounding_box(), page.locator("li.blurb").first.bounding_box()
    assert apply_box is not None and blurb_box is not None
    assert apply_box["y"] + apply_box["height"] <= DESKTOP["height"]  # in the first screen
    assert apply_box["x"] > blurb_box["x"] + blurb_box["width"]  # in the sidebar, to the right
    # The header's search box works from any page.
    page.goto("/about/terms/")
    page.get_by_label("Search works").fill("lanterns")
    page.get_by_label("Search works").press("Enter")
    expect(page.locator("#results-heading")).to_contain_text("found for “lanterns”")
    assert session.csp_violations() == []
