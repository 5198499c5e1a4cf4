"""Accessibility in a real browser (issue 18): axe-core on every kind of page, in the
light and the dark theme, on a desktop (1280x900) and a phone (390x844), finds no
critical and no serious violation, and every page has exactly one h1. The reader's
sepia and high-contrast themes are checked too, on a few pages at desktop width.

One archive, one Chromium, one page load per page kind: the four looks of a page are the
same document with another viewport and colour scheme (the stylesheet follows
`prefers-color-scheme`), so axe runs four times without reloading. A failure lists every
violation (rule, impact, the elements' selectors) so it can be fixed.

Runs Debian's Chromium like works/tests/test_browser.py (it fails, never skips, without it).
axe-core comes from node_modules (`make assets`), pinned in package.json.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlencode

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import MODERATORS_GROUP
from fanarchive.accounts.reader_settings import COOKIE_NAME
from fanarchive.challenges.models import ChallengeKind
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.core.browser import CHROMIUM, LAUNCH_ARGS
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.history_services import history_record
from fanarchive.moderation.tests.helpers import report_work
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import WRANGLERS_GROUP
from fanarchive.works.tests.test_browser import require_chromium
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TIMEOUT_MS = 15_000
FAILING_IMPACTS = ("critical", "serious")


@dataclass(frozen=True)
class Look:
    name: str
    width: int
    height: int
    scheme: Literal["light", "dark"]  # the system's colour scheme the browser reports
    colours_only: bool = False  # the same layout as a look before it, in other colours


# A colour scheme changes colours, nothing else: axe's colour rules are enough there (every
# rule runs at each width, where what is shown and hidden differs).
COLOUR_RULES = ["color-contrast", "link-in-text-block"]
LOOKS = [
    Look("desktop light", 1280, 900, "light"),
    Look("desktop dark", 1280, 900, "dark", colours_only=True),
    Look("phone dark", 390, 844, "dark"),
    Look("phone light", 390, 844, "light", colours_only=True),
]
# The reader's chosen theme wins over the system's scheme.
READER_THEME = Look("desktop", 1280, 900, "light")

# Only violations that fail the test come back from the page, each with its elements.
RUN_AXE = """async (rules) => {
    const options = {resultTypes: ["violations"]};
    if (rules) options.runOnly = {type: "rule", values: rules};
    const result = await axe.run(document, options);
    return result.violations
        .filter((v) => v.impact === "critical" || v.impact === "serious")
        .map((v) => ({
            id: v.id,
            impact: v.impact,
            help: v.help,
            nodes: v.nodes.map((n) => ({
                target: n.target.join(" "),
                summary: (n.failureSummary || "").replace(/\\s+/g, " ").slice(0, 300),
            })),
        }));
}"""


def _describe(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for violation in violations:
        lines.append(f"{where}: {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.extend(
            f"    {node['target']}  -- {node['summary']}" for node in violation["nodes"][:8]
        )
        if len(violation["nodes"]) > 8:
            lines.append(f"    ... and {len(violation['nodes']) - 8} more")
    return lines


def check_page(
    page: Page, name: str, url: str, looks: list[Look], expected_status: int = 200
) -> list[str]:
    """Load `url` once; run axe in each look; return the problems found, described."""
    page.set_viewport_size({"width": looks[0].width, "height": looks[0].height})
    page.emulate_media(color_scheme=looks[0].scheme, reduced_motion="reduce")
    response = page.goto(url)
    problems: list[str] = []
    status = response.status if response else "no answer"
    if status != expected_status:
        return [f"{name} ({url}): answered {status}"]
    if "/login/" in page.url and "/login/" not in url:
        return [f"{name} ({url}): sent to the login page"]
    headings = page.locator("h1").count()
    if headings != 1:
        problems.append(f"{name} ({url}): {headings} h1 elements, not exactly one")
    page.add_script_tag(path=str(AXE))
    for look in looks:
        page.set_viewport_size({"width": look.width, "height": look.height})
        page.emulate_media(color_scheme=look.scheme, reduced_motion="reduce")
        violations = page.evaluate(RUN_AXE, COLOUR_RULES if look.colours_only else None)
        problems += _describe(f"{name} ({url}) [{look.name}]", violations)
    return problems


def _session_cookie(user: User, base_url: str) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    value = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    return {"name": django_settings.SESSION_COOKIE_NAME, "value": value, "url": base_url}


@pytest.fixture
def chromium(live_server, monkeypatch) -> Iterator[Browser]:
    require_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM stays synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=LAUNCH_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def _context(browser: Browser, base_url: str, *cookies: dict[str, str]) -> BrowserContext:
    # The CSP allows no inline script; axe is injected by the test, not by the site.
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    context.set_default_timeout(TIMEOUT_MS)
    if cookies:
        context.add_cookies(list(cookies))  # type: ignore[arg-type]
    return context


@dataclass
class Archive:
    users: dict[str, User]  # the viewers who log in, by name
    pages: dict[str, dict[str, str]]  # {viewer: {page kind: url}}


def _archive() -> Archive:
    """The data every kind of page the issue names needs, and those pages, by viewer."""
    writer = make_user("harbour_writer")
    reader = make_user("quay_reader")
    wrangler = make_user("tag_sorter")
    wrangler.groups.add(Group.objects.get_or_create(name=WRANGLERS_GROUP)[0])
    admin = make_user("harbourmaster", is_staff=True)
    admin.groups.add(Group.objects.get_or_create(name=MODERATORS_GROUP)[0])

    work = make_work(
        writer,
        title="The Lantern Over the Quay",
        chapters=2,
        fandoms=["Harbour Tales"],
        freeforms=["Found Family", "Lighthouse AU"],
        summary="A keeper counts the boats, and one comes home late.",
        notes="Thanks to everyone at the quay.",
    )
    adult = make_work(writer, title="Night Ferry", rating=EXPLICIT, fandoms=["Harbour Tales"])
    chapters = list(work.chapters.order_by("position"))
    first = comment_create(chapter=chapters[0], user=reader, text="The lantern scene is lovely.")
    comment_create(chapter=chapters[0], user=writer, text="Thank you!", parent=first)
    comment_create(chapter=chapters[1], user=reader, text="Home at last.")
    # Notices in the writer's inbox come from the comments; a bookmark and history of a work.
    bookmark_create(
        user=writer, pseud=writer.default_pseud, work=adult, notes="Reread.", tags=["Cosy"]
    )
    history_record(user=writer, work=work, chapter_id=chapters[1].pk)

    # A wrangled tag: canonical, with a synonym.
    canonical = Tag.objects.get(type=TagType.FREEFORM, name="Found Family")
    tag_set_canonical(user=admin, tag=canonical, canonical=True)
    synonym = Tag.objects.get(type=TagType.FREEFORM, name="Lighthouse AU")
    tag_make_synonym(user=admin, tag=synonym, canonical=canonical)
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")

    report = report_work(work)
    exchange = make_challenge(writer)
    meme = make_challenge(writer, ChallengeKind.PROMPT_MEME)
    make_signup(reader, meme, requests=[{"fandom": ["Harbour Tales"]}])

    guest = {
        "front page": "/",
        "works listing": "/works/",
        "search": "/works/?" + urlencode({"q": "lantern"}),
        "work": work.get_absolute_url(),
        "chapter": f"/works/{work.pk}/chapters/{chapters[1].pk}/",
        "adult-content question": adult.get_absolute_url(),
        "tag's works": f"/tags/{fandom.pk}/works/",
        "wrangled tag": f"/tags/{canonical.pk}/",
        "profile": f"/users/{writer.username}/",
        "collection": f"/collections/{exchange.collection.name}/",
        "prompts": f"/collections/{meme.collection.name}/prompts/",
        "log in": "/login/",
        "sign up": "/signup/",
        "reader settings": "/settings/reading/",
        "error 404": "/no-such-page/",
    }
    own = {
        "dashboard": f"/users/{writer.username}/",
        "posting form": "/works/new/",
        "import": "/import/",
        "inbox": "/inbox/",
        "bookmarks": f"/users/{writer.username}/bookmarks/",
        "history": f"/users/{writer.username}/history/",
        "preferences": f"/users/{writer.username}/preferences/",
        "error 403": f"/users/{reader.username}/preferences/",
    }
    wrangling = {
        "wrangling home": "/wrangling/",
        "tag wrangling form": f"/tags/{canonical.pk}/edit/",
    }
    moderation = {
        "moderation queue": "/moderation/",
        "report": f"/moderation/reports/{report.reference}/",
    }
    return Archive(
        users={"writer": writer, "wrangler": wrangler, "admin": admin},
        pages={"guest": guest, "writer": own, "wrangler": wrangling, "admin": moderation},
    )


def test_every_page_kind_passes_axe_in_both_themes_at_both_widths(chromium, live_server):
    assert AXE.exists(), f"{AXE} is missing: run `make assets`"
    archive = _archive()
    base = live_server.url
    problems: list[str] = []
    for viewer, pages in archive.pages.items():
        user = archive.users.get(viewer)
        context = _context(chromium, base, *([_session_cookie(user, base)] if user else []))
        try:
            page = context.new_page()
            for name, url in pages.items():
                status = int(name.split()[-1]) if name.startswith("error ") else 200
                problems += check_page(page, f"{viewer}: {name}", url, LOOKS, status)
        finally:
            context.close()

    # The reader's own themes (a cookie a guest's browser keeps), at desktop width.
    for theme in ("sepia", "contrast"):
        cookie = {"name": COOKIE_NAME, "value": urlencode({"theme": theme}), "url": base}
        context = _context(chromium, base, cookie)
        try:
            page = context.new_page()
            guest = archive.pages["guest"]
            for name in ("front page", "work", "adult-content question", "reader settings"):
                problems += check_page(page, f"{theme}: {name}", guest[name], [READER_THEME])
            assert page.evaluate("document.documentElement.dataset.theme") == theme
        finally:
            context.close()

    assert not problems, f"{len(problems)} accessibility problems:\n" + "\n".join(problems)


def test_the_failure_message_names_rule_impact_and_elements():
    lines = _describe(
        "work (/works/1/) [phone dark]",
        [
            {
                "id": "color-contrast",
                "impact": "serious",
                "help": "Elements must meet minimum color contrast ratio thresholds",
                "nodes": [{"target": ".blurb .meta a", "summary": "Fix any of the following"}],
            }
        ],
    )
    assert lines[0].startswith("work (/works/1/) [phone dark]: color-contrast (serious)")
    assert ".blurb .meta a" in lines[1]
    assert json.dumps(lines)  # plain strings, printable as they are
