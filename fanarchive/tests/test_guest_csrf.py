"""Guests post without a CSRF token, vouched for by their browser's headers (core/csrf.py),
so their pages carry none and are the same bytes for every guest: each guest's form
through the real stack with CSRF enforced, the same form from another site refused and
writing nothing, and log-in still safe from forgery."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference, User
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.models import Comment, Kudos
from fanarchive.moderation.models import Report
from fanarchive.news.selectors import BANNER_CACHE_KEY
from fanarchive.news.services import banner_set
from fanarchive.news.tests.helpers import make_staff
from fanarchive.works.models import CommentPolicy, Work

pytestmark = pytest.mark.django_db

COOKIE = settings.CSRF_COOKIE_NAME
TOKEN_FIELD = 'name="csrfmiddlewaretoken"'
# What a current browser sends with a form posted from one of the site's own pages...
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin", "Origin": "http://testserver"}
# ...and with the same form on another site's page.
CROSS_SITE = {"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}
# A browser that sends Origin but not Sec-Fetch-Site (Safari before 16.4).
ORIGIN_ONLY = {"Origin": "http://testserver"}
BANNER_TEXT = "The archive moves house on Sunday"


def guest(address: str = "127.0.0.1") -> Client:
    """A new guest's browser, with CSRF enforced as on the real site."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def snapshot() -> list[Any]:
    """Everything a guest's form could write; equal snapshots mean nothing was written."""
    return [
        list(model.objects.order_by("pk").values())
        for model in (User, Preference, Session, Kudos, Comment, Report)
    ]


def refused(client: Client, url: str, data: dict[str, Any]) -> None:
    """The form posted from another site's page: 403, the site's CSRF page, nothing written."""
    before = snapshot()
    response = client.post(url, data, headers=CROSS_SITE)
    assert response.status_code == 403, f"{url} accepted a cross-site POST"
    assert b"CSRF verification failed" in response.content
    assert b"a page on another site must not act in your name" in response.content
    assert snapshot() == before, f"{url} wrote something for a cross-site POST"


@pytest.fixture
def work() -> Work:
    work = make_work(make_user("guest_csrf_writer"), title="The Lamplighter's Round")
    Work.objects.filter(pk=work.pk).update(comment_policy=CommentPolicy.EVERYONE)
    work.refresh_from_db()
    return work


@pytest.fixture
def banner() -> str:
    cache.delete(BANNER_CACHE_KEY)
    shown = banner_set(user=make_staff(), text=BANNER_TEXT, active=True)
    return f"{shown.pk}:{shown.version}"


# -- log-in and sign-up -------------------------------------------------------------------


