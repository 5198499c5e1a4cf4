"""A suspended account: login refused saying until when and why, its sessions ended,
its API tokens refused; lifting the suspension or its end lets it back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fanarchive.api.models import TokenScope
from fanarchive.api.services import token_create
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_work
from fanarchive.moderation.suspension_services import user_suspend, user_unsuspend
from fanarchive.moderation.tests.helpers import make_moderator

pytestmark = pytest.mark.django_db


def log_in(client, username):
    return client.post(reverse("accounts:login"), {"username": username, "password": PASSWORD})


def test_login_is_refused_with_until_when_and_why(client, user):
    moderator = make_moderator("mod_s")
    user_suspend(moderator=moderator, user=user, reason="Posting spam links.", days=3)
    response = log_in(client, user.username)
    text = response.content.decode()
    assert response.status_code == 200  # the form again, with the message
    assert "suspended until" in text and "Posting spam links." in text
    assert "_auth_user_id" not in client.session


def test_a_permanent_suspension_says_so(client, user):
    user_suspend(moderator=make_moderator("mod_p"), user=user, reason="Ban.", forever=True)
    assert "suspended permanently" in log_in(client, user.username).content.decode()


def test_a_wrong_password_still_says_only_that(client, user):
    user_suspend(moderator=make_moderator("mod_w"), user=user, reason="Private reason.", days=3)
    text = client.post(
        reverse("accounts:login"), {"username": user.username, "password": "wrong"}
    ).content.decode()
    assert "Private reason." not in text and "correct user name" in text


def test_existing_sessions_end_on_the_next_request(client, user):
    client.force_login(user)
    assert client.get(reverse("social:inbox")).status_code == 200
    user_suspend(moderator=make_moderator("mod_e"), user=user, reason="Spam.", days=1)
    assert client.get(reverse("social:inbox")).status_code == 302  # sent to log in


def test_api_tokens_are_refused_with_a_problem(client, user):
    _, secret = token_create(user=user, owner=user, name="t", scope=TokenScope.READ)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/api/v1/works", headers=headers).status_code == 200
    user_suspend(moderator=make_moderator("mod_a"), user=user, reason="Scraping.", days=2)
    response = client.get("/api/v1/works", headers=headers)
    assert response.status_code == 403
    problem = response.json()
    assert problem["type"].endswith("account-suspended")
    assert "suspended until" in problem["detail"] and "Scraping." in problem["detail"]


def test_an_ended_or_lifted_suspension_lets_them_back(client, user):
    moderator = make_moderator("mod_l")
    user_suspend(moderator=moderator, user=user, reason="Spam.", days=1)
    user.suspended_until = timezone.now() - timedelta(minutes=1)
    user.save(update_fields=["suspended_until"])
    assert log_in(client, user.username).status_code == 302
    client.logout()
    user_suspend(moderator=moderator, user=user, reason="Again.", forever=True)
    work = make_work(user)
    user_unsuspend(moderator=moderator, user=user, reason="Appeal by mail.")
    assert log_in(client, user.username).status_code == 302
    work.refresh_from_db()
    assert not work.hidden_by_admin
    entry = AuditEntry.objects.filter(action="user.unsuspend").get()
    assert entry.before["suspended_permanently"] is True
    assert entry.after["suspended_permanently"] is False
