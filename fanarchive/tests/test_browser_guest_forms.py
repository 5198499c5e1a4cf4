"""A guest's forms in a real browser, with the site's CSRF protection as it runs in
production (the live server enforces it): the pages carry no token and set no CSRF
cookie, and Chromium's own `Sec-Fetch-Site` and `Origin` headers are what let the kudos
(by kudos.js's fetch), a comment, the language chooser and the log-in through
(core/csrf.py). The same form on another site's page is refused.

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Comment, Kudos
from fanarchive.works.models import CommentPolicy, Work
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)
from fanarchive.works.tests.test_browser_autosave import log_in

pytestmark = pytest.mark.browser

# Another site, served by the browser itself (Playwright's routing): no server, no DNS.
ELSEWHERE = "http://elsewhere.test/"


def csrf_cookies(session: Browser) -> list[str]:
    return [
        c["name"] for c in session.page.context.cookies() if c["name"] == settings.CSRF_COOKIE_NAME
    ]


def test_a_guest_leaves_kudos_and_a_comment_and_changes_language(request, live_server):
    require_chromium()
    work = make_work(make_user("guest_form_writer"), title="Lanterns for Guests")
    Work.objects.filter(pk=work.pk).update(comment_policy=CommentPolicy.EVERYONE)
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    page.goto(work.get_absolute_url())
    assert page.locator('input[name="csrfmiddlewaretoken"]').count() == 0
    # kudos.js posts the form with fetch(): the browser vouches for it.
    page.get_by_role("button", name="Kudos ♥").click()
    expect(page.locator("#kudos").get_by_text("Thank you for leaving kudos!")).to_be_visible()
    assert Kudos.objects.filter(work=work, user=None).count() == 1
    # A comment, by an ordinary form post.
    page.goto(work.get_absolute_url())
    labelled(page, "Name").fill("Pip")
    labelled(page, "Comment").fill("The lamps came on one by one.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("The lamps came on one by one.")).to_be_visible()
    assert Comment.objects.get().guest_name == "Pip"
    # The footer's language chooser.
    page.locator("#footer-language").select_option("es")
    page.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert csrf_cookies(session) == []
    assert session.csp_violations() == []


def test_a_guest_logs_in_and_then_the_pages_have_tokens(request, live_server):
    require_chromium()
    make_user("guest_form_member")
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    page.goto("/login/")
    assert page.locator('input[name="csrfmiddlewaretoken"]').count() == 0
    assert csrf_cookies(session) == []
    log_in(page, "guest_form_member")
    # Logged in: the secret was set at the log-in, and the forms carry its token.
    assert csrf_cookies(session) == [settings.CSRF_COOKIE_NAME]
    assert page.locator('input[name="csrfmiddlewaretoken"]').count() >= 1
    page.locator("header.site-header").get_by_role("button", name="Log out").click()
    expect(page.locator("header.site-header").get_by_role("link", name="Log in")).to_be_visible()


def test_the_same_form_on_another_site_is_refused(request, live_server):
    require_chromium()
    work = make_work(make_user("guest_form_target"), title="Lanterns Defended")
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    forged = (
        "<!DOCTYPE html><title>Win a prize</title>"
        f'<form method="post" action="{live_server.url}/works/{work.pk}/kudos/">'
        '<button type="submit">Claim</button></form>'
    )
    page.context.route(
        f"{ELSEWHERE}**", lambda route: route.fulfill(body=forged, content_type="text/html")
    )
    page.goto(ELSEWHERE)
    page.get_by_role("button", name="Claim").click()
    expect(page.get_by_text("Sorry, the archive could not accept that form.")).to_be_visible()
    assert not Kudos.objects.filter(work=work).exists()
