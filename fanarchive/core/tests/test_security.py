"""Site-wide security promises: CSRF on every form, a strict CSP, safe production settings."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.tags.fixed import EXPLICIT, GENERAL, NO_WARNINGS
from fanarchive.works.models import Chapter, Work

REPO_ROOT = Path(settings.BASE_DIR)


# -- reading the site's own markup ------------------------------------------------------


@dataclass
class FormInfo:
    method: str
    action: str
    has_token: bool = False


class PageAudit(HTMLParser):
    """What a page's markup does that a strict CSP forbids, and its forms' CSRF tokens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[FormInfo] = []
        self.problems: list[str] = []
        self._open_form: FormInfo | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name.lower(): value or "" for name, value in attrs}
        shown = self.get_starttag_text() or tag
        if tag == "script" and "src" not in names:
            self.problems.append(f"inline <script> without src: {shown}")
        if tag == "style":
            self.problems.append("inline <style> element")
        for name, value in names.items():
            if name == "style":
                self.problems.append(f"style= attribute: {shown}")
            if name.startswith("on"):
                self.problems.append(f"{name}= event handler attribute: {shown}")
            if name in {"href", "src", "action", "formaction"} and value.strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL: {shown}")
        if tag == "form":
            self._open_form = FormInfo(
                method=names.get("method", "get").lower(), action=names.get("action", "")
            )
            self.forms.append(self._open_form)
        if (
            tag == "input"
            and self._open_form is not None
            and names.get("name") == "csrfmiddlewaretoken"
            and names.get("value")
        ):
            self._open_form.has_token = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open_form = None


def audit(html: str) -> PageAudit:
    page = PageAudit()
    page.feed(html)
    page.close()
    return page


# -- data -------------------------------------------------------------------------------


@dataclass
class Site:
    user: User
    work: Work
    chapter: Chapter
    second: Chapter
    draft: Work
    adult: Work


@pytest.fixture
def site(user: User) -> Site:
    work = make_work(user, chapters=2, rating=GENERAL, title="Harbour Lights")
    first, second = work.chapters.order_by("position")
    return Site(
        user=user,
        work=work,
        chapter=first,
        second=second,
        draft=make_work(user, post=False, title="Unfinished Draft"),
        adult=make_work(make_user(), rating=EXPLICIT, title="Adults Only"),
    )


