"""CSRF by the browser's own headers for guests, Django's token for logged-in users
(core/csrf.py): the decision table through the real stack, the `{% csrf_token %}` tag, and
no CSRF cookie for a guest."""

from __future__ import annotations

import warnings

import pytest
from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.csrf import NO_TOKEN, OriginCsrfMiddleware
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db

# The footer's language chooser: a guest's POST with a visible effect (a cookie) and no
# other state; 302 when accepted, 403 when refused.
CHOOSER = reverse("accounts:language")
CHOICE = {"language": "es", "next": "/works/"}
COOKIE = settings.CSRF_COOKIE_NAME
SECRET = "abcdefghijklmnopqrstuvwxyzABCDEF"  # 32 characters, the shape of Django's secret
SITE = "http://testserver"


def strict() -> Client:
    """A client that enforces CSRF as the real site does (Django's test client skips it)."""
    return Client(enforce_csrf_checks=True)


def logged_in(user: User) -> Client:
    """A logged-in browser holding its CSRF cookie (the header's log-out form set it)."""
    client = strict()
    client.force_login(user)
    client.get("/works/")
    assert client.cookies.get(COOKIE), "a logged-in page set no CSRF cookie"
    return client


def choose(client: Client, headers: dict[str, str], *, secure: bool = False) -> int:
    response = client.post(CHOOSER, CHOICE, headers=headers, secure=secure)
    assert response.status_code in (302, 403), response.status_code
    if response.status_code == 403:
        assert b"CSRF verification failed" in response.content
    return response.status_code


def test_the_site_uses_the_middleware_in_place_of_djangos() -> None:
    assert "fanarchive.core.csrf.OriginCsrfMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.csrf.CsrfViewMiddleware" not in settings.MIDDLEWARE
    assert "security.W003" in settings.SILENCED_SYSTEM_CHECKS  # Django's check of its name
    assert issubclass(OriginCsrfMiddleware, CsrfViewMiddleware)


# -- a guest ------------------------------------------------------------------------------

# headers a guest's browser sends, and whether the POST is accepted (no token anywhere)
GUEST_TABLE: list[tuple[str, dict[str, str], int]] = [
    ("same-origin fetch", {"Sec-Fetch-Site": "same-origin"}, 302),
    ("same-origin fetch and its Origin", {"Sec-Fetch-Site": "same-origin", "Origin": SITE}, 302),
    ("the user's own navigation", {"Sec-Fetch-Site": "none"}, 302),
    ("only a matching Origin", {"Origin": SITE}, 302),
    ("cross-site fetch", {"Sec-Fetch-Site": "cross-site"}, 403),
    ("cross-site fetch, own Origin", {"Sec-Fetch-Site": "cross-site", "Origin": SITE}, 403),
    ("same-site fetch (a sibling subdomain)", {"Sec-Fetch-Site": "same-site"}, 403),
    ("same-site fetch, own Origin", {"Sec-Fetch-Site": "same-site", "Origin": SITE}, 403),
    ("an unknown Sec-Fetch-Site", {"Sec-Fetch-Site": "Same-Origin"}, 403),
    ("a foreign Origin", {"Origin": "https://evil.example"}, 403),
    ("our host on another scheme", {"Origin": "https://testserver"}, 403),
    ("our host on another port", {"Origin": "http://testserver:8080"}, 403),
    ("Origin: null (a sandboxed or privacy-hidden page)", {"Origin": "null"}, 403),
    ("neither header, no token", {}, 403),
    ("only a Referer of this site", {"Referer": f"{SITE}/works/"}, 403),
]


@pytest.mark.parametrize(
    ("case", "headers", "status"), GUEST_TABLE, ids=[c[0] for c in GUEST_TABLE]
)
def test_a_guests_post_is_decided_by_the_browsers_headers(case, headers, status) -> None:
    client = strict()
    assert choose(client, headers) == status, case
    # Accepted means the view ran: the chooser set its cookie.
    assert (settings.LANGUAGE_COOKIE_NAME in client.cookies) == (status == 302)


def test_a_guest_with_a_token_and_neither_header_gets_djangos_check() -> None:
    """A browser too old for either header, holding a cookie and a page with a token
    from before (an earlier log-in): Django's own path accepts it."""
    client = strict()
    client.cookies[COOKIE] = SECRET
    accepted = client.post(CHOOSER, {**CHOICE, "csrfmiddlewaretoken": SECRET})
    assert accepted.status_code == 302
    wrong = client.post(CHOOSER, {**CHOICE, "csrfmiddlewaretoken": "x" * 32})
    assert wrong.status_code == 403


