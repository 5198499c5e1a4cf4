"""Age-verification: the provider's signed token and callback, the admin's marking, and
a reader confirming they are an adult (the "adults" and "verified" age-gate policies)."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts import age_services
from fanarchive.accounts.age_tokens import (
    TOKEN_LIFETIME,
    TokenRefused,
    check_token,
    make_token,
    signature_of,
)
from fanarchive.accounts.models import SpentVerificationToken, User
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user

SECRET = "a-test-secret-that-is-long-enough-to-use"
OTHER_SECRET = "another-secret-another-secret-another"
CALLBACK = "/age-verification/callback/"
NOW = 1_800_000_000


# -- the token, by itself ------------------------------------------------------------------


def test_a_token_is_the_username_the_time_and_their_hmac():
    token = make_token(SECRET, "mira_vale", NOW)
    assert token == f"mira_vale.{NOW}.{signature_of(SECRET, 'mira_vale', NOW)}"
    claim = check_token(SECRET, token, now=NOW + 5)
    assert (claim.username, claim.timestamp) == ("mira_vale", NOW)


def test_the_signature_is_hmac_sha256_of_username_dot_timestamp_in_hex():
    """What the README tells providers, computed independently."""
    expected = hmac.new(SECRET.encode(), f"mira_vale.{NOW}".encode(), hashlib.sha256).hexdigest()
    assert signature_of(SECRET, "mira_vale", NOW) == expected


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (make_token(OTHER_SECRET, "mira_vale", NOW), "signature"),
        (make_token(SECRET, "mira_vale", NOW)[:-1] + "0", "signature"),
        (make_token(SECRET, "mira_vale", NOW).replace("mira_vale", "tomas"), "signature"),
        (make_token(SECRET, "mira_vale", NOW - TOKEN_LIFETIME - 1), "older than 10 minutes"),
        (make_token(SECRET, "mira_vale", NOW + 3600), "future"),
        ("mira_vale", "must be"),
        (f"mira_vale.soon.{signature_of(SECRET, 'mira_vale', NOW)}", "must be"),
        ("", "must be"),
    ],
)
def test_a_forged_stale_or_malformed_token_is_refused(token, message):
    with pytest.raises(TokenRefused, match=message):
        check_token(SECRET, token, now=NOW)


def test_no_secret_no_verification():
    with pytest.raises(TokenRefused, match="not set up"):
        check_token("", make_token("", "mira_vale", NOW), now=NOW)


# -- the callback, through the site --------------------------------------------------------


@pytest.fixture
def provider(settings) -> Client:
    settings.AGE_VERIFICATION_SECRET = SECRET
    return Client()


def fresh_token(username: str, *, age: int = 0) -> str:
    return make_token(SECRET, username, int(time.time()) - age)


@pytest.mark.django_db
def test_a_good_callback_verifies_the_account_with_an_audit_entry(provider, user):
    response = provider.post(CALLBACK, {"token": fresh_token(user.username)})
    assert response.status_code == 200
    assert response.json() == {"username": user.username, "age_verified": True}
    user.refresh_from_db()
    assert user.age_verified_at is not None
    entry = AuditEntry.objects.get(action="user.age_verify", target_id=user.pk)
    assert entry.actor is None and entry.actor_name == "the archive"
    assert entry.before == {"age_verified_at": None} and entry.after["age_verified_at"]


@pytest.mark.django_db
def test_the_callback_takes_json_too(provider, user):
    response = provider.post(
        CALLBACK, {"token": fresh_token(user.username)}, content_type="application/json"
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.age_verified_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("make", "status", "message"),
    [
        (lambda name: make_token(OTHER_SECRET, name, int(time.time())), 403, "signature"),
        (lambda name: fresh_token(name, age=TOKEN_LIFETIME + 5), 403, "older than 10 minutes"),
        (lambda name: fresh_token("nobody_here"), 404, "no account"),
        (lambda name: "", 400, "token"),
    ],
    ids=["bad signature", "expired", "unknown user", "no token"],
)
def test_a_bad_callback_changes_nothing(provider, user, make, status, message):
    response = provider.post(CALLBACK, {"token": make(user.username)})
    assert response.status_code == status
    assert message in response.json()["error"]
    user.refresh_from_db()
    assert user.age_verified_at is None
    assert not AuditEntry.objects.exists()
    assert not SpentVerificationToken.objects.exists()


@pytest.mark.django_db
def test_a_replayed_token_is_refused_even_after_the_verification_was_taken_back(provider, user):
    token = fresh_token(user.username)
    assert provider.post(CALLBACK, {"token": token}).status_code == 200
    admin = make_user("archivist", is_staff=True)
    age_services.age_verification_set(actor=admin, user=user, verified=False, reason="mistake")
    replay = provider.post(CALLBACK, {"token": token})
    assert replay.status_code == 403
    assert "already used" in replay.json()["error"]
    user.refresh_from_db()
    assert user.age_verified_at is None
    assert AuditEntry.objects.filter(target_id=user.pk).count() == 2


@pytest.mark.django_db
def test_the_callback_refuses_everything_until_a_secret_is_set(settings, user):
    settings.AGE_VERIFICATION_SECRET = ""
    response = Client().post(CALLBACK, {"token": make_token("", user.username, int(time.time()))})
    assert response.status_code == 403
    assert "not set up" in response.json()["error"]


@pytest.mark.django_db
def test_the_callback_needs_no_csrf_token_and_only_answers_post(provider, user):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(CALLBACK, {"token": fresh_token(user.username)}).status_code == 200
    assert strict.get(CALLBACK).status_code == 405


@pytest.mark.django_db
def test_spent_tokens_are_pruned_once_no_token_could_still_be_good(provider, user):
    old = SpentVerificationToken.objects.create(
        digest="0" * 64, spent_at=timezone.now() - timedelta(seconds=3 * TOKEN_LIFETIME)
    )
    recent = SpentVerificationToken.objects.create(digest="1" * 64, spent_at=timezone.now())
    assert provider.post(CALLBACK, {"token": fresh_token(user.username)}).status_code == 200
    kept = set(SpentVerificationToken.objects.values_list("pk", flat=True))
    assert old.pk not in kept and recent.pk in kept and len(kept) == 2


# -- admins ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_only_admins_mark_accounts_age_verified(user, other_user):
    with pytest.raises(PermissionDenied):
        age_services.age_verification_set(actor=other_user, user=user, verified=True)
    user.refresh_from_db()
    assert user.age_verified_at is None and not AuditEntry.objects.exists()
    admin = make_user("archivist", is_staff=True)
    age_services.age_verification_set(actor=admin, user=user, verified=True, reason="ID seen")
    user.refresh_from_db()
    assert user.age_verified_at is not None
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action, entry.reason, entry.subject) == (
        admin,
        "user.age_verify",
        "ID seen",
        user,
    )
    # Marking again changes nothing and logs nothing.
    age_services.age_verification_set(actor=admin, user=user, verified=True)
    assert AuditEntry.objects.count() == 1


@pytest.mark.django_db
def test_the_admin_user_pages_mark_and_unmark_through_the_service(client, user):
    admin = make_user("boss", is_staff=True, is_superuser=True)
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist, {"action": "mark_age_verified", "_selected_action": [user.pk]}, follow=True
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.age_verified_at is not None
    client.post(changelist, {"action": "unmark_age_verified", "_selected_action": [user.pk]})
    user.refresh_from_db()
    assert user.age_verified_at is None
    actions = list(AuditEntry.objects.order_by("id").values_list("action", "actor_id"))
    assert actions == [("user.age_verify", admin.pk), ("user.age_unverify", admin.pk)]
    # The dates are shown, not edited, on the account's page.
    page = client.get(reverse("admin:accounts_user_change", args=[user.pk]))
    assert b"Age verified at" in page.content and b'name="age_verified_at"' not in page.content


# -- readers ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_reader_confirms_being_an_adult_only_by_ticking_the_box(user_client, user):
    url = reverse("age:confirm")
    page = user_client.get(f"{url}?next=/works/")
    assert b"I confirm I am 18 or over" in page.content
    refused = user_client.post(url, {"next": "/works/"})
    assert refused.status_code == 200
    assert b"Tick the box to confirm that you are 18 or over." in refused.content
    user.refresh_from_db()
    assert user.adult_confirmed_at is None
    done = user_client.post(url, {"adult": "on", "next": "/works/"})
    assert done.status_code == 302 and done["Location"] == "/works/"
    user.refresh_from_db()
    assert user.adult_confirmed_at is not None
    # Somewhere else is not a place to be sent back to.
    again = user_client.post(url, {"adult": "on", "next": "https://elsewhere.example/"})
    assert again["Location"] == reverse("works:list")


@pytest.mark.django_db
def test_confirming_needs_an_account_and_is_only_ones_own(client, user, other_user):
    response = client.get(reverse("age:confirm"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    with pytest.raises(PermissionDenied):
        age_services.adult_confirm(user=other_user, owner=user)
    user.refresh_from_db()
    assert user.adult_confirmed_at is None


@pytest.mark.django_db
def test_the_verification_page_says_what_to_do(client, settings, user):
    settings.AGE_VERIFICATION_URL = "https://verify.example/start?site=lantern"
    url = reverse("age:verify")
    guest = client.get(url)
    assert b"log in</a>" in guest.content and b"verify.example" not in guest.content
    client.force_login(user)
    page = client.get(url).content.decode()
    assert f"https://verify.example/start?site=lantern&amp;username={user.username}" in page
    assert "return_to=http%3A%2F%2Ftestserver%2Fage%2Fverify%2F" in page
    settings.AGE_VERIFICATION_URL = ""
    assert b"contact the archive" in client.get(url).content
    User.objects.filter(pk=user.pk).update(age_verified_at="2026-01-02T03:04:05Z")
    assert b"was age-verified on 2 January 2026" in client.get(url).content
