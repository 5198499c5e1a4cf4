"""Tag autocomplete in a real browser: the posting form's fields, keyboard only."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.tag_count_services import tags_recount
from fanarchive.works.tests.test_browser import Browser, browser, labelled, require_chromium
from fanarchive.wrangling.services import tag_link_fandom, tag_set_canonical

pytestmark = pytest.mark.browser
__all__ = ["browser"]  # the fixture, shared with the works app's browser test


def test_autocomplete_on_the_posting_form(request, live_server):
    require_chromium()
    admin = make_user("tag_admin", is_staff=True)
    make_work(admin, fandoms=["Harbour Tales"], characters=["Mira Vale", "Tomas Reyes"])
    make_work(admin, fandoms=["Skyward Lanterns"], characters=["Mirabel Kestrel"])
    harbour = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    tag_set_canonical(user=admin, tag=harbour, canonical=True)
    for name in ("Mira Vale", "Tomas Reyes"):
        tag = Tag.objects.get(type=TagType.CHARACTER, name=name)
        tag_set_canonical(user=admin, tag=tag, canonical=True)
        tag_link_fandom(user=admin, tag=tag, fandom=harbour)
    tags_recount()
    writer = make_user("lantern_writer")

    session: Browser = request.getfixturevalue("browser")
    page = session.page
    page.goto("/login/")
    labelled(page, "User name or e-mail").fill(writer.username)
    labelled(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.goto("/works/new/")

    labelled(page, "Fandoms").fill("Harbour Tales")
    characters = page.get_by_role("combobox", name=re.compile("Characters"))
    characters.press_sequentially("Tomas Reyes, mi", delay=20)
    listbox = page.locator("#field-characters").get_by_role("listbox")
    # Limited to the fandom typed above: Mirabel Kestrel is in another fandom.
    expect(listbox.get_by_role("option")).to_have_text(["Mira Vale(1)"])
    expect(characters).to_have_attribute("aria-expanded", "true")
    characters.press("ArrowDown")
    expect(characters).to_have_attribute("aria-activedescendant", re.compile("autocomplete-list-"))
    characters.press("Enter")
    expect(characters).to_have_value("Tomas Reyes, Mira Vale, ")
    expect(characters).to_have_attribute("aria-expanded", "false")
    characters.press_sequentially("zz", delay=20)
    characters.press("Escape")
    assert session.csp_violations() == []
