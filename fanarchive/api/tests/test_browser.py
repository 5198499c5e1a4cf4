"""The API docs page in a real browser: Swagger UI from this server, under the site's CSP."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fanarchive.works.tests.test_browser import Browser, browser, require_chromium

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, shared with the works app's browser test


def test_docs_page_renders_the_schema_without_csp_violations(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto("/api/v1/docs")
    expect(page.get_by_text("Fanarchive API").first).to_be_visible()
    works = page.locator(".opblock-summary-path", has_text="/api/v1/works").first
    expect(works).to_be_visible()
    # Try one operation from the page: the GET reaches the API and shows its answer.
    page.locator("#operations-works-works_list .opblock-summary").click()
    page.get_by_role("button", name="Try it out").click()
    page.get_by_role("button", name="Execute").click()
    status = page.locator(".live-responses-table tbody .response-col_status").first
    expect(status).to_have_text("200")
    assert session.csp_violations() == []
    assert all(url.startswith(live_server.url) for url in requested), requested
