"""The set-up in a real Chromium: an owner makes a tag set and a gift exchange through the
pages, a participant signs up by the form's labels and sees the sign-up; no page breaks
the content security policy."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fanarchive.challenges.models import Challenge, SignUp
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import PASSWORD, make_user
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)

pytestmark = pytest.mark.browser


def _log_in(page, username: str) -> None:
    page.goto("/login/")
    labelled(page, "User name or e-mail").fill(username)
    labelled(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_be_visible()


def _log_out(page) -> None:
    page.locator("header.site-header").get_by_role("button", name="Log out").click()


def test_an_owner_sets_up_an_exchange_and_a_participant_signs_up(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    owner = make_user("harbour_host")
    make_user("lamp_reader")
    make_collection(owner, name="Lamp_Swap", title="Lamp Swap")

    _log_in(page, "harbour_host")
    page.goto("/tag-sets/new/")
    labelled(page, "Title").fill("Lamp Swap Tags")
    page.get_by_role("button", name="Create tag set").click()
    labelled(page, "Tag type").select_option(label="Fandom")
    labelled(page, "Tag names (comma-separated)").fill("Harbour Tales, Lantern Road")
    page.get_by_role("button", name="Add tags").click()
    expect(page.get_by_text("Tags added: Harbour Tales, Lantern Road.")).to_be_visible()
    labelled(page, "Tag type").select_option(label="Character")
    labelled(page, "Tag names (comma-separated)").fill("Mira Vale")
    page.get_by_role("button", name="Add tags").click()
    expect(page.get_by_text("Tags added: Mira Vale.")).to_be_visible()

    page.goto("/collections/Lamp_Swap/")
    page.get_by_role("link", name="Set up a challenge").click()
    labelled(page, "Gift exchange").check()
    page.get_by_role("button", name="Set up challenge").click()
    labelled(page, "Tag set").select_option(label="Lamp Swap Tags")
    labelled(page, "Sign-ups are open").check()
    labelled(page, "Sign-ups close on").fill("2099-06-01T12:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("The challenge's settings were saved.")).to_be_visible()
    expect(page.get_by_text("Sign-ups are open until 1 June 2099")).to_be_visible()
    _log_out(page)

    _log_in(page, "lamp_reader")
    page.goto("/collections/Lamp_Swap/")
    page.get_by_role("link", name="Sign up", exact=True).last.click()
    labelled(page, "Request 1: title").fill("A lamp in the fog")
    labelled(page, "Request 1: Fandoms").fill("Harbour Tales")
    labelled(page, "Request 1: Characters").fill("Mira Vale")
    labelled(page, "Offer 1: Fandoms").fill("Moon Base")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(
        page.get_by_text("Offer 1: Fandom tags not in the challenge's tag set: Moon Base.")
    ).to_be_visible()
    labelled(page, "Offer 1: Fandoms").fill("Lantern Road")
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_text("The sign-up was saved.")).to_be_visible()
    expect(page.get_by_text("A lamp in the fog")).to_be_visible()

    challenge = Challenge.objects.get()
    assert challenge.collection.unrevealed and challenge.collection.anonymous
    assert SignUp.objects.get().prompts.count() == 2
    assert session.csp_violations() == []
