"""The client's address behind trusted reverse proxies (FANARCHIVE_TRUSTED_PROXIES)."""

from __future__ import annotations

import ipaddress

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from fanarchive.accounts import limits as account_limits
from fanarchive.api.ratelimit import client_key
from fanarchive.core.addresses import client_address
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Kudos

PROXY = "10.0.0.1"


def networks(*specs: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(spec, strict=False) for spec in specs)


def address_of(remote: str | None, forwarded: str | None = None) -> str:
    request = RequestFactory().get("/")
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    if remote is None:
        del request.META["REMOTE_ADDR"]
    else:
        request.META["REMOTE_ADDR"] = remote
    return client_address(request)


def test_trusting_nobody_by_default_the_connection_is_the_client(settings) -> None:
    assert settings.TRUSTED_PROXIES == ()
    assert address_of("198.51.100.4") == "198.51.100.4"
    # A direct client's header is its own say-so, and ignored.
    assert address_of("198.51.100.4", "203.0.113.9") == "198.51.100.4"
    assert address_of(None) == "unknown"


def test_a_spoofed_header_from_an_untrusted_peer_is_ignored(settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    assert address_of("198.51.100.4", "203.0.113.9") == "198.51.100.4"
    assert address_of("198.51.100.4", "10.0.0.1, 203.0.113.9") == "198.51.100.4"


def test_behind_one_trusted_proxy_the_forwarded_address_is_the_client(settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    assert address_of(PROXY, "203.0.113.9") == "203.0.113.9"
    assert address_of(PROXY) == PROXY  # the proxy said nothing: it is the client
    # What the client wrote itself stands left of what the proxy appended.
    assert address_of(PROXY, "192.0.2.66, 203.0.113.9") == "203.0.113.9"


def test_chains_of_proxies_take_the_right_most_untrusted_address(settings) -> None:
    settings.TRUSTED_PROXIES = networks("10.0.0.0/8", "2001:db8::/32")
    chain = "192.0.2.66, 203.0.113.9, 10.1.2.3, 10.4.5.6"
    assert address_of("10.0.0.1", chain) == "203.0.113.9"
    # Several headers are joined by commas; spaces and IPv6 are fine.
    assert address_of("2001:db8::1", "2001:db8::7,198.51.100.20 ,  10.9.9.9") == "198.51.100.20"
    # Only trusted hops: the left-most is as far as anyone can tell.
    assert address_of("10.0.0.1", "10.3.3.3, 10.2.2.2") == "10.3.3.3"


def test_garbage_in_the_header_stops_the_walk_at_the_last_trusted_hop(settings) -> None:
    settings.TRUSTED_PROXIES = networks("10.0.0.0/8")
    assert address_of("10.0.0.1", "not-an-address, 10.2.2.2") == "10.2.2.2"
    assert address_of("10.0.0.1", ", ,") == "10.0.0.1"
    assert address_of("10.0.0.1", "x" * 5000) == "10.0.0.1"


def test_ports_brackets_and_mapped_addresses_are_read(settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    assert address_of("::ffff:10.0.0.1", "203.0.113.9") == "203.0.113.9"
    assert address_of(PROXY, "203.0.113.9:51234") == "203.0.113.9"
    assert address_of(PROXY, "[2001:db8::5]:443") == "2001:db8::5"


@pytest.mark.django_db
def test_guests_behind_the_proxy_get_distinct_kudos(client: Client, settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    work = make_work(make_user("lantern_writer"))
    url = f"/works/{work.pk}/kudos/"
    client.post(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.10")
    client.post(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.11")
    client.post(url, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.11")  # again: refused
    assert Kudos.objects.filter(work=work, user=None).count() == 2


@pytest.mark.django_db
def test_a_guest_cannot_leave_more_kudos_by_forging_the_header(client: Client, settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    work = make_work(make_user("lantern_writer"))
    url = f"/works/{work.pk}/kudos/"
    for forged in ("203.0.113.10", "203.0.113.11", "10.0.0.1"):
        client.post(url, REMOTE_ADDR="198.51.100.4", HTTP_X_FORWARDED_FOR=forged)
    assert Kudos.objects.filter(work=work, user=None).count() == 1


@pytest.mark.django_db
def test_password_reset_limits_count_each_client_behind_the_proxy(client: Client, settings):
    settings.TRUSTED_PROXIES = networks(PROXY)
    url = reverse("accounts:password_reset")

    def ask(forwarded: str) -> int:
        data = {"email": "nobody@example.org"}
        return client.post(url, data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded).status_code

    cache.clear()
    answers = [
        ask("203.0.113.20") for _ in range(account_limits.PASSWORD_RESET_REQUESTS_PER_CLIENT)
    ]
    assert 429 not in answers
    assert ask("203.0.113.20") == 429
    assert ask("203.0.113.21") == 302  # another reader behind the same proxy


def test_the_api_budget_of_a_guest_is_its_own_address(settings) -> None:
    settings.TRUSTED_PROXIES = networks(PROXY)
    request = RequestFactory().get("/api/v1/works", REMOTE_ADDR=PROXY)
    request.META["HTTP_X_FORWARDED_FOR"] = "203.0.113.30"
    assert client_key(request, token_id=None, user_id=None) == "ip:203.0.113.30"
