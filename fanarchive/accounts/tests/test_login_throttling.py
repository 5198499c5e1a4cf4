"""Failed log-ins are slowed and refused for a while (accounts.login_services)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from fanarchive.accounts import limits, login_services
from fanarchive.accounts.models import User
from fanarchive.core import ratelimit
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.testing import PASSWORD, RateLimitClock, make_user, rate_limit_clock
from fanarchive.core.tests.threads import cache_backend_params, use_cache_backend

pytestmark = pytest.mark.django_db

WINDOW = limits.LOGIN_WINDOW_SECONDS
HOME = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
NEW_PASSWORD = "a lantern over the harbour"
ACCOUNT_REFUSED = "Too many failed log-in attempts for this account"
NETWORK_REFUSED = "Too many failed log-in attempts from your network"
WRONG = "Please enter a correct user name"


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> RateLimitClock:
    return rate_limit_clock(monkeypatch, WINDOW)


def log_in(client: Client, username: str, password: str, address: str = HOME) -> Any:
    return client.post(
        reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_from_the_sixth_failure_the_account_is_refused_even_with_the_right_password(
    client: Client, user: User
) -> None:
    answers = [log_in(client, "writer", f"guess-{n}") for n in range(25)]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    assert all(WRONG in a.content.decode() for a in answers[:5])
    assert [a.status_code for a in answers[5:]] == [429] * 20
    refused = answers[5].content.decode()
    assert ACCOUNT_REFUSED in refused and "Try again in 15 minutes" in refused
    assert "reset your password" in refused and "even the right password" in refused
    assert answers[5]["Retry-After"] == str(WINDOW)
    assert 'name="username"' in refused  # the form is shown again

    right = log_in(client, "writer", PASSWORD)
    assert right.status_code == 429 and ACCOUNT_REFUSED in right.content.decode()
    assert not logged_in(client)
    user.refresh_from_db()
    assert user.last_login is None  # nothing else changed


def test_the_name_any_case_and_the_e_mail_address_count_as_one_account(
    client: Client, user: User
) -> None:
    for name in ["writer", "WRITER", "writer@example.org", "Writer@Example.ORG", "wRiTeR"]:
        assert log_in(client, name, "nope").status_code == 200
    assert log_in(client, "writer@example.org", PASSWORD).status_code == 429


def test_another_address_can_still_log_in_to_the_account(client: Client, user: User) -> None:
    for n in range(6):
        log_in(client, "writer", f"guess-{n}")
    assert log_in(client, "writer", PASSWORD).status_code == 429
    response = log_in(client, "writer", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 302 and logged_in(client)


def test_many_addresses_reach_the_account_ceiling_which_ends_with_the_window(
    client: Client, user: User, clock: RateLimitClock
) -> None:
    per_address = limits.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS
    crowd = limits.LOGIN_FAILURES_PER_ACCOUNT // per_address
    for n in range(crowd):
        for _ in range(per_address):
            assert log_in(client, "writer", "nope", address=f"192.0.2.{n + 1}").status_code == 200
    response = log_in(client, "writer", PASSWORD, address=ELSEWHERE)
    assert response.status_code == 429 and ACCOUNT_REFUSED in response.content.decode()
    clock.now += WINDOW - 60
    assert "Try again in 1 minute," in log_in(client, "writer", PASSWORD).content.decode()
    clock.now += 60  # the window ended: refused for at most 15 minutes
    assert log_in(client, "writer", PASSWORD, address=ELSEWHERE).status_code == 302


def test_one_address_failing_on_many_accounts_is_refused_for_every_account(
    client: Client, user: User
) -> None:
    for n in range(limits.LOGIN_FAILURES_PER_ADDRESS):
        assert log_in(client, f"guess_{n}", "nope").status_code == 200
    response = log_in(client, "writer", PASSWORD)
    assert response.status_code == 429 and NETWORK_REFUSED in response.content.decode()
    assert log_in(client, "writer", PASSWORD, address=ELSEWHERE).status_code == 302


def test_after_the_window_the_right_password_works(
    client: Client, user: User, clock: RateLimitClock
) -> None:
    for n in range(6):
        log_in(client, "writer", f"guess-{n}")
    clock.now += 10 * 60
    response = log_in(client, "writer", PASSWORD)
    assert response.status_code == 429 and "Try again in 5 minutes" in response.content.decode()
    clock.now += 5 * 60
    assert log_in(client, "writer", PASSWORD).status_code == 302 and logged_in(client)


def test_a_password_reset_ends_the_refusal(
    client: Client, user: User, mailoutbox: list[EmailMessage]
) -> None:
    for n in range(6):
        log_in(client, "writer", f"guess-{n}")
    assert log_in(client, "writer", PASSWORD).status_code == 429
    client.post(reverse("accounts:password_reset"), {"email": "writer@example.org"})
    link = re.search(r"https?://testserver(/\S+)", str(mailoutbox[0].body))
    assert link is not None
    set_password_url = client.get(link.group(1), follow=True).redirect_chain[-1][0]
    client.post(set_password_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    response = log_in(client, "writer", NEW_PASSWORD)
    assert response.status_code == 302 and logged_in(client)


def test_a_name_without_an_account_is_refused_the_same_way(client: Client, db: None) -> None:
    answers = [log_in(client, "nobody_here", "nope") for _ in range(6)]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert ACCOUNT_REFUSED in answers[5].content.decode()


def test_an_unconfirmed_account_with_the_right_password_is_not_a_failure(
    client: Client, db: None
) -> None:
    make_user("waiting", is_active=False)
    for _ in range(8):
        response = log_in(client, "waiting", PASSWORD)
        assert response.status_code == 200 and "confirm your e-mail" in response.content.decode()


def test_a_huge_or_empty_name_changes_nothing(client: Client, user: User) -> None:
    huge = log_in(client, "w" * 100_000, "nope")
    assert huge.status_code == 200 and "at most 254 characters" in huge.content.decode()
    assert log_in(client, "", "nope").status_code == 200
    assert log_in(client, "writer", "").status_code == 200
    assert log_in(client, "writer", PASSWORD).status_code == 302


# -- the service, on each cache backend ------------------------------------------------


@pytest.mark.parametrize("backend", cache_backend_params("database", "redis", "locmem"))
def test_the_service_counts_and_refuses_on_every_cache_backend(
    settings: Any, backend: str, user: User
) -> None:
    use_cache_backend(settings, backend)
    for _ in range(limits.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        login_services.login_throttle_check(identifier="writer", address=HOME)
        login_services.login_failure_record(identifier="writer", address=HOME)
    with pytest.raises(RateLimited, match=ACCOUNT_REFUSED) as refused:
        login_services.login_throttle_check(identifier="Writer", address=HOME)
    assert refused.value.retry_after == WINDOW
    login_services.login_throttle_check(identifier="writer", address=ELSEWHERE)
    login_services.login_throttle_check(identifier="other_name", address=HOME)
    cache.clear()


def test_the_peek_counts_nothing(db: None) -> None:
    assert ratelimit.rate_limit_peek(scope="test", key="a", window=10) == (0, 10)
    ratelimit.rate_limit_spend(scope="test", key="a", limit=5, window=10)
    assert ratelimit.rate_limit_peek(scope="test", key="a", window=10) == (1, 10)
    assert ratelimit.rate_limit_peek(scope="test", key="a", window=10) == (1, 10)


def test_the_admin_log_in_page_is_the_sites(client: Client, db: None) -> None:
    make_user("boss", is_staff=True, is_superuser=True)
    response = client.get("/admin/login/?next=/admin/auth/")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?next=/admin/auth/"
    posted = client.post("/admin/login/", {"username": "boss", "password": PASSWORD})
    assert posted.status_code == 302 and not logged_in(client)
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
