"""Two-factor log-in: the services (codes, drift, reuse, recovery codes) and the pages."""

from __future__ import annotations

import re
import time
from typing import Any

import pyotp
import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from config.env import ConfigError, parse_require_two_factor
from fanarchive.accounts import limits, two_factor_selectors, two_factor_views
from fanarchive.accounts.models import RecoveryCode, TwoFactor, User
from fanarchive.accounts.two_factor_services import (
    recovery_codes_regenerate,
    two_factor_confirm,
    two_factor_disable,
    two_factor_reset_by_admin,
    two_factor_setup_begin,
    two_factor_verify,
)
from fanarchive.api.services import token_create
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_user
from fanarchive.tags.selectors import WRANGLERS_GROUP

pytestmark = pytest.mark.django_db

NOW = 1_800_000_000.0 - 1_800_000_000 % 30  # the start of a 30-second step
ADDRESS = "203.0.113.7"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # the login throttle's counts; a Redis cache outlives the transaction


def code(two_factor: TwoFactor, at: float = NOW, steps: int = 0) -> str:
    return pyotp.TOTP(two_factor.secret).at(at, counter_offset=steps)


def enabled(user: User, at: float = NOW) -> tuple[TwoFactor, list[str]]:
    two_factor = two_factor_setup_begin(user=user)
    codes = two_factor_confirm(user=user, code=code(two_factor, at), now=at)
    two_factor.refresh_from_db()
    return two_factor, codes


# -- services ------------------------------------------------------------------------


def test_setting_up_needs_a_right_code_and_gives_ten_recovery_codes(user: User) -> None:
    two_factor = two_factor_setup_begin(user=user)
    assert len(two_factor.secret) >= 32 and two_factor.confirmed_at is None
    assert not two_factor_selectors.two_factor_enabled(user)
    with pytest.raises(ValidationError, match="not right"):
        two_factor_confirm(user=user, code=code(two_factor, NOW, steps=3), now=NOW)
    with pytest.raises(ValidationError, match="not right"):
        two_factor_confirm(user=user, code="12345x", now=NOW)
    codes = two_factor_confirm(user=user, code=code(two_factor, NOW), now=NOW)
    assert two_factor_selectors.two_factor_enabled(user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(re.fullmatch(r"[a-z2-9]{5}-[a-z2-9]{5}", c) for c in codes)
    digests = list(RecoveryCode.objects.values_list("digest", flat=True))
    assert len(digests) == 10 and all(d.startswith("sha256$") for d in digests)
    assert not any(c.replace("-", "") in d for c in codes for d in digests)
    with pytest.raises(ValidationError, match="already on"):
        two_factor_setup_begin(user=user)


def test_setting_up_again_before_confirming_makes_a_new_secret(user: User) -> None:
    first = two_factor_setup_begin(user=user).secret
    assert two_factor_setup_begin(user=user).secret != first
    assert TwoFactor.objects.count() == 1


def test_codes_of_the_next_and_previous_step_are_accepted_not_further(user: User) -> None:
    two_factor, _ = enabled(user, at=NOW - 300)
    later = NOW + 600
    assert two_factor_verify(user=user, code=code(two_factor, later, steps=-1), now=later)
    assert two_factor_verify(user=user, code=code(two_factor, later, steps=1), now=later)
    for steps in (2, 3):
        with pytest.raises(ValidationError):
            two_factor_verify(user=user, code=code(two_factor, later + 300, steps), now=later + 300)
        with pytest.raises(ValidationError):
            two_factor_verify(
                user=user, code=code(two_factor, later + 300, -steps), now=later + 300
            )


def test_a_code_is_not_accepted_twice_nor_an_older_one_after_it(user: User) -> None:
    two_factor, _ = enabled(user, at=NOW - 300)
    right = code(two_factor, NOW)
    assert two_factor_verify(user=user, code=f" {right[:3]} {right[3:]} ", now=NOW) == "totp"
    with pytest.raises(ValidationError, match="used already"):
        two_factor_verify(user=user, code=right, now=NOW)
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=code(two_factor, NOW, steps=-1), now=NOW)
    # The code used to set up is spent too.
    other = make_user("other_writer")
    two_factor = two_factor_setup_begin(user=other)
    set_up_with = code(two_factor, NOW)
    two_factor_confirm(user=other, code=set_up_with, now=NOW)
    with pytest.raises(ValidationError):
        two_factor_verify(user=other, code=set_up_with, now=NOW)