def test_log_in_from_the_sites_page_and_never_from_another_site() -> None:
    writer = make_user("guest_csrf_login")
    browser = guest()
    form = browser.get(reverse("accounts:login"))
    assert form.status_code == 200
    assert TOKEN_FIELD not in form.content.decode() and COOKIE not in form.cookies
    credentials = {"username": writer.username, "password": PASSWORD}
    # Login CSRF (the visitor logged into the attacker's account) stays impossible.
    refused(browser, reverse("accounts:login"), credentials)
    assert "_auth_user_id" not in browser.session
    # The site's own form logs in, and the secret is rotated for the account's pages.
    response = browser.post(reverse("accounts:login"), credentials, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(writer.pk)
    assert COOKIE in response.cookies
    page = browser.get("/works/").content.decode()
    assert TOKEN_FIELD in page
    # From here on the account's forms need the token, headers or not.
    assert browser.post(reverse("accounts:logout"), headers=SAME_ORIGIN).status_code == 403
    token = browser.cookies[COOKIE].value
    response = browser.post(
        reverse("accounts:logout"), {"csrfmiddlewaretoken": token}, headers=SAME_ORIGIN
    )
    assert response.status_code == 302
    assert "_auth_user_id" not in browser.session


def test_log_in_from_a_browser_that_sends_only_origin() -> None:
    writer = make_user("guest_csrf_safari")
    browser = guest()
    response = browser.post(
        reverse("accounts:login"),
        {"username": writer.username, "password": PASSWORD},
        headers=ORIGIN_ONLY,
    )
    assert response.status_code == 302
    assert browser.session["_auth_user_id"] == str(writer.pk)


def test_a_browser_with_neither_header_cannot_log_in_and_is_told_why() -> None:
    writer = make_user("guest_csrf_ancient")
    browser = guest()
    response = browser.post(
        reverse("accounts:login"), {"username": writer.username, "password": PASSWORD}
    )
    assert response.status_code == 403
    text = response.content.decode()
    assert "your browser may be too old to say so" in text
    assert "_auth_user_id" not in browser.session


def test_sign_up_as_a_guest(settings) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = False
    browser = guest()
    page = browser.get(reverse("accounts:register")).content.decode()
    assert TOKEN_FIELD not in page
    data = {
        "username": "guest_csrf_newcomer",
        "email": "guest_csrf_newcomer@example.org",
        "password1": "a-long-and-unusual-passphrase",
        "password2": "a-long-and-unusual-passphrase",
        "terms": "on",
    }
    refused(browser, reverse("accounts:register"), data)
    response = browser.post(reverse("accounts:register"), data, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert User.objects.filter(username="guest_csrf_newcomer").exists()


# -- a guest on a work ----------------------------------------------------------------------


def test_guest_kudos_by_form_and_by_script(work: Work) -> None:
    url = reverse("engagement:kudos", args=[work.pk])
    page = guest().get(work.get_absolute_url()).content.decode()
    assert f'action="{url}"' in page and TOKEN_FIELD not in page
    refused(guest(), url, {})
    response = guest().post(url, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert Kudos.objects.filter(work=work, user=None).count() == 1
    # static/js/kudos.js posts with fetch(), which sends the same headers.
    fetched = guest("10.0.0.2").post(url, headers={**SAME_ORIGIN, "X-Requested-With": "fetch"})
    assert fetched.status_code == 200
    assert Kudos.objects.filter(work=work, user=None).count() == 2


def test_guest_comment(work: Work) -> None:
    chapter = work.chapters.get(position=1)
    url = reverse("engagement:comment_new", args=[work.pk, chapter.pk])
    page = guest().get(work.get_absolute_url()).content.decode()
    assert 'name="name"' in page and TOKEN_FIELD not in page
    data = {"text": "The lamps came on one by one.", "name": "Pip"}
    refused(guest(), url, data)
    response = guest().post(url, data, headers=SAME_ORIGIN)
    assert response.status_code == 302
    comment = Comment.objects.get()
    assert comment.user is None and comment.guest_name == "Pip"


def test_guest_report(work: Work) -> None:
    url = reverse("moderation:report", args=["work", work.pk])
    page = guest().get(url).content.decode()
    assert 'name="category"' in page and TOKEN_FIELD not in page
    data = {"category": "spam", "text": "An advert.", "email": "reader@example.org"}
    refused(guest(), url, data)
    response = guest().post(url, data, headers=SAME_ORIGIN)
    assert response.status_code == 200
    assert Report.objects.get().reporter is None


# -- the frame of every page ----------------------------------------------------------------


def test_the_language_chooser() -> None:
    url = reverse("accounts:language")
    data = {"language": "es", "next": "/works/"}
    browser = guest()
    refused(browser, url, data)
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    response = browser.post(url, data, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"


def test_hiding_the_site_banner(banner: str) -> None:
    browser = guest()
    page = browser.get("/works/").content.decode()
    assert BANNER_TEXT in page
    assert TOKEN_FIELD not in page[page.index('class="site-banner"') :]
    data = {"banner": banner, "next": "/works/"}
    refused(browser, reverse("news:banner_dismiss"), data)
    assert BANNER_TEXT in browser.get("/works/").content.decode()
    response = browser.post(reverse("news:banner_dismiss"), data, headers=SAME_ORIGIN)
    assert response.status_code == 302
    assert BANNER_TEXT not in browser.get("/works/").content.decode()


# -- the same page for every guest --------------------------------------------------------


@pytest.mark.parametrize("path", ["/works/", "work"])
def test_every_guest_gets_the_same_bytes(work: Work, banner: str, path: str) -> None:
    url = work.get_absolute_url() if path == "work" else path
    first = guest("127.0.0.1").get(url)
    second = guest("10.1.2.3").get(url)
    # One who logged out earlier: the CSRF cookie of that log-in is still in the browser.
    returning = guest("10.4.5.6")
    returning.cookies[COOKIE] = "abcdefghijklmnopqrstuvwxyzABCDEF"
    third = returning.get(url)
    for response in (first, second, third):
        assert response.status_code == 200
        assert COOKIE not in response.cookies
        assert TOKEN_FIELD not in response.content.decode()
    assert first.content == second.content == third.content
    assert first["ETag"] == second["ETag"] == third["ETag"]
    # Forms are on the page all the same: the chooser, the banner's Hide (and kudos).
    assert first.content.count(b'method="post"') >= (3 if path == "work" else 2)


def test_a_logged_in_users_work_page_still_has_tokens(work: Work) -> None:
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(make_user("guest_csrf_member"))
    response = reader.get(work.get_absolute_url())
    page = response.content.decode()
    assert page.count(TOKEN_FIELD) >= 3  # log-out, kudos, comment, chooser...
    assert COOKIE in response.cookies
