"""The rich-text editor and the preview in a real browser, and the same form without
JavaScript.

Runs Debian's Chromium like test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.works.models import Chapter, Work
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    TIMEOUT_MS,
    Browser,
    browser,
    labelled,
    require_chromium,
)

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"


def log_in(page: Page, username: str) -> None:
    page.goto("/login/")
    labelled(page, "User name or e-mail").fill(username)
    labelled(page, "Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("header.site-header").get_by_role("button", name="Log out")).to_be_visible()


def axe_violations(page: Page, selector: str) -> list[str]:
    """What axe-core (node_modules, `make assets`) finds wrong in this part of the page."""
    page.evaluate(AXE.read_text())  # run by the browser's debugger: the CSP does not apply
    found = page.evaluate(
        "async (selector) => (await axe.run(document.querySelector(selector)))"
        ".violations.map((v) => v.id + ': ' + v.help)",
        selector,
    )
    return list(found)


def fill_metadata(page: Page, title: str) -> None:
    labelled(page, "Rating").select_option(GENERAL)
    labelled(page, NO_WARNINGS).check()
    labelled(page, "Fandoms").fill("Lantern Coast")
    labelled(page, "Work Title").fill(title)


def test_format_text_in_the_editor_preview_and_post(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    writer = make_user("ink_keeper")
    log_in(page, writer.username)
    page.goto("/works/new/")
    fill_metadata(page, "Salt and Ink")

    # The form opens on the HTML, as on AO3; "Rich text" turns the textarea into the editor.
    textarea = labelled(page, "Work text")
    expect(textarea).to_be_visible()
    page.get_by_role("button", name="Rich text", exact=True).click()
    editor = page.get_by_role("textbox", name="Work text (rich-text editor)")
    expect(editor).to_be_visible()
    expect(textarea).to_be_hidden()
    toolbar = page.get_by_role("toolbar", name="Formatting")
    bold = toolbar.get_by_role("button", name="Bold", exact=True)
    italic = toolbar.get_by_role("button", name="Italic", exact=True)

    assert axe_violations(page, ".rich-editor") == []

    editor.click()
    page.keyboard.type("The lamp turned ")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("twice")
    bold.click()
    expect(bold).to_have_attribute("aria-pressed", "false")
    page.keyboard.type(" tonight.")
    page.keyboard.press("Enter")
    page.keyboard.type("Pavel waved from the ")
    # Keyboard only: back to the toolbar (one tab stop), along it with the arrow keys.
    page.keyboard.press("Shift+Tab")
    expect(bold).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(italic).to_be_focused()
    page.keyboard.press("Enter")
    expect(italic).to_have_attribute("aria-pressed", "true")
    page.keyboard.type("pier")
    italic.click()
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    page.keyboard.type("Morning came")
    toolbar.get_by_role("button", name="Heading", exact=True).click()
    toolbar.get_by_role("button", name="Paragraph", exact=True).click()

    # The textarea the form posts follows the editor.
    expected = (
        "<p>The lamp turned <b>twice</b> tonight.</p>\n\n"
        "<p>Pavel waved from the <i>pier</i>.</p>\n\n"
        "<p>Morning came</p>"
    )
    expect(textarea).to_have_value(expected, timeout=TIMEOUT_MS)

    # Preview: the work as readers will see it, and nothing saved yet.
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.get_by_text("Nothing has been saved or posted yet.")).to_be_visible()
    text = page.locator("article.preview div.userstuff[role=article]")
    expect(text.locator("b")).to_have_text("twice")
    expect(text.locator("i")).to_have_text("pier")
    expect(text.locator("p")).to_have_count(3)
    assert not Work.objects.exists()

    # Post from the preview.
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    text = page.locator("#workskin div.userstuff[role=article]")
    expect(text.locator("b")).to_have_text("twice")
    expect(text.locator("i")).to_have_text("pier")
    expect(text.locator("p").nth(2)).to_have_text("Morning came")
    work = Work.objects.get()
    assert work.posted and work.chapters.get().content == expected

    # The editor opens again with the text, as the writer chose it last time.
    page.get_by_role("link", name="Edit chapter").click()
    editor = page.get_by_role("textbox", name="Work text (rich-text editor)")
    expect(editor.locator("b")).to_have_text("twice")
    page.get_by_role("button", name="HTML", exact=True).click()
    expect(labelled(page, "Work text")).to_have_value(expected)
    # No script error, nothing the CSP refused (the site has no favicon: that 404 is not ours).
    problems = [text for text in session.console if "Failed to load resource" not in text]
    assert problems == [], problems


def test_the_form_posts_without_javascript(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    chromium = session.page.context.browser
    assert chromium is not None
    context = chromium.new_context(base_url=live_server.url, java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    writer = make_user("no_script_writer")
    log_in(page, writer.username)
    page.goto("/works/new/")
    expect(page.get_by_role("toolbar", name="Formatting")).to_have_count(0)
    fill_metadata(page, "Plain Lantern")
    labelled(page, "Work text").fill("<p>No <b>script</b> here.</p>")
    # The preview works without JavaScript too.
    page.get_by_role("button", name="Preview", exact=True).click()
    expect(page.locator("article.preview b")).to_have_text("script")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()
    expect(page.locator("#workskin div.userstuff b")).to_have_text("script")
    context.close()


def test_the_editor_keeps_what_it_cannot_edit_and_never_runs_the_texts_markup(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    writer = make_user("careful_writer")
    hostile = (
        '<p class="glow" onclick="window.clicked = 1">Lamps</p>'
        '<img src="/nowhere.png" onerror="window.pwned = 1"><script>window.pwned = 2</script>'
    )
    work = make_work(writer, texts=["First paragraph.\n\nSecond paragraph."])
    Chapter.objects.filter(work=work).update(text_format="html")
    chapter = work.chapters.get()
    skinned = make_work(writer, texts=["Soon replaced."])
    Chapter.objects.filter(work=skinned).update(text_format="html", source=hostile)
    log_in(page, writer.username)

    # Plain lines in the HTML format open as the paragraphs the archive makes of them;
    # the textarea is left as it was until the writer changes something.
    page.goto(f"/works/{work.pk}/chapters/{chapter.pk}/edit/")
    page.get_by_role("button", name="Rich text", exact=True).click()
    editor = page.get_by_role("textbox", name="Work text (rich-text editor)")
    expect(editor.locator("p")).to_have_text(["First paragraph.", "Second paragraph."])
    textarea = labelled(page, "Work text")
    expect(textarea).to_have_value("First paragraph.\n\nSecond paragraph.")
    # Another format: the textarea alone.
    labelled(page, "Text format").select_option(label="Plain text")
    expect(textarea).to_be_visible()
    expect(page.get_by_role("toolbar", name="Formatting")).to_be_hidden()
    labelled(page, "Text format").select_option(label="Rich text (HTML)")
    expect(editor).to_be_visible()

    # Markup the editor does not keep (a class, an image, a script): the HTML stays, even
    # for a writer who chose the editor, until they ask for it; the editor then shows the
    # text without running any of it.
    other = skinned.chapters.get()
    page.goto(f"/works/{skinned.pk}/chapters/{other.pk}/edit/")
    expect(page.get_by_text("markup the rich-text editor does not edit")).to_be_visible()
    expect(labelled(page, "Work text")).to_have_value(hostile)
    page.get_by_role("button", name="Rich text", exact=True).click()
    editor = page.get_by_role("textbox", name="Work text (rich-text editor)")
    expect(editor.locator("p").first).to_have_text("Lamps")
    editor.locator("p").first.click()
    page.wait_for_timeout(300)
    inner = editor.inner_html()
    for bad in ("onclick", "onerror", "<script", "<img", "glow"):
        assert bad not in inner, bad
    assert page.evaluate("[window.pwned, window.clicked]") == [None, None]
