"""A whole gift exchange in a real browser (issue 17, "Must show"): the owner makes the
tag set and the collection and sets up the exchange through the pages; three participants
sign up through the sign-up page; the owner closes sign-ups, generates matches (run by the
worker, as in production) and sends the assignments; two givers post works and fulfil their
assignments; the third defaults; the owner gives that assignment to a pinch hitter, who
fulfils it. Then time moves past the reveal dates (the cron command, with its clock set
later: the same `reveals_due` the scheduled task runs): at the works reveal each recipient
finds their gift in their inbox and on their gifts page (and not before), and at the author
reveal the gifts name their creators (not before).

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Browser as PlaywrightBrowser
from playwright.sync_api import Page, expect

from fanarchive.challenges.models import Assignment, Challenge
from fanarchive.core.testing import make_user, run_due_tasks
from fanarchive.works.models import Work
from fanarchive.works.tests.test_browser import (  # noqa: F401 (the fixture is used by name)
    Browser,
    browser,
    labelled,
    require_chromium,
)
from fanarchive.works.tests.test_browser_autosave import log_in

pytestmark = pytest.mark.browser

COLLECTION = "Lantern_Swap"
TITLE = "Lantern Swap"
HARBOUR, LANTERN, CLOCKS = "Harbour Tales", "Lantern Road", "The Clockmakers"
# participant -> (request, offer): alice writes for bob, bob for cara, cara for alice.
PEOPLE = {
    "swap_alice": (HARBOUR, LANTERN),
    "swap_bob": (LANTERN, CLOCKS),
    "swap_cara": (CLOCKS, HARBOUR),
}
OWNER, PINCH = "swap_owner", "swap_pinch"
# The gift each recipient gets, and its writer.
GIFTS = {
    "swap_bob": ("Lamps Along the Road", "swap_alice"),
    "swap_cara": ("The Clock That Ran Backwards", "swap_bob"),
    "swap_alice": ("Harbour Lights for Alice", PINCH),
}


def _as(chromium: PlaywrightBrowser, base_url: str, username: str) -> Page:
    """A page logged in as `username`, in a context (cookies) of its own."""
    context = chromium.new_context(base_url=base_url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, username)
    return page


def _moment(days: int) -> str:
    """A datetime-local value, `days` from now (UTC, as the settings form takes it)."""
    return (timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


def _set_up(page: Page) -> None:
    """The owner: the tag set, the collection, the exchange with its dates."""
    page.goto("/tag-sets/new/")
    labelled(page, "Title").fill("Lantern Swap tags")
    page.get_by_role("button", name="Create tag set").click()
    labelled(page, "Tag type").select_option(label="Fandom")
    labelled(page, "Tag names (comma-separated)").fill(f"{HARBOUR}, {LANTERN}, {CLOCKS}")
    page.get_by_role("button", name="Add tags").click()
    expect(page.get_by_label(CLOCKS, exact=True)).to_be_visible()

    page.goto("/collections/new/")
    labelled(page, "Name").fill(COLLECTION)
    labelled(page, "Title").fill(TITLE)
    page.get_by_role("button", name="Create").click()
    expect(page.get_by_role("heading", name=TITLE)).to_be_visible()

    page.get_by_role("link", name="Set up a challenge").click()
    page.get_by_role("radio", name="Gift exchange").check()
    unrevealed = page.get_by_role("checkbox", name=re.compile("unrevealed and anonymous"))
    expect(unrevealed).to_be_checked()
    page.get_by_role("button", name="Set up challenge").click()
    labelled(page, "Tag set").select_option(label="Lantern Swap tags")
    labelled(page, "Sign-ups are open").check()
    labelled(page, "Assignments due on").fill(_moment(7))
    labelled(page, "Works revealed on").fill(_moment(10))
    labelled(page, "Creators revealed on").fill(_moment(12))
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("link", name="Matching", exact=True)).to_be_visible()


def _sign_up(page: Page, request: str, offer: str) -> None:
    page.goto(f"/collections/{COLLECTION}/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    labelled(page, "Request 1: title").fill(f"Something in {request}")
    labelled(page, "Request 1: Fandoms").fill(request)
    labelled(page, "Request 1: description").fill("Anything hopeful, please.")
    labelled(page, "Offer 1: Fandoms").fill(offer)
    page.get_by_role("button", name="Sign up", exact=True).click()
    expect(page.get_by_text(f"Something in {request}").first).to_be_visible()


def _post_work(page: Page, title: str, fandom: str) -> None:
    labelled(page, "Rating").select_option("General Audiences")
    labelled(page, "No Archive Warnings Apply").check()
    labelled(page, "Fandoms").fill(fandom)
    labelled(page, "Work Title").fill(title)
    labelled(page, "Text format").select_option(label="Plain text")
    labelled(page, "Work text").fill(f"{title}: the lamps were lit one by one along the quay.")
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()


def _open_assignment(page: Page, username: str, recipient: str) -> None:
    page.goto(f"/users/{username}/assignments/")
    page.get_by_role("link", name=f"For {recipient}").click()
    expect(page.get_by_role("heading", name=f"Your gift for {recipient}")).to_be_visible()


def _fulfil(page: Page, username: str, recipient: str, title: str, fandom: str) -> None:
    """From the assignment: follow "Post a new work", post, come back and fulfil."""
    _open_assignment(page, username, recipient)
    expect(page.get_by_text("Anything hopeful, please.")).to_be_visible()  # the request
    page.get_by_role("link", name="Post a new work").click()
    expect(labelled(page, "Work Title")).to_be_visible()
    _post_work(page, title, fandom)
    _open_assignment(page, username, recipient)
    labelled(page, "Fulfil with one of your works").select_option(label=title)
    page.get_by_role("button", name="Fulfil").click()
    expect(page.get_by_text(f"{title} fulfils your assignment")).to_be_visible()


def _inbox_has(page: Page, text: str) -> bool:
    page.goto("/inbox/")
    return text in page.content()


def test_a_gift_exchange_from_sign_up_to_the_reveals(request, live_server):
    require_chromium()
    session: Browser = request.getfixturevalue("browser")
    chromium = session.page.context.browser
    assert chromium is not None
    for username in (OWNER, PINCH, *PEOPLE):
        make_user(username)

    # 1. The owner sets the exchange up; three participants sign up.
    owner = _as(chromium, live_server.url, OWNER)
    _set_up(owner)
    pages = {name: _as(chromium, live_server.url, name) for name in PEOPLE}
    for name, (wanted, offered) in PEOPLE.items():
        _sign_up(pages[name], wanted, offered)

    # 2. The owner closes sign-ups and generates matches; the worker runs the matching.
    owner.goto(f"/collections/{COLLECTION}/challenge/edit/")
    labelled(owner, "Sign-ups are open").uncheck()
    owner.get_by_role("button", name="Save settings").click()
    owner.get_by_role("link", name="Matching", exact=True).click()
    owner.get_by_role("button", name="Generate matches").click()
    expect(owner.get_by_text("Matching is running").first).to_be_visible()
    assert run_due_tasks() >= 1
    owner.reload()
    expect(owner.get_by_role("heading", name="Potential assignments (3)")).to_be_visible()
    expect(owner.get_by_text("Everyone has a giver and a recipient.")).to_be_visible()
    owner.get_by_role("button", name="Send assignments").click()
    expect(owner.get_by_text("3 assignments sent; each giver is told")).to_be_visible()

    # The worker tells each giver who they write for, with the request.
    assert run_due_tasks() >= 1
    assert _inbox_has(pages["swap_alice"], "Your assignment in Lantern Swap")

    # 3. Two givers post works and fulfil; the third defaults.
    for recipient, (title, writer) in GIFTS.items():
        if writer != PINCH:
            _fulfil(pages[writer], writer, recipient, title, PEOPLE[recipient][0])
    cara = pages["swap_cara"]
    _open_assignment(cara, "swap_cara", "swap_alice")
    cara.get_by_role("button", name="Default").click()
    expect(cara.get_by_text("The assignment is marked defaulted")).to_be_visible()

    # 4. The owner, told of the default, gives it to a pinch hitter, who fulfils it.
    assert _inbox_has(owner, "An assignment in Lantern Swap was defaulted")
    owner.goto(f"/collections/{COLLECTION}/assignments/")
    expect(owner.get_by_text("Defaulted: needs a pinch hitter")).to_be_visible()
    labelled(owner, "Pinch hitter for swap_alice").fill(PINCH)
    owner.get_by_role("button", name="Assign pinch hitter").click()
    expect(owner.get_by_text(f"{PINCH} now writes for swap_alice")).to_be_visible()
    pinch = _as(chromium, live_server.url, PINCH)
    assert _inbox_has(pinch, "Your pinch-hit assignment in Lantern Swap")
    title, _writer = GIFTS["swap_alice"]
    _fulfil(pinch, PINCH, "swap_alice", title, HARBOUR)
    owner.goto(f"/collections/{COLLECTION}/assignments/")
    expect(owner.get_by_role("cell", name="Fulfilled", exact=True)).to_have_count(3)

    # Before the works reveal, no recipient hears of, or sees, their gift.
    for recipient, (title, _writer) in GIFTS.items():
        assert not _inbox_has(pages[recipient], title), recipient
        pages[recipient].goto(f"/works/gifts/{recipient}/")
        expect(pages[recipient].get_by_text(title)).to_have_count(0)

    # 5. Time passes the works reveal: each recipient finds their gift, still anonymous.
    challenge = Challenge.objects.get(collection__name=COLLECTION)
    assert challenge.works_reveal_at is not None and challenge.authors_reveal_at is not None
    later = challenge.works_reveal_at + dt.timedelta(minutes=1)
    call_command("challenges-due", now=later)
    for recipient, (title, writer) in GIFTS.items():
        page = pages[recipient]
        assert _inbox_has(page, title), recipient
        page.goto(f"/works/gifts/{recipient}/")
        page.get_by_role("link", name=title).click()
        expect(page.get_by_role("heading", name=title, exact=True)).to_be_visible()
        byline = page.locator(".byline").first
        expect(byline).to_contain_text("Anonymous")
        expect(byline).not_to_contain_text(writer)

    # 6. Time passes the author reveal: the gifts name their creators.
    call_command("challenges-due", now=challenge.authors_reveal_at + dt.timedelta(minutes=1))
    for recipient, (title, writer) in GIFTS.items():
        work = Work.objects.get(title=title)
        page = pages[recipient]
        page.goto(work.get_absolute_url())
        expect(page.locator(".byline").first).to_contain_text(writer)

    challenge.refresh_from_db()
    assert challenge.works_revealed_at == later
    assert Assignment.objects.filter(challenge=challenge, fulfilled_at__isnull=False).count() == 3
    assert not session.csp_violations(), "\n".join(session.csp_violations())
