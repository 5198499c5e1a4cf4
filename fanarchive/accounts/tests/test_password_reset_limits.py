"""Password-reset mail is limited per address and per client, without telling who has an account."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from fanarchive.accounts import limits
from fanarchive.accounts.models import User
from fanarchive.core.testing import RateLimitClock, make_user, rate_limit_clock

pytestmark = pytest.mark.django_db

WINDOW = limits.PASSWORD_RESET_WINDOW_SECONDS


@pytest.fixture(autouse=True)
def clock(monkeypatch: pytest.MonkeyPatch) -> RateLimitClock:
    return rate_limit_clock(monkeypatch, WINDOW)


def ask(client: Client, email: str, address: str = "203.0.113.7") -> Any:
    return client.post(reverse("accounts:password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_an_address_gets_at_most_the_limit_of_mails_and_the_same_answer_each_time(
    client: Client, user: User, mailoutbox: list[EmailMessage]
) -> None:
    answers = [
        ask(client, "writer@example.org" if n % 2 else "WRITER@example.org") for n in range(8)
    ]
    assert len(mailoutbox) == limits.PASSWORD_RESET_MAILS_PER_ADDRESS
    assert {mail.to[0] for mail in mailoutbox} == {user.email}
    # Mailed or not, every answer is the "check your e-mail" redirect.
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("accounts:password_reset_done"))
    }


def test_the_limit_looks_the_same_for_an_address_without_an_account(
    client: Client, user: User, mailoutbox: list[EmailMessage]
) -> None:
    over = limits.PASSWORD_RESET_MAILS_PER_ADDRESS + 1
    known = [ask(client, user.email, "198.51.100.1") for _ in range(over)]
    unknown = [ask(client, "nobody@example.org", "198.51.100.2") for _ in range(over)]
    assert [(a.status_code, a["Location"]) for a in known] == [
        (b.status_code, b["Location"]) for b in unknown
    ]


def test_another_address_still_gets_its_mail(
    client: Client, user: User, mailoutbox: list[EmailMessage]
) -> None:
    other = make_user("second")
    for _ in range(limits.PASSWORD_RESET_MAILS_PER_ADDRESS + 2):
        ask(client, user.email)
    mailoutbox.clear()
    ask(client, other.email)
    assert [mail.to for mail in mailoutbox] == [[other.email]]


def test_the_address_limit_resets_after_the_window(
    client: Client, user: User, mailoutbox: list[EmailMessage], clock: RateLimitClock
) -> None:
    for _ in range(limits.PASSWORD_RESET_MAILS_PER_ADDRESS + 1):
        ask(client, user.email)
    assert len(mailoutbox) == limits.PASSWORD_RESET_MAILS_PER_ADDRESS
    clock.now += WINDOW - 1
    ask(client, user.email)
    assert len(mailoutbox) == limits.PASSWORD_RESET_MAILS_PER_ADDRESS
    clock.now += 1
    ask(client, user.email)
    assert len(mailoutbox) == limits.PASSWORD_RESET_MAILS_PER_ADDRESS + 1


def test_too_many_requests_from_one_client_get_429_with_retry_after(
    client: Client, user: User, mailoutbox: list[EmailMessage], clock: RateLimitClock
) -> None:
    for n in range(limits.PASSWORD_RESET_REQUESTS_PER_CLIENT):
        assert ask(client, f"someone{n}@example.org").status_code == 302
    clock.now += 600
    limited = ask(client, user.email)
    assert limited.status_code == 429
    assert limited["Retry-After"] == str(WINDOW - 600)
    page = limited.content.decode()
    assert "Too many password-reset requests came from your network" in page
    assert "Please try again in 50 minutes." in page
    assert mailoutbox == []
    # Another client is not held back, and this one may ask again in the next window.
    assert ask(client, user.email, "192.0.2.50").status_code == 302
    clock.now += WINDOW - 600
    assert ask(client, user.email).status_code == 302
    assert len(mailoutbox) == 2


def test_the_form_page_itself_is_not_counted(client: Client) -> None:
    for _ in range(limits.PASSWORD_RESET_REQUESTS_PER_CLIENT + 1):
        response = client.get(reverse("accounts:password_reset"), REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 200
