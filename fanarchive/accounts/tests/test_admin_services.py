"""What an administrator changes about an account on Django's admin pages goes through
`admin_services` and is in the audit log: creating it (with its pseud), its flags, its
groups (who is a moderator), its password. Accounts are not deleted there."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import Client

from fanarchive.accounts.admin_services import (
    user_access_set,
    user_admin_create,
    user_admin_update,
)
from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import MODERATORS_GROUP
from fanarchive.accounts.tests.test_two_factor import enabled
from fanarchive.accounts.two_factor_selectors import two_factor_enabled
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_user
from fanarchive.moderation.tests.test_admin import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user() -> User:
    return make_user("keeper_admin", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client: Client, admin_user: User) -> Client:
    client.force_login(admin_user)
    return client


def test_adding_an_account_in_the_admin_gives_it_a_pseud_and_an_audit_entry(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "harbour_new",
            "email": "harbour.new@example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="harbour_new")
    assert user.default_pseud.name == "harbour_new"
    assert Client().login(username="harbour_new", password=PASSWORD)
    entry = AuditEntry.objects.get(action="account.create")
    assert entry.actor_name == "keeper_admin" and entry.subject == user


def test_the_add_form_refuses_what_sign_up_refuses_and_creates_nothing(admin_client):
    make_user("taken_name", email="taken@example.org")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "fresh_name",
            "email": "TAKEN@example.org",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 200
    assert "An account with that e-mail address already exists." in response.content.decode()
    assert not User.objects.filter(username="fresh_name").exists()
    assert not AuditEntry.objects.exists()


def test_changing_flags_and_groups_in_the_admin_is_audited(admin_client):
    person = make_user("lighthouse_keeper")
    Group.objects.get_or_create(name=MODERATORS_GROUP)
    url = f"/admin/accounts/user/{person.pk}/change/"
    data = form_data(admin_client, url)
    data["is_staff"] = "on"
    data["groups"] = [Group.objects.get(name=MODERATORS_GROUP).pk]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person.refresh_from_db()
    assert person.is_staff and person.groups.filter(name=MODERATORS_GROUP).exists()
    update = AuditEntry.objects.get(action="account.update", subject=person)
    assert update.before == {"is_staff": False} and update.after == {"is_staff": True}
    access = AuditEntry.objects.get(action="account.access", subject=person)
    assert access.before["groups"] == [] and access.after["groups"] == [MODERATORS_GROUP]
    # Saving again unchanged writes nothing more.
    admin_client.post(url, form_data(admin_client, url))
    assert AuditEntry.objects.filter(subject=person).count() == 2


def test_a_password_set_in_the_admin_is_audited_and_works(admin_client):
    person = make_user("tidewatcher")
    response = admin_client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"password1": "a-new-long-password-1", "password2": "a-new-long-password-1"},
    )
    assert response.status_code == 302
    assert Client().login(username="tidewatcher", password="a-new-long-password-1")
    entry = AuditEntry.objects.get(action="account.password_set", subject=person)
    assert entry.after == {"usable": True} and "a-new" not in str(entry.after)


def test_accounts_cannot_be_deleted_in_the_admin(admin_client):
    person = make_user("stays_here")
    assert admin_client.get(f"/admin/accounts/user/{person.pk}/delete/").status_code == 403
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [person.pk], "post": "yes"},
    )
    assert User.objects.filter(pk=person.pk).exists()
    assert response.status_code in (200, 302)


def test_the_services_refuse_what_an_admin_may_not_do(admin_user):
    staff = make_user("plain_staff", is_staff=True)
    person = make_user("someone")
    with pytest.raises(PermissionDenied):
        user_admin_update(actor=staff, user=person, values={"is_active": False})
    with pytest.raises(PermissionDenied):
        user_admin_create(actor=make_user(), username="x_new", email="", password=None)
    with pytest.raises(PermissionDenied, match="superuser"):
        user_admin_update(
            actor=_with_change_permission(staff), user=person, values={"is_superuser": True}
        )
    with pytest.raises(PermissionDenied, match="your own"):
        user_admin_update(actor=admin_user, user=admin_user, values={"is_active": False})
    with pytest.raises(ValueError):
        user_admin_update(actor=admin_user, user=person, values={"about": "hi"})
    assert not AuditEntry.objects.exists()
    person.refresh_from_db()
    assert person.is_active and not person.is_superuser


def test_access_set_logs_only_real_changes(admin_user):
    person = make_user("quiet_one")
    user_access_set(actor=admin_user, user=person, groups=[])
    assert not AuditEntry.objects.exists()
    group, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    user_access_set(actor=admin_user, user=person, groups=[group, group])
    assert AuditEntry.objects.get().after == {"groups": [MODERATORS_GROUP]}


def _with_change_permission(user: User) -> User:
    user.user_permissions.add(Permission.objects.get(codename="change_user"))
    return User.objects.get(pk=user.pk)  # permissions are cached per instance


def test_the_admin_action_turns_off_two_factor_through_the_service(admin_client):
    person = make_user("lost_phone")
    enabled(person)
    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_factor", "_selected_action": [person.pk]},
    )
    assert response.status_code == 302
    assert not two_factor_enabled(person)
    entry = AuditEntry.objects.get(action="user.two_factor_reset", subject=person)
    assert entry.actor_name == "keeper_admin"
