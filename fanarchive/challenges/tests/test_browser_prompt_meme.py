"""A prompt meme from prompt to fill in a real browser (issue 17, "Must show"): a
moderator sets the meme up through the setup pages (tag set, collection, challenge
settings); a prompter posts a prompt anonymously through the sign-up page; a writer finds it
by the tag filter and "unfilled", claims it, posts a work through /works/new/ and fills the
claim from "My claims"; the prompt page shows the fill, the "unfilled" filter no longer
lists it, and no page the writer saw names the prompter.

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from fanarchive.challenges.models import Claim, Prompt
from fanarchive.core.testing import make_user
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)
from fanarchive.works.tests.test_browser_autosave import log_in

pytestmark = pytest.mark.browser

FANDOM = "Tidewater Almanac"
CHARACTERS = ("Perrin Hale", "Oona Marsh")
COLLECTION = "Tidewater_Prompts"
PROMPT_TITLE = "Storm over the lighthouse"
PROMPTER = "hidden_lantern"
WORK_TITLE = "The Lamp That Would Not Go Out"


def _as(context: BrowserContext, username: str) -> Page:
    page = context.new_page()
    log_in(page, username)
    return page


def _set_up_meme(page: Page) -> None:
    """The moderator: a tag set, the collection, then the prompt meme's settings."""
    page.goto("/tag-sets/new/")
    labelled(page, "Title").fill("Tidewater tags")
    page.get_by_role("button", name="Create tag set").click()
    for tag_type, names in (("Fandom", [FANDOM]), ("Character", list(CHARACTERS))):
        labelled(page, "Tag type").select_option(label=tag_type)
        labelled(page, "Tag names (comma-separated)").fill(", ".join(names))
        page.get_by_role("button", name="Add tags").click()
        expect(page.get_by_label(names[0], exact=True)).to_be_visible()

    page.goto("/collections/new/")
    labelled(page, "Name").fill(COLLECTION)
    labelled(page, "Title").fill("Tidewater Prompts")
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name="Tidewater Prompts")).to_be_visible()

    page.get_by_role("link", name="Set up a challenge").click()
    page.get_by_label("Prompt meme").check()
    labelled(page, "Make the collection unrevealed and anonymous (usual for exchanges)").uncheck()
    page.get_by_role("button", name="Set up challenge").click()
    labelled(page, "Tag set").select_option(label="Tidewater tags")
    labelled(page, "Sign-ups are open").check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("link", name="Prompts", exact=True)).to_be_visible()


def _post_prompt(page: Page) -> None:
    """The prompter signs up with one prompt, anonymously."""
    page.goto(f"/collections/{COLLECTION}/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    labelled(page, "Prompt 1: title").fill(PROMPT_TITLE)
    labelled(page, "Prompt 1: Fandoms").fill(FANDOM)
    labelled(page, "Prompt 1: Characters").fill(CHARACTERS[0])
    labelled(page, "Prompt 1: description").fill("The keeper's lamp fails on the longest night.")
    labelled(page, "Prompt 1: post anonymously").check()
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_text(PROMPT_TITLE).first).to_be_visible()


def test_a_prompt_meme_from_an_anonymous_prompt_to_a_fill(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    context = session.page.context
    make_user("tide_moderator")
    make_user(PROMPTER)
    make_user("other_prompter")
    make_user("fill_writer")

    _set_up_meme(_as(context, "tide_moderator"))
    _post_prompt(_as(context, PROMPTER))
    other = _as(context, "other_prompter")
    other.goto(f"/collections/{COLLECTION}/signup/")
    labelled(other, "Prompt 1: title").fill("Oona at the tide pools")
    labelled(other, "Prompt 1: Fandoms").fill(FANDOM)
    labelled(other, "Prompt 1: Characters").fill(CHARACTERS[1])
    other.get_by_role("button", name="Sign up", exact=True).click()
    expect(other.get_by_text("Oona at the tide pools").first).to_be_visible()

    # The writer looks for prompts about Perrin Hale that nobody has filled.
    writer = _as(context, "fill_writer")
    seen: list[str] = []

    def look() -> None:
        seen.append(writer.content())

    writer.goto(f"/collections/{COLLECTION}/")
    look()
    writer.get_by_role("link", name="Prompts", exact=True).click()
    labelled(writer, "Tag").fill(CHARACTERS[0].lower())
    labelled(writer, "Only unfilled prompts").check()
    writer.get_by_role("button", name="Filter").click()
    prompts = writer.locator("li.prompt")
    expect(prompts).to_have_count(1)
    expect(prompts.first).to_contain_text(PROMPT_TITLE)
    expect(prompts.first).to_contain_text("by Anonymous")
    look()
    prompts.first.get_by_role("button", name="Claim").click()
    expect(writer.get_by_text("You claimed this prompt.")).to_be_visible()
    look()

    # Post the work, then fill the claim with it from "My claims".
    writer.goto("/users/fill_writer/claims/")
    look()
    writer.get_by_role("link", name="Post a new work").click()
    labelled(writer, "Rating").select_option("General Audiences")
    labelled(writer, "No Archive Warnings Apply").check()
    labelled(writer, "Fandoms").fill(FANDOM)
    labelled(writer, "Characters").fill(CHARACTERS[0])
    labelled(writer, "Work Title").fill(WORK_TITLE)
    labelled(writer, "Text format").select_option(label="Plain text")
    labelled(writer, "Work text").fill("Perrin climbed the stair with the last of the oil.")
    writer.get_by_role("button", name="Post", exact=True).click()
    expect(writer.get_by_text("Work was successfully posted.")).to_be_visible()
    look()
    writer.goto("/users/fill_writer/claims/")
    claim_row = writer.locator("li.claim", has_text=PROMPT_TITLE)
    claim_row.get_by_label("Fill with one of your works").select_option(label=WORK_TITLE)
    claim_row.get_by_role("button", name="Fill claim").click()
    expect(writer.get_by_text(f"Your claim is filled with {WORK_TITLE}.")).to_be_visible()
    look()

    # The prompt page shows the fill; "unfilled" no longer lists the prompt.
    writer.get_by_role("link", name=PROMPT_TITLE).click()
    fills = writer.locator("section.fills")
    expect(fills.get_by_role("link", name=WORK_TITLE)).to_be_visible()
    expect(writer.locator("li.claim")).to_contain_text("fill_writer")
    look()
    writer.goto(f"/collections/{COLLECTION}/prompts/?tag={CHARACTERS[0]}&unfilled=on")
    expect(writer.get_by_text("No prompts match.")).to_be_visible()
    look()
    writer.goto(f"/collections/{COLLECTION}/prompts/?unfilled=on")
    expect(writer.locator("li.prompt")).to_have_count(1)
    expect(writer.locator("li.prompt")).to_contain_text("Oona at the tide pools")
    look()

    for content in seen:
        assert PROMPTER not in content
    claim = Claim.objects.select_related("work").get()
    assert claim.work is not None and claim.work.title == WORK_TITLE
    assert Prompt.objects.get(title=PROMPT_TITLE).anonymous is True
    assert not claim.work.gifts.exists()
    assert not [text for text in session.console if re.search("Content Security Policy", text)]