def test_a_recovery_code_works_once_in_any_case_and_spacing(user: User) -> None:
    _, codes = enabled(user)
    typed = codes[0].upper().replace("-", " ")
    assert two_factor_verify(user=user, code=typed, now=NOW + 60) == "recovery"
    with pytest.raises(ValidationError, match="used already"):
        two_factor_verify(user=user, code=codes[0], now=NOW + 60)
    assert two_factor_verify(user=user, code=codes[1], now=NOW + 60) == "recovery"
    assert two_factor_selectors.recovery_codes_left(user.two_factor) == 8


def test_wrong_huge_or_scripted_codes_change_nothing(user: User) -> None:
    two_factor, _ = enabled(user)
    for bad in ["", "x" * 100_000, "abcde-fghjk", "000000", "<script>", "1" * 64]:
        with pytest.raises(ValidationError):
            two_factor_verify(user=user, code=bad, now=NOW + 60)
    two_factor.refresh_from_db()
    assert two_factor.last_counter == int(NOW // 30)
    assert not RecoveryCode.objects.filter(used_at__isnull=False).exists()


def test_an_account_without_two_factor_has_no_codes(user: User) -> None:
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code="123456")
    two_factor_setup_begin(user=user)  # not confirmed: still off
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code="123456")


def test_new_recovery_codes_and_turning_off_need_the_password(user: User) -> None:
    _, old = enabled(user)
    with pytest.raises(ValidationError, match="not your password"):
        recovery_codes_regenerate(user=user, password="wrong", address=ADDRESS)
    new = recovery_codes_regenerate(user=user, password=PASSWORD, address=ADDRESS)
    assert set(new).isdisjoint(old) and RecoveryCode.objects.count() == 10
    with pytest.raises(ValidationError):
        two_factor_verify(user=user, code=old[0], now=NOW + 60)
    with pytest.raises(ValidationError, match="not your password"):
        two_factor_disable(user=user, password="", address=ADDRESS)
    assert two_factor_selectors.two_factor_enabled(user)
    two_factor_disable(user=user, password=PASSWORD, address=ADDRESS)
    assert not two_factor_selectors.two_factor_enabled(user)
    assert not TwoFactor.objects.exists() and not RecoveryCode.objects.exists()