def test_a_token_does_not_outvote_a_cross_site_fetch() -> None:
    client = strict()
    client.cookies[COOKIE] = SECRET
    response = client.post(
        CHOOSER, {**CHOICE, "csrfmiddlewaretoken": SECRET}, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403


def test_over_https_the_origin_must_be_https_and_no_referer_is_needed() -> None:
    assert choose(strict(), {"Origin": "https://testserver"}, secure=True) == 302
    assert choose(strict(), {"Origin": "http://testserver"}, secure=True) == 403
    assert choose(strict(), {"Sec-Fetch-Site": "same-origin"}, secure=True) == 302
    assert choose(strict(), {}, secure=True) == 403


def test_csrf_trusted_origins_are_honoured_when_only_the_origin_speaks(settings) -> None:
    """A proxy that changes the scheme or host: the operator names the public origin."""
    settings.CSRF_TRUSTED_ORIGINS = ["https://archive.example.org", "https://*.example.net"]
    assert choose(strict(), {"Origin": "https://archive.example.org"}) == 302
    assert choose(strict(), {"Origin": "https://mirror.example.net"}) == 302
    assert choose(strict(), {"Origin": "http://archive.example.org"}) == 403
    assert choose(strict(), {"Origin": "https://archive.example.org.evil"}) == 403
    # The browser's own judgement decides when it gives one.
    cross = {"Sec-Fetch-Site": "cross-site", "Origin": "https://archive.example.org"}
    assert choose(strict(), cross) == 403


def test_safe_methods_are_left_alone() -> None:
    """A link from another site is fine: only unsafe methods change anything."""
    response = strict().get("/works/", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 200


# -- a logged-in user ---------------------------------------------------------------------


def test_a_logged_in_user_needs_the_token_whatever_the_headers_say() -> None:
    client = logged_in(make_user("csrf_table_reader"))
    same_origin = {"Sec-Fetch-Site": "same-origin", "Origin": SITE}
    assert choose(client, same_origin) == 403
    assert choose(client, {"Sec-Fetch-Site": "none"}) == 403
    token = client.cookies[COOKIE].value
    response = client.post(CHOOSER, {**CHOICE, "csrfmiddlewaretoken": token}, headers=same_origin)
    assert response.status_code == 302
    # Django's Origin check stands for them too: a token from a foreign page is refused.
    foreign = client.post(
        CHOOSER,
        {**CHOICE, "csrfmiddlewaretoken": token},
        headers={"Origin": "https://evil.example"},
    )
    assert foreign.status_code == 403


def test_a_logged_in_users_pages_carry_tokens_and_a_guests_none() -> None:
    client = logged_in(make_user("csrf_token_reader"))
    page = client.get("/works/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in page
    guest = strict().get("/works/")
    assert 'name="csrfmiddlewaretoken"' not in guest.content.decode()
    assert COOKIE not in guest.cookies


def test_a_malformed_cookie_is_replaced_only_where_a_page_needs_a_token() -> None:
    """Django replaces it on any response; a guest's page must set no cookie."""
    guest = strict()
    guest.cookies[COOKIE] = "not a secret!"
    page = guest.get("/works/")
    assert page.status_code == 200 and COOKIE not in page.cookies
    assert choose(guest, {"Sec-Fetch-Site": "same-origin"}) == 302
    # A logged-in user's page asks for a token, so it gets a new cookie, which works.
    user = strict()
    user.force_login(make_user("csrf_malformed_reader"))
    user.cookies[COOKIE] = "not a secret!"
    page = user.get("/works/")
    assert COOKIE in page.cookies
    token = page.cookies[COOKIE].value
    assert user.post(CHOOSER, {**CHOICE, "csrfmiddlewaretoken": token}).status_code == 302


# -- the template tag ---------------------------------------------------------------------


def render_tag(context: dict[str, object]) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Django 5.2's own tag warns on NO_TOKEN
        return Template("{% csrf_token %}").render(Context(context))


def test_the_tag_renders_a_guests_no_token_as_nothing() -> None:
    assert render_tag({"csrf_token": NO_TOKEN}) == ""
    assert render_tag({}) == ""
    assert render_tag({"csrf_token": "abc<"}) == (
        '<input type="hidden" name="csrfmiddlewaretoken" value="abc&lt;">'
    )
