"""Pseud names and descriptions and the profile text are cleaned of control characters by
the account services; the migration cleans stored ones."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.profile_services import pseud_create, pseud_update
from fanarchive.core.testing import run_data_migration

pytestmark = pytest.mark.django_db


def test_pseuds_and_profile_are_stored_clean(user_client: Client, user: User) -> None:
    response = user_client.post(
        reverse("accounts:pseud_new", args=["writer"]),
        {"name": "Night\x01\tOwl", "description": "Poems\x02 at night.\r\nOnly."},
    )
    assert response.status_code == 302
    owl = Pseud.objects.get(user=user, is_default=False)
    assert (owl.name, owl.description) == ("Night Owl", "Poems at night.\nOnly.")
    pseud_update(user=user, pseud=owl, name="Day\x0b\x0cOwl\x7f", description="Awake\x1b.")
    owl.refresh_from_db()
    assert (owl.name, owl.description) == ("Day Owl", "Awake.")
    response = user_client.post(
        reverse("accounts:profile_edit", args=["writer"]), {"about": "Sailor\x03 and\x85writer."}
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.about == "Sailor and\nwriter."


def test_the_migration_cleans_profiles_and_pseuds(user: User) -> None:
    owl = pseud_create(user=user, owner=user, name="Owl")
    lark = pseud_create(user=user, owner=user, name="Lark")
    # Rows written before the services cleaned (the admin, say).
    Pseud.objects.filter(pk=owl.pk).update(name="Wren\x01", description="Small\x02 bird.")
    Pseud.objects.filter(pk=lark.pk).update(name="WREN\x02")
    User.objects.filter(pk=user.pk).update(about="Sailor\x03.")

    run_data_migration(app_label="accounts", name="0005_strip_control_characters")

    owl.refresh_from_db()
    lark.refresh_from_db()
    user.refresh_from_db()
    assert (owl.name, owl.description) == ("Wren", "Small bird.")
    assert lark.name == f"WREN {lark.pk}"  # "Wren" was taken
    assert user.about == "Sailor."
