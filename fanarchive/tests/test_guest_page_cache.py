"""Guests' listing pages from the shared cache (core/page_cache.py): an unchanged page is a
cache read, a change shows at the next request, and nobody is served another's page."""

from __future__ import annotations

import gzip
import ipaddress
from dataclasses import replace
from typing import Any

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.reader_settings import COOKIE_NAME, DEFAULTS, cookie_value
from fanarchive.core import page_cache
from fanarchive.core.page_cache import HIT_HEADER
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.engagement import hit_services
from fanarchive.engagement.comment_services import (
    comment_create,
    comment_freeze,
    comment_update,
)
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import HitMark
from fanarchive.engagement.visitors import guest_key_of
from fanarchive.news.selectors import banner_active
from fanarchive.news.services import banner_set
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag
from fanarchive.works.age_gate import ADULT_CONSENT_KEY
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.services import work_update
from fanarchive.wrangling.services import tag_set_canonical

pytestmark = [pytest.mark.django_db, pytest.mark.guest_page_cache]


def served(client: Client, url: str = "/works/") -> tuple[str, str]:
    """(how the cache served the page: "hit", "miss" or "", the page)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.get(HIT_HEADER, ""), response.content.decode()


@pytest.fixture
def writer():
    return make_user("cache_writer")


@pytest.fixture
def staff():
    return make_user("cache_staff", is_staff=True, is_superuser=True)


def test_an_unchanged_page_is_read_from_the_cache(client, writer):
    make_work(writer, title="Lantern at Noon")
    first = served(client)
    assert first[0] == "miss" and "Lantern at Noon" in first[1]
    again = served(Client())  # another guest
    assert again == ("hit", first[1])


def test_every_change_shows_at_the_next_request(client, writer, staff):
    work = make_work(writer, title="Before the Storm", fandoms=["Harbour Tales"])
    assert "Before the Storm" in served(client)[1]
    make_work(writer, title="A Second Boat")  # posted
    how, page = served(client)
    assert how == "miss" and "A Second Boat" in page
    work_update(user=writer, work=work, data=work_input(title="After the Storm"))  # edited
    assert "After the Storm" in served(client)[1]
    work_set_hidden(user=staff, work=work, hidden=True, reason="Checking.")  # hidden
    assert "After the Storm" not in served(client)[1]
    # A wrangling that moves no work still shows on the tag's page.
    fandom = Tag.objects.get(name="Harbour Tales")
    url = reverse("tags:works", args=[fandom.pk])
    served(client, url)
    assert served(client, url)[0] == "hit"
    tag_set_canonical(user=staff, tag=fandom, canonical=True)
    assert served(client, url)[0] == "miss"


def test_logged_in_readers_are_never_served_from_it_nor_feed_it(client, writer):
    make_work(writer, title="For Members", restricted=True)
    make_work(writer, title="For Everyone")
    reader = make_user("cache_reader")
    client.force_login(reader)
    for _ in range(2):
        how, page = served(client)
        assert how == "" and "For Members" in page and "cache_reader" in page
    guest = Client()
    how, page = served(guest)
    assert how == "miss" and "For Members" not in page and "cache_reader" not in page
    assert served(guest)[0] == "hit"
    assert "For Members" in served(client)[1]


def test_guests_in_other_situations_get_their_own_pages(writer, staff):
    make_work(writer, title="Harbour Lights", rating=EXPLICIT)
    plain = Client()
    english = served(plain)[1]
    # Another language.
    spanish = Client(headers={"Accept-Language": "es"})
    how, page = served(spanish)
    assert how == "miss" and page != english and 'lang="es"' in page
    # Other reader settings (the browser's cookie).
    themed = Client()
    themed.cookies[COOKIE_NAME] = cookie_value(replace(DEFAULTS, theme="dark"))
    how, page = served(themed)
    assert how == "miss" and 'data-theme="dark"' in page
    # Agreed to adult content.
    agreed = Client()
    session = agreed.session
    session[ADULT_CONSENT_KEY] = True
    session.save()
    assert served(agreed)[0] == "miss"
    assert served(agreed)[0] == "hit"
    # A banner, and a browser that hid it.
    banner_set(user=staff, text="The archive moves on Sunday.", active=True)
    how, page = served(plain)
    assert how == "miss" and "The archive moves on Sunday." in page
    active = banner_active()
    assert active is not None
    hid = Client()
    hid.post(reverse("news:banner_dismiss"), {"banner": active.key, "next": "/works/"})
    # The page without a banner, as every guest had it before the banner: kept already.
    assert "The archive moves on Sunday." not in served(hid)[1]
    assert served(plain) == ("hit", page)


def test_pages_it_never_keeps(client, writer, settings):
    make_work(writer, title="Quiet Harbour")
    # A full-text search: its hits follow the search documents, not the change log.
    assert served(client, "/works/?q=harbour")[0] == ""
    assert served(client, "/works/?q=harbour")[0] == ""
    # A page with a message waiting for this browser (Django keeps it in a cookie).
    served(client)
    waiting = Client()
    assert served(waiting)[0] == "hit"
    cookie: Any = CookieStorage(HttpRequest())  # its encoding is private, so untyped
    waiting.cookies["messages"] = cookie._encode([Message(constants.INFO, "You were away.")])
    how, page = served(waiting)
    assert how == "" and "You were away." in page
    assert served(waiting)[0] == "hit"  # shown once; then the shared page again
    # Turned off.
    settings.GUEST_PAGE_CACHE_SECONDS = 0
    assert served(Client())[0] == ""


def test_this_process_keeps_only_its_latest_pages_and_not_past_the_timeout(settings):
    recent = page_cache._Recent(size=2)
    page = page_cache._Page(b"html", "text/html", '"etag"', None)
    for n in range(3):
        recent.put(f"page-{n}", page)
    assert recent.get("page-0") is None  # the oldest went first
    assert recent.get("page-2") == page
    settings.GUEST_PAGE_CACHE_SECONDS = -1  # kept until a second ago: expired already
    recent.put("page-3", page)
    assert recent.get("page-3") is None


def test_a_page_from_the_cache_keeps_its_validator_and_answers_a_conditional_request(writer):
    make_work(writer, title="Lantern at Dusk")
    first = Client().get("/works/")
    assert first[HIT_HEADER] == "miss" and first["ETag"]
    again = Client().get("/works/")
    assert again[HIT_HEADER] == "hit" and again["ETag"] == first["ETag"]
    unchanged = Client().get("/works/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert unchanged.status_code == 304 and not unchanged.content
    make_work(writer, title="Lantern at Dawn")  # a change: a new page, a new validator
    changed = Client().get("/works/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_a_page_from_the_cache_is_sent_gzipped_to_a_browser_that_takes_it(writer, monkeypatch):
    make_work(writer, title="Lantern at Dusk")
    plain = Client().get("/works/")  # a miss: rendered, kept, and compressed once
    gzipped_miss = Client().get("/", HTTP_ACCEPT_ENCODING="gzip")  # compressed on its way
    assert gzipped_miss["Content-Encoding"] == "gzip"

    def compressed_again(*args: object, **kwargs: object) -> bytes:
        raise AssertionError("a page from the cache was compressed again")

    monkeypatch.setattr("django.middleware.gzip.compress_string", compressed_again)
    monkeypatch.setattr(page_cache, "compress_string", compressed_again)
    hit = Client().get("/works/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert hit[HIT_HEADER] == "hit" and hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content
    assert hit["ETag"] == f"W/{plain['ETag']}"
    assert "Accept-Encoding" in hit["Vary"] and int(hit["Content-Length"]) == len(hit.content)
    unchanged = Client().get("/works/", HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=hit["ETag"])
    assert unchanged.status_code == 304
    # A client that takes no gzip gets the page as it is, from the same entry.
    again = Client().get("/works/")
    assert again[HIT_HEADER] == "hit" and again.content == plain.content
    assert not again.has_header("Content-Encoding") and again["ETag"] == plain["ETag"]


def _guest(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def test_a_guests_work_page_is_cached_by_what_it_shows(writer, staff):
    work = make_work(writer, title="Tide Tables", fandoms=["Harbour Tales"])
    url = reverse("works:detail", args=[work.pk])
    how, page = served(_guest("198.51.100.1"), url)
    assert how == "miss" and "Tide Tables" in page
    assert served(_guest("198.51.100.2"), url) == ("hit", page)
    # A change elsewhere in the archive leaves it cached; its own change shows at once.
    make_work(writer, title="Another Boat")
    assert served(_guest("198.51.100.2"), url)[0] == "hit"
    work_update(user=writer, work=work, data=work_input(title="Tide Charts"))
    how, page = served(_guest("198.51.100.2"), url)
    assert how == "miss" and "Tide Charts" in page
    # A comment, then its edit, then its thread frozen: each shows at the next request.
    reader = make_user("cache_commenter")
    comment = comment_create(chapter=work.chapters.get(), user=reader, text="Lovely charts.")
    assert "Lovely charts." in served(_guest("198.51.100.2"), url)[1]
    comment_update(user=reader, comment=comment, text="Lovely, careful charts.")
    assert "Lovely, careful charts." in served(_guest("198.51.100.2"), url)[1]
    assert served(_guest("198.51.100.2"), url)[0] == "hit"
    comment_freeze(user=writer, comment=comment)
    assert served(_guest("198.51.100.2"), url)[0] == "miss"
    # Hidden by a moderator: gone for guests at once, never the page kept from before.
    work_set_hidden(user=staff, work=work, hidden=True, reason="Checking.")
    gone = _guest("198.51.100.2").get(url)
    assert gone.status_code == 403 and b"Tide Charts" not in gone.content


def test_a_work_page_from_the_cache_still_counts_the_guests_hit(writer):
    work = make_work(writer, title="Counted Tides")
    url = reverse("works:detail", args=[work.pk])
    hit_services.forget_seen()
    assert served(_guest("203.0.113.1"), url)[0] == "miss"
    assert served(_guest("203.0.113.2"), url)[0] == "hit"
    assert served(_guest("203.0.113.2"), url)[0] == "hit"  # the same guest, the same day
    assert HitMark.objects.filter(work=work).count() == 2


def test_a_guest_who_left_kudos_gets_a_page_of_their_own_kept_by_no_cache(writer):
    work = make_work(writer, title="Kudos Harbour")
    url = reverse("works:detail", args=[work.pk])
    giver, other = _guest("192.0.2.10"), _guest("192.0.2.11")
    kudos_give(work=work, user=None, guest_key=guest_key_of("192.0.2.10"))
    for _ in range(2):
        how, given = served(giver, url)
        assert how == ""  # rendered for them, and no X-Page-Cache: nginx keeps none either
    assert served(other, url)[0] == "miss"
    how, not_given = served(_guest("192.0.2.12"), url)
    assert how == "hit" and not_given != given  # nobody is served the giver's page


def test_the_adult_gate_is_never_kept_where_the_work_page_is(writer):
    work = make_work(writer, title="Night Harbour", rating=EXPLICIT)
    url = reverse("works:detail", args=[work.pk])
    hit_services.forget_seen()
    for address in ("192.0.2.20", "192.0.2.21"):
        gate = _guest(address).get(url)
        assert gate.get(HIT_HEADER) is None and b"Night Harbour" in gate.content
    assert not HitMark.objects.filter(work=work).exists()  # a gate counts no hit
    agreed = _guest("192.0.2.22")
    session = agreed.session
    session[ADULT_CONSENT_KEY] = True
    session.save()
    assert served(agreed, url)[0] == "miss"
    assert served(agreed, url)[0] == "hit"
    assert _guest("192.0.2.23").get(url).get(HIT_HEADER) is None  # still the gate


def test_every_guests_yes_continue_is_recorded_though_the_page_is_cached(writer):
    """Saying "Yes, continue" is an answer of its own: served from the cache, it would show
    this page but leave the guest's session without the consent, so the next page asks
    again (and nginx could keep it for guests without a session)."""
    work = make_work(writer, title="Lamplit Quay", rating=EXPLICIT, texts=["Wordsonthequay."])
    url = reverse("works:detail", args=[work.pk])
    for address in ("192.0.2.30", "192.0.2.31"):
        guest = _guest(address)
        answer = guest.get(f"{url}?view_adult=true")
        assert answer.status_code == 200 and b"Wordsonthequay." in answer.content
        assert answer.get(HIT_HEADER) is None  # neither kept nor served from the cache
        assert guest.session.get(ADULT_CONSENT_KEY) is True
        # The consent holds: the work's page without the question shows its words.
        assert b"Wordsonthequay." in guest.get(url).content


def test_a_page_kept_under_one_age_gate_policy_is_never_served_under_another(writer, settings):
    """The cache outlives a restart, so a policy change (FANARCHIVE_AGE_GATE, or the list of
    countries) must not serve the pages kept under the old one."""
    work = make_work(writer, title="Lamplit Quay", rating=EXPLICIT, texts=["Wordsonthequay."])
    url = reverse("works:detail", args=[work.pk])
    settings.AGE_GATE = "interstitial"
    agreed = _guest("192.0.2.40")
    session = agreed.session
    session[ADULT_CONSENT_KEY] = True
    session.save()
    how, page = served(agreed, url)
    assert how == "miss" and "Wordsonthequay." in page
    settings.AGE_GATE = "adults"  # only logged-in accounts that confirmed their age
    refused = agreed.get(url)
    assert refused.status_code == 403 and b"Wordsonthequay." not in refused.content
    # Visitors from the guest's country are refused once it is listed.
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.9.8.7"),)
    settings.COUNTRY_HEADER = "CF-IPCountry"
    settings.AGE_GATE = "countries"
    settings.AGE_GATE_COUNTRIES = frozenset()
    travelling = Client(REMOTE_ADDR="10.9.8.7", HTTP_CF_IPCOUNTRY="GB")
    session = travelling.session
    session[ADULT_CONSENT_KEY] = True
    session.save()
    how, page = served(travelling, url)
    assert how == "miss" and "Wordsonthequay." in page
    settings.AGE_GATE_COUNTRIES = frozenset({"GB"})
    refused = travelling.get(url)
    assert refused.status_code == 451 and b"Wordsonthequay." not in refused.content
