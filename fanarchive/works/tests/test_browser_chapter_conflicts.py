"""Edit conflicts in a real browser: text kept only in the browser (an expired login) and
put back later still says which version it was typed on, so it cannot silently replace
a co-creator's save made in between.

Runs Debian's Chromium like test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from fanarchive.core.testing import make_user, make_work
from fanarchive.works.creator_services import creator_invite
from fanarchive.works.inputs import chapter_input_of
from fanarchive.works.models import Chapter
from fanarchive.works.services import chapter_update
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)
from fanarchive.works.tests.test_browser_autosave import log_in

pytestmark = pytest.mark.browser

INES = "Ines counted seven boats, and waited on the harbour wall for the eighth."
MIRA = "Mira counted eight boats coming home, and the lantern held."


def test_text_restored_from_the_browser_keeps_its_version(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    page = session.page
    mira, ines = make_user("mira_keeper"), make_user("ines_keeper")
    ines.preference.accept_cocreator_invitations = True
    ines.preference.save()
    work = make_work(mira, title="The Eighth Boat")
    creator_invite(user=mira, work=work, pseud_name=ines.username)
    chapter = work.chapters.get()
    edit_url = f"/works/{work.pk}/chapters/{chapter.pk}/edit/"

    log_in(page, ines.username)
    page.goto(edit_url)
    # Ines's login expires while she types: only her browser keeps the text.
    page.context.clear_cookies()
    labelled(page, "Work text").fill(INES)
    page.wait_for_timeout(1500)
    context = page.context
    page.close(run_before_unload=True)

    # Meanwhile Mira saves the chapter.
    data = chapter_input_of(chapter)
    data.text = MIRA
    chapter_update(user=mira, chapter=Chapter.objects.get(pk=chapter.pk), data=data)

    page = context.new_page()
    log_in(page, ines.username)
    page.goto(edit_url)
    expect(labelled(page, "Work text")).to_have_value(INES)
    page.get_by_role("button", name="Update").click()
    expect(page.get_by_text("This chapter changed while you were editing it")).to_be_visible()
    expect(page.locator("#conflict-their-text")).to_have_value(MIRA)
    expect(labelled(page, "Work text")).to_have_value(INES)
    assert Chapter.objects.get(pk=chapter.pk).source == MIRA

    # After reviewing, saving her version goes through.
    page.get_by_role("button", name="Save my version").click()
    expect(page.get_by_text("Chapter was successfully updated.")).to_be_visible()
    assert Chapter.objects.get(pk=chapter.pk).source == INES
    assert not session.csp_violations(), "\n".join(session.csp_violations())
