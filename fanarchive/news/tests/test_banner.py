"""The site banner: on every page until hidden in this browser, back after an edit,
read from the cache, set by staff only, and its Hide form returns only to this site."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.models import AuditEntry
from fanarchive.news.models import SiteBanner
from fanarchive.news.selectors import BANNER_CACHE_KEY
from fanarchive.news.services import banner_set
from fanarchive.news.tests.helpers import make_staff

pytestmark = pytest.mark.django_db

BANNER_TEXT = "Maintenance on Sunday"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.delete(BANNER_CACHE_KEY)


@pytest.fixture
def staff() -> User:
    return make_staff()


def shows_banner(client: Client, url: str = "/works/") -> bool:
    return BANNER_TEXT in client.get(url).content.decode()


def hide(client: Client, *, next_url: str = "/works/") -> str:
    key = client.get(next_url).context["site_banner"].key
    response = client.post(reverse("news:banner_dismiss"), {"banner": key, "next": next_url})
    assert response.status_code == 302
    return response["Location"]


def test_banner_shown_hidden_and_back_after_edit(client: Client, staff: User) -> None:
    assert not shows_banner(client)
    banner_set(user=staff, text=BANNER_TEXT, active=True)
    assert shows_banner(client) and shows_banner(client, reverse("news:list"))
    assert hide(client) == "/works/"
    assert not shows_banner(client) and not shows_banner(client, reverse("news:home"))
    banner_set(user=staff, text=BANNER_TEXT + " (moved)", active=True)
    assert shows_banner(client)
    banner_set(user=staff, text=BANNER_TEXT, active=False)
    assert not shows_banner(Client())


def test_hiding_is_per_browser(client: Client, staff: User) -> None:
    banner_set(user=staff, text=BANNER_TEXT, active=True)
    hide(client)
    assert shows_banner(Client())


def test_hiding_an_old_version_does_not_hide_the_new(client: Client, staff: User) -> None:
    old = banner_set(user=staff, text=BANNER_TEXT, active=True)
    banner_set(user=staff, text=BANNER_TEXT + " again", active=True)
    client.post(reverse("news:banner_dismiss"), {"banner": f"{old.pk}:{old.version}"})
    assert shows_banner(client)
    client.post(reverse("news:banner_dismiss"), {"banner": "x" * 10_000})
    assert shows_banner(client)


@pytest.mark.parametrize(
    "next_url",
    ["https://evil.example/", "//evil.example/path", "javascript:alert(1)", "", "\\\\evil.example"],
)
def test_dismiss_redirects_only_on_this_site(client: Client, staff: User, next_url: str) -> None:
    banner = banner_set(user=staff, text=BANNER_TEXT, active=True)
    response = client.post(
        reverse("news:banner_dismiss"),
        {"banner": f"{banner.pk}:{banner.version}", "next": next_url},
    )
    assert response.status_code == 302 and response["Location"] == reverse("news:home")


def test_dismiss_is_post_with_csrf(staff: User) -> None:
    banner = banner_set(user=staff, text=BANNER_TEXT, active=True)
    client = Client(enforce_csrf_checks=True)
    assert client.get(reverse("news:banner_dismiss")).status_code == 405
    data = {"banner": f"{banner.pk}:1"}
    response = client.post(reverse("news:banner_dismiss"), data)
    assert response.status_code == 403
    response = client.post(
        reverse("news:banner_dismiss"), data, headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert shows_banner(client)
    # A guest's form carries no token: the browser says it is the site's own (core/csrf.py).
    text = client.get("/works/").content.decode()
    assert 'name="csrfmiddlewaretoken"' not in text[text.index('class="site-banner"') :]
    response = client.post(
        reverse("news:banner_dismiss"), data, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 302
    assert not shows_banner(client)
    # A logged-in reader's form carries the token.
    reader = Client(enforce_csrf_checks=True)
    reader.force_login(staff)
    text = reader.get("/works/").content.decode()
    assert 'name="csrfmiddlewaretoken"' in text[text.index('class="site-banner"') :]


def test_banner_text_is_sanitised_on_the_page(client: Client, staff: User) -> None:
    banner_set(user=staff, text=f"{BANNER_TEXT}<script>alert(1)</script>", active=True)
    text = client.get("/works/").content.decode()
    assert BANNER_TEXT in text and "alert(1)" not in text


def test_pages_read_the_banner_from_the_cache(client: Client, staff: User) -> None:
    banner_set(user=staff, text=BANNER_TEXT, active=True)
    client.get("/works/")  # fills the cache
    with CaptureQueriesContext(connection) as queries:
        assert shows_banner(client, reverse("news:page", args=["faq"]))
    assert not [q for q in queries.captured_queries if "news_sitebanner" in q["sql"]]
    # With no banner, "none" is cached too.
    banner_set(user=staff, text=BANNER_TEXT, active=False)
    client.get("/works/")
    with CaptureQueriesContext(connection) as queries:
        assert not shows_banner(client)
    assert not [q for q in queries.captured_queries if "news_sitebanner" in q["sql"]]


def test_banner_page_staff_only(client: Client, user: User, staff: User) -> None:
    url = reverse("news:banner_edit")
    assert client.get(url).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "Mine", "active": "on"}).status_code == 403
    assert not SiteBanner.objects.exists()
    client.force_login(staff)
    assert client.get(url).status_code == 200
    response = client.post(url, {"text": BANNER_TEXT, "active": "on"})
    assert response.status_code == 302
    assert shows_banner(client)
    response = client.post(url, {"text": "x" * 1001, "active": "on"})
    assert response.status_code == 200 and "at most 1,000 characters" in response.content.decode()
    assert SiteBanner.objects.get().version == 1
    assert AuditEntry.objects.filter(action="banner.edit").count() == 1
