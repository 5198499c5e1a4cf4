"""The scripts' own strings in the reader's language (the JavaScript catalogue, /jsi18n/),
and the scripts still working, in English, when the catalogue does not load.

Runs Debian's Chromium like test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from fanarchive.core.testing import make_user
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    require_chromium,
)
from fanarchive.works.tests.test_browser_editor import log_in

pytestmark = pytest.mark.browser


def choose_language(page: Page, base_url: str, language: str) -> None:
    """What the footer's chooser leaves in the browser."""
    page.context.add_cookies(
        [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url}]
    )


def test_the_editor_toolbar_speaks_spanish(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    log_in(page, make_user("tinta_azul").username)

    # In English first, so the browser already holds the English catalogue...
    page.goto("/works/new/")
    expect(page.get_by_role("button", name="Rich text", exact=True)).to_be_visible()
    # ...then Spanish from the footer's chooser.
    footer = page.locator("form.language-chooser")
    footer.get_by_label("Language").select_option("es")
    footer.get_by_role("button", name="Change language").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    assert page.url.endswith("/works/new/")

    # Made by static/js/text-editor.js, translated by the catalogue.
    modes = page.get_by_role("group", name="Modo de edición")
    modes.get_by_role("button", name="Texto enriquecido", exact=True).click()
    toolbar = page.get_by_role("toolbar", name="Formato")
    expect(toolbar.get_by_role("button", name="Negrita", exact=True)).to_be_visible()
    expect(toolbar.get_by_role("button", name="Cambio de escena", exact=True)).to_be_visible()
    # interpolate(): the field's own (Spanish) label, then the translated rest.
    expect(page.get_by_role("textbox", name="(editor de texto enriquecido)")).to_be_visible()
    expect(toolbar.get_by_role("button", name="Bold", exact=True)).to_have_count(0)
    assert session.csp_violations() == []


def test_without_the_catalogue_the_scripts_work_in_english(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    log_in(page, make_user("sin_catalogo").username)
    choose_language(page, live_server.url, "es")
    page.route("**/jsi18n/*", lambda route: route.abort())

    page.goto("/works/new/")
    page.get_by_role("button", name="Rich text", exact=True).click()
    toolbar = page.get_by_role("toolbar", name="Formatting")
    expect(toolbar.get_by_role("button", name="Bold", exact=True)).to_be_visible()
    editor = page.get_by_role("textbox", name="(rich-text editor)")
    editor.click()
    page.keyboard.type("Sin catálogo")
    expect(editor).to_contain_text("Sin catálogo")