def test_wrong_passwords_when_turning_off_are_throttled_like_log_ins(user: User) -> None:
    enabled(user)
    for _ in range(limits.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        with pytest.raises(ValidationError, match="not your password"):
            two_factor_disable(user=user, password="wrong", address=ADDRESS)
    with pytest.raises(ValidationError, match="Too many failed log-in attempts"):
        two_factor_disable(user=user, password=PASSWORD, address=ADDRESS)
    assert two_factor_selectors.two_factor_enabled(user)


def test_an_admin_can_turn_off_someones_two_factor_with_an_audit_entry(user: User) -> None:
    enabled(user)
    admin = make_user("boss", is_staff=True)
    with pytest.raises(PermissionDenied):
        two_factor_reset_by_admin(actor=make_user("nobody_special"), user=user, reason="x")
    with pytest.raises(ValidationError):
        two_factor_reset_by_admin(actor=admin, user=user, reason="  ")
    two_factor_reset_by_admin(actor=admin, user=user, reason="Proved it by mail.")
    assert not two_factor_selectors.two_factor_enabled(user)
    entry = AuditEntry.objects.get(action="user.two_factor_reset")
    assert entry.actor == admin and entry.reason == "Proved it by mail."


def test_the_setting_names_roles() -> None:
    assert parse_require_two_factor(None) == frozenset()
    assert parse_require_two_factor(" none ") == frozenset()
    assert parse_require_two_factor("Staff, wranglers") == {"staff", "wranglers"}
    for bad in ["everyone", "staff,none", "admins"]:
        with pytest.raises(ConfigError, match="FANARCHIVE_REQUIRE_TWO_FACTOR"):
            parse_require_two_factor(bad)


def test_the_wranglers_group_is_the_tags_apps() -> None:
    assert two_factor_selectors.WRANGLERS_GROUP == WRANGLERS_GROUP


def test_who_must_use_two_factor(settings: Any, user: User) -> None:
    staff = make_user("boss", is_staff=True)
    wrangler = make_user("sorter")
    wrangler.groups.add(Group.objects.get_or_create(name=WRANGLERS_GROUP)[0])
    settings.REQUIRE_TWO_FACTOR = frozenset()
    assert not any(two_factor_selectors.two_factor_required(u) for u in (user, staff, wrangler))
    settings.REQUIRE_TWO_FACTOR = frozenset({"staff"})
    assert [two_factor_selectors.two_factor_required(u) for u in (user, staff, wrangler)] == [
        False,
        True,
        False,
    ]
    settings.REQUIRE_TWO_FACTOR = frozenset({"wranglers"})
    assert [two_factor_selectors.two_factor_required(u) for u in (user, staff, wrangler)] == [
        False,
        False,
        True,
    ]


# -- pages ---------------------------------------------------------------------------


def page_set_up(client: Client, user: User) -> tuple[TwoFactor, list[str]]:
    """Set two-factor log-in up through the pages, as the owner would."""
    status = client.get(reverse("accounts:two_factor", args=[user.username]))
    assert "Two-factor log-in is off" in status.content.decode()
    begin = client.post(reverse("accounts:two_factor_begin", args=[user.username]))
    assert begin["Location"] == reverse("accounts:two_factor_setup", args=[user.username])
    page = client.get(begin["Location"])
    html = page.content.decode()
    assert '<img src="data:image/svg+xml' in html and "no-store" in page["Cache-Control"]
    two_factor = TwoFactor.objects.get(user=user)
    assert two_factor.secret[:4] in html  # the key, for typing in
    wrong = client.post(begin["Location"], {"code": "000000"})
    assert "not right" in wrong.content.decode()
    done = client.post(begin["Location"], {"code": code(two_factor, time.time())})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert "no-store" in done["Cache-Control"]
    two_factor.refresh_from_db()
    return two_factor, codes


def password_step(client: Client, username: str = "writer", next_url: str = "") -> Any:
    data = {"username": username, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("accounts:login"), data, REMOTE_ADDR=ADDRESS)


def code_step(client: Client, value: str) -> Any:
    return client.post(reverse("accounts:two_factor_login"), {"code": value}, REMOTE_ADDR=ADDRESS)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_set_up_then_log_in_with_a_code(client: Client, user: User) -> None:
    client.force_login(user)
    two_factor, _ = page_set_up(client, user)
    status = client.get(reverse("accounts:two_factor", args=[user.username]))
    assert "Two-factor log-in is on" in status.content.decode()
    assert "10 of your 10 recovery codes are left" in status.content.decode()
    client.post(reverse("accounts:logout"))

    target = reverse("accounts:profile_edit", args=["writer"])
    response = password_step(client, next_url=target)
    assert response["Location"] == reverse("accounts:two_factor_login")
    assert not logged_in(client)
    page = client.get(response["Location"])
    assert "Enter your two-factor code" in page.content.decode()
    response = code_step(client, code(two_factor, time.time(), steps=1))
    assert response.status_code == 302 and response["Location"] == target
    assert logged_in(client)


def test_log_in_with_a_recovery_code_once(client: Client, user: User) -> None:
    _, codes = enabled(user)
    password_step(client)
    response = code_step(client, codes[3])
    assert response.status_code == 302 and logged_in(client)
    followed = client.get(response["Location"])
    assert "You used a recovery code; 9 are left" in followed.content.decode()
    client.post(reverse("accounts:logout"))
    password_step(client)
    again = code_step(client, codes[3])
    assert again.status_code == 200 and "used already" in again.content.decode()
    assert not logged_in(client)


def test_five_wrong_codes_send_back_to_the_password_and_count_as_failures(
    client: Client, user: User
) -> None:
    enabled(user)
    password_step(client)
    for n in range(limits.TWO_FACTOR_CODE_TRIES - 1):
        response = code_step(client, f"00000{n}")
        assert response.status_code == 200 and "not right" in response.content.decode()
    response = code_step(client, "000009")
    assert response["Location"] == reverse("accounts:login")
    assert "Too many wrong codes" in client.get(response["Location"]).content.decode()
    assert code_step(client, "000000")["Location"] == reverse("accounts:login")  # no code page
    # The wrong codes were failed log-ins: the password is refused from here for a while.
    assert password_step(client).status_code == 429
    assert not logged_in(client)


def test_the_code_page_waits_five_minutes(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    two_factor, _ = enabled(user, at=time.time())
    password_step(client)
    later = time.time() + limits.TWO_FACTOR_LOGIN_SECONDS + 1

    class Later:
        @staticmethod
        def time() -> float:
            return later

    monkeypatch.setattr(two_factor_views, "time", Later)
    response = code_step(client, code(two_factor, time.time(), steps=1))
    assert response["Location"] == reverse("accounts:login") and not logged_in(client)


def test_the_code_page_without_a_password_goes_to_the_log_in(client: Client, db: None) -> None:
    response = client.get(reverse("accounts:two_factor_login"))
    assert response["Location"] == reverse("accounts:login")


def test_turning_off_needs_the_password(client: Client, user: User) -> None:
    enabled(user)
    client.force_login(user)
    url = reverse("accounts:two_factor_disable", args=["writer"])
    wrong = client.post(url, {"password": "not it"})
    assert wrong.status_code == 400 and "not your password" in wrong.content.decode()
    assert two_factor_selectors.two_factor_enabled(user)
    assert client.get(url).status_code == 405
    right = client.post(url, {"password": PASSWORD})
    assert right["Location"] == reverse("accounts:two_factor", args=["writer"])
    assert not two_factor_selectors.two_factor_enabled(user)
    response = password_step(client)
    assert response.status_code == 302 and response["Location"] != reverse(
        "accounts:two_factor_login"
    )


def test_new_recovery_codes_through_the_page(client: Client, user: User) -> None:
    enabled(user)
    client.force_login(user)
    url = reverse("accounts:two_factor_recovery_codes", args=["writer"])
    assert client.post(url, {"password": "nope"}).status_code == 400
    response = client.post(url, {"password": PASSWORD})
    codes = re.findall(r"<code>([a-z2-9]{5}-[a-z2-9]{5})</code>", response.content.decode())
    assert len(codes) == 10 and "no-store" in response["Cache-Control"]


def test_the_pages_are_the_owners_only(client: Client, user: User, other_user: User) -> None:
    client.force_login(other_user)
    assert client.get(reverse("accounts:two_factor", args=["writer"])).status_code == 403
    begin = client.post(reverse("accounts:two_factor_begin", args=["writer"]))
    assert begin.status_code == 403 and not TwoFactor.objects.exists()
    client.logout()
    response = client.get(reverse("accounts:two_factor", args=["writer"]))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_staff_must_set_it_up_before_anything_else_when_required(
    client: Client, settings: Any, db: None
) -> None:
    settings.REQUIRE_TWO_FACTOR = frozenset({"staff"})
    boss = make_user("boss", is_staff=True)
    response = password_step(client, "boss")
    assert logged_in(client)
    status_page = reverse("accounts:two_factor", args=["boss"])
    for page in [response["Location"], reverse("works:list"), "/admin/"]:
        blocked = client.get(page)
        assert blocked.status_code == 302 and blocked["Location"] == status_page
    page = client.get(status_page)
    assert "must use two-factor log-in" in page.content.decode()
    page_set_up(client, boss)
    assert client.get(reverse("works:list")).status_code == 200
    assert client.post(reverse("accounts:logout")).status_code == 302


def test_a_required_wrangler_can_log_out_without_setting_it_up(
    client: Client, settings: Any, db: None
) -> None:
    settings.REQUIRE_TWO_FACTOR = frozenset({"wranglers"})
    sorter = make_user("sorter")
    sorter.groups.add(Group.objects.get_or_create(name=WRANGLERS_GROUP)[0])
    client.force_login(sorter)
    assert client.get(reverse("works:list"))["Location"].endswith("/users/sorter/two-factor/")
    client.post(reverse("accounts:logout"))
    assert not logged_in(client)
    assert client.get(reverse("works:list")).status_code == 200


def test_api_tokens_are_unaffected(client: Client, settings: Any, db: None) -> None:
    settings.REQUIRE_TWO_FACTOR = frozenset({"staff"})
    boss = make_user("boss", is_staff=True)
    _, secret = token_create(user=boss, owner=boss, name="script", scope="read")
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["username"] == "boss"
    enabled(boss)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200


def test_a_huge_code_is_refused_and_not_counted(client: Client, user: User) -> None:
    two_factor, _ = enabled(user, at=time.time())
    password_step(client)
    for _ in range(limits.TWO_FACTOR_CODE_TRIES + 1):
        response = code_step(client, "9" * 100_000)
        assert response.status_code == 200 and "at most 64 characters" in response.content.decode()
    response = code_step(client, code(two_factor, time.time(), steps=1))
    assert response.status_code == 302 and logged_in(client)


def test_a_token_call_with_the_session_of_a_required_account_is_the_tokens(
    client: Client, settings: Any, db: None
) -> None:
    settings.REQUIRE_TWO_FACTOR = frozenset({"staff"})
    boss = make_user("boss", is_staff=True)
    _, secret = token_create(user=boss, owner=boss, name="script", scope="read")
    client.force_login(boss)
    assert client.get("/api/v1/me").status_code == 302  # the session alone: set it up first
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}").status_code == 200
