"""The Django admin pages for accounts, pseuds and preferences."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference, User
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db

STRONG = "a lantern over the harbour"


@pytest.fixture
def admin_client(client: Client) -> Client:
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:accounts_user_changelist",
        "admin:accounts_user_add",
        "admin:accounts_pseud_changelist",
        "admin:accounts_preference_changelist",
    ],
)
def test_admin_pages_open(admin_client: Client, url_name: str) -> None:
    assert admin_client.get(reverse(url_name)).status_code == 200


def test_admin_change_pages_open(admin_client: Client, user: User) -> None:
    for url in [
        reverse("admin:accounts_user_change", args=[user.pk]),
        reverse("admin:accounts_pseud_change", args=[user.default_pseud.pk]),
        reverse("admin:accounts_preference_change", args=[user.preference.pk]),
    ]:
        assert admin_client.get(url).status_code == 200, url


def test_a_user_added_in_the_admin_gets_a_default_pseud_and_preferences(
    admin_client: Client,
) -> None:
    response = admin_client.post(
        reverse("admin:accounts_user_add"),
        {
            "username": "added",
            "email": "added@example.org",
            "usable_password": "true",
            "password1": STRONG,
            "password2": STRONG,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    added = User.objects.get(username="added")
    assert added.email == "added@example.org"
    assert added.default_pseud.name == "added"
    assert Preference.objects.filter(user=added).exists()