def snapshot() -> list[Any]:
    """Everything a form could write; equal snapshots mean nothing was written."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (User, Pseud, Preference, Work, Chapter, Session)
    ]


def csrf_client(user: User | None) -> Client:
    """A browser that enforces CSRF like the real site.

    A logged-in one holds its CSRF cookie already, so a refused POST is refused for the
    missing token alone. A guest's pages set no cookie and carry no token (core/csrf.py):
    its POSTs here send neither `Sec-Fetch-Site` nor `Origin`, as a forger's script
    outside a browser or a browser too old for them would, and need the token it lacks
    (tests/test_guest_csrf.py has the browser's headers, same-origin and cross-site).
    """
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
        client.get(reverse("works:list"))  # the header's logout form sets the cookie
        assert client.cookies.get(settings.CSRF_COOKIE_NAME), "the page set no CSRF cookie"
    else:
        client.get(reverse("accounts:login"))
        assert not client.cookies.get(settings.CSRF_COOKIE_NAME), "a guest got a CSRF cookie"
    return client


def work_form_data(**overrides: str) -> dict[str, Any]:
    data: dict[str, Any] = {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": "Harbour Tales",
        "characters": "Mira Vale",
        "title": "Forged Title",
        "language": "en",
        "expected_chapters": "3",
        "text_format": "plain",
        "text": "Forged text.",
        "post": "1",
    }
    data.update(overrides)
    return data


# -- (a) CSRF ---------------------------------------------------------------------------

# name, logged in?, URL arguments, POST data
CSRF_POSTS: list[tuple[str, bool, Callable[[Site], list[Any]], Callable[[Site], dict]]] = [
    ("works:new", True, lambda s: [], lambda s: work_form_data()),
    ("works:edit", True, lambda s: [s.work.pk], lambda s: work_form_data()),
    ("works:delete", True, lambda s: [s.work.pk], lambda s: {}),
    (
        "works:chapter_new",
        True,
        lambda s: [s.work.pk],
        lambda s: {"text_format": "plain", "text": "Forged chapter.", "post": "1"},
    ),
    (
        "works:chapter_edit",
        True,
        lambda s: [s.work.pk, s.chapter.pk],
        lambda s: {"text_format": "plain", "text": "Forged chapter.", "update": "1"},
    ),
    (
        "works:chapter_delete",
        True,
        lambda s: [s.work.pk, s.second.pk],
        lambda s: {},
    ),
    (
        "works:chapters_manage",
        True,
        lambda s: [s.work.pk],
        lambda s: {f"position_{s.chapter.pk}": "2", f"position_{s.second.pk}": "1"},
    ),
    ("works:post", True, lambda s: [s.draft.pk], lambda s: {}),
    ("accounts:logout", True, lambda s: [], lambda s: {}),
    (
        "accounts:preferences",
        True,
        lambda s: [s.user.username],
        lambda s: {"view_adult": "on", "hide_warnings": "on", "hide_freeform": "on"},
    ),
    (
        "accounts:login",
        False,
        lambda s: [],
        lambda s: {"username": s.user.username, "password": PASSWORD},
    ),
    (
        "accounts:register",
        False,
        lambda s: [],
        lambda s: {
            "username": "forged_account",
            "email": "forged@example.org",
            "password1": "a-long-and-unusual-passphrase",
            "password2": "a-long-and-unusual-passphrase",
            "terms": "on",
        },
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "logged_in", "args", "data"), CSRF_POSTS, ids=[c[0] for c in CSRF_POSTS]
)
def test_post_without_csrf_token_is_refused_and_writes_nothing(site, name, logged_in, args, data):
    client = csrf_client(site.user if logged_in else None)
    before = snapshot()
    response = client.post(reverse(name, args=args(site)), data(site))
    assert response.status_code == 403, f"{name} accepted a POST without a CSRF token"
    assert b"CSRF verification failed" in response.content
    assert snapshot() == before, f"{name} wrote to the database without a CSRF token"
    if logged_in:
        # Still logged in: the forged logout did nothing either.
        assert client.get(reverse("works:new")).status_code == 200
    else:
        assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_the_same_post_with_the_token_goes_through(site):
    """The control for the test above: its 403s come from the missing token alone."""
    client = csrf_client(site.user)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    data = work_form_data(title="Renamed Lights", csrfmiddlewaretoken=token)
    response = client.post(reverse("works:edit", args=[site.work.pk]), data)
    assert response.status_code == 302
    site.work.refresh_from_db()
    assert site.work.title == "Renamed Lights"
    response = client.post(reverse("accounts:logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


# name, logged in?, URL arguments
FORM_PAGES: list[tuple[str, bool, Callable[[Site], list[Any]]]] = [
    ("works:list", True, lambda s: []),
    ("works:new", True, lambda s: []),
    ("works:edit", True, lambda s: [s.work.pk]),
    ("works:delete", True, lambda s: [s.work.pk]),
    ("works:detail", True, lambda s: [s.draft.pk]),
    ("works:chapter_new", True, lambda s: [s.work.pk]),
    ("works:chapter_edit", True, lambda s: [s.work.pk, s.chapter.pk]),
    ("works:chapter_delete", True, lambda s: [s.work.pk, s.second.pk]),
    ("works:chapters_manage", True, lambda s: [s.work.pk]),
    ("accounts:preferences", True, lambda s: [s.user.username]),
    ("accounts:login", False, lambda s: []),
    ("accounts:register", False, lambda s: []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "logged_in", "args"), FORM_PAGES, ids=[p[0] for p in FORM_PAGES])
def test_every_rendered_post_form_of_a_user_carries_a_csrf_token_and_of_a_guest_none(
    client, site, name, logged_in, args
):
    """A guest's page is the same for every guest (core/csrf.py): no token in its forms."""
    if logged_in:
        client.force_login(site.user)
    response = client.get(reverse(name, args=args(site)))
    assert response.status_code == 200
    forms = [f for f in audit(response.content.decode()).forms if f.method == "post"]
    assert forms, f"{name} shows no POST form"
    if logged_in:
        missing = [f.action or "(this page)" for f in forms if not f.has_token]
        assert not missing, f"{name}: POST forms without csrfmiddlewaretoken, posting to {missing}"
    else:
        tokens = [f.action or "(this page)" for f in forms if f.has_token]
        assert not tokens, f"{name}: a guest's forms carry a token, posting to {tokens}"
        assert settings.CSRF_COOKIE_NAME not in response.cookies


# -- (b) Content-Security-Policy ----------------------------------------------------------


def assert_strict_csp(response: Any, what: str) -> None:
    policy = response.headers.get("Content-Security-Policy")
    assert policy, f"{what}: no Content-Security-Policy header"
    directives = {d.split()[0]: d.split()[1:] for d in policy.split(";") if d.strip()}
    assert directives.get("script-src") == ["'self'"], f"{what}: script-src is not just 'self'"
    assert "'unsafe-inline'" not in policy, f"{what}: the policy allows inline code"
    assert "'unsafe-eval'" not in policy, f"{what}: the policy allows eval"


# name, logged in?, URL arguments, text proving it is the page we meant
CSP_PAGES: list[tuple[str, bool, Callable[[Site], list[Any]], str]] = [
    ("works:list", False, lambda s: [], "Harbour Lights"),
    ("works:list", True, lambda s: [], "Log out"),
    ("works:detail", False, lambda s: [s.work.pk], "Harbour Lights"),
    ("works:chapter", False, lambda s: [s.work.pk, s.second.pk], "Chapter 2 ends here."),
    ("works:detail", False, lambda s: [s.adult.pk], "This work could have adult content."),
    ("works:navigate", False, lambda s: [s.work.pk], "Harbour Lights"),
    ("works:new", True, lambda s: [], "Post new work"),
    ("works:edit", True, lambda s: [s.work.pk], "Harbour Lights"),
    ("works:chapter_new", True, lambda s: [s.work.pk], "New chapter"),
    ("works:chapters_manage", True, lambda s: [s.work.pk], "Harbour Lights"),
    ("works:delete", True, lambda s: [s.work.pk], "Harbour Lights"),
    ("accounts:preferences", True, lambda s: [s.user.username], "Preferences"),
    ("accounts:login", False, lambda s: [], "Log in"),
    ("accounts:register", False, lambda s: [], "Sign up"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "logged_in", "args", "expected"),
    CSP_PAGES,
    ids=[f"{p[0]}-{'user' if p[1] else 'guest'}" for p in CSP_PAGES],
)
def test_pages_have_strict_csp_and_no_inline_code(client, site, name, logged_in, args, expected):
    if logged_in:
        client.force_login(site.user)
    response = client.get(reverse(name, args=args(site)))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert expected in html
    assert_strict_csp(response, name)
    problems = audit(html).problems
    assert not problems, f"{name} has markup the CSP blocks:\n" + "\n".join(problems)


@pytest.mark.django_db
def test_error_and_refusal_pages_have_the_csp_too(client, site):
    assert_strict_csp(client.get("/no/such/page/"), "404 page")
    assert_strict_csp(client.get(reverse("works:detail", args=[site.draft.pk])), "draft as guest")
    refused = csrf_client(site.user).post(reverse("works:new"), work_form_data())
    assert refused.status_code == 403
    assert_strict_csp(refused, "CSRF failure page")


# -- (c) production settings ------------------------------------------------------------


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """This process's environment without any Fanarchive or integration settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FANARCHIVE_")
        and key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    env.update(extra)
    return env


def production_env(data_dir: Path) -> dict[str, str]:
    return clean_env(
        data_dir,
        FANARCHIVE_HTTPS="true",
        FANARCHIVE_DEBUG="false",
        FANARCHIVE_SECRET_KEY=secrets.token_urlsafe(64),
        FANARCHIVE_ALLOWED_HOSTS="archive.example.org",
    )


SHOW_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in [
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "ALLOWED_HOSTS",
]}))
"""


def settings_under(env: dict[str, str]) -> dict[str, Any]:
    env = {**env, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_finds_no_issues_in_production_settings(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO_ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "no issues" in output, output


def test_production_settings_are_secure(tmp_path):
    values = settings_under(production_env(tmp_path))
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert values["ALLOWED_HOSTS"] == ["archive.example.org"]


def test_local_install_without_https_is_not_in_debug_mode(tmp_path):
    """The `make run` setup: no variables at all. Never DEBUG; cookies work on plain HTTP."""
    values = settings_under(clean_env(tmp_path))
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
