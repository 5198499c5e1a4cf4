"""The pages of deleting an account: the owner's, with the password again, and an admin's."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

URL = reverse("portability:delete", args=["writer"])


def test_the_page_lists_what_goes(user_client: Client, user: User, other_user: User) -> None:
    make_work(user)
    make_work(user)
    make_work(user, post=False)
    bookmark_create(user=user, pseud=user.default_pseud, work=make_work(other_user))
    page = user_client.get(URL)
    assert page.status_code == 200
    text = page.content.decode()
    assert "2 posted works only you created" in text
    assert "1 draft:" in text
    assert "0 co-created works" in text
    assert "1 bookmark:" in text
    assert 'name="password"' in text
    assert 'value="orphan_keep_pseuds"' in text and 'value="keep"' in text
    assert "only you own" not in text


def test_the_page_names_the_collections_it_hands_over(user_client: Client, user: User) -> None:
    make_collection(user, title="Lantern Week")
    text = user_client.get(URL).content.decode()
    assert "only you own (Lantern Week)" in text
    assert "longest-standing moderator" in text


def test_the_account_menu_links_to_it(user_client: Client) -> None:
    profile = user_client.get(reverse("accounts:profile", args=["writer"]))
    assert URL in profile.content.decode()
    assert "Delete account" in profile.content.decode()


def test_only_the_owner_may_open_it(client: Client, user: User, other_user: User) -> None:
    guest = client.get(URL)
    assert guest.status_code == 302 and "login" in guest["Location"]
    client.force_login(other_user)
    assert client.get(URL).status_code == 403
    assert (
        client.post(
            URL, {"works": "delete", "comments": "delete", "password": PASSWORD}
        ).status_code
        == 403
    )
    assert User.objects.filter(username="writer").exists()
    assert client.get(reverse("portability:delete", args=["nobody_here"])).status_code == 404


def test_a_wrong_password_deletes_nothing(user_client: Client, user: User) -> None:
    work = make_work(user)
    response = user_client.post(URL, {"works": "delete", "comments": "delete", "password": "wrong"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Nothing was deleted" in text
    assert "That is not your password" in text
    assert Work.objects.filter(pk=work.pk).exists()
    assert user_client.get("/").wsgi_request.user.is_authenticated


def test_choices_are_required(user_client: Client, user: User) -> None:
    response = user_client.post(URL, {"password": PASSWORD})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Choose what becomes of your works" in text
    assert "Choose what becomes of your comments" in text
    assert User.objects.filter(username="writer").exists()


def test_hostile_input_deletes_nothing(user_client: Client, user: User) -> None:
    response = user_client.post(
        URL,
        {"works": "<script>x</script>" * 1000, "comments": "\x00" * 10, "password": "p" * 100_000},
    )
    assert response.status_code == 400
    assert User.objects.filter(username="writer").exists()


def test_repeated_wrong_passwords_are_slowed(user_client: Client, user: User) -> None:
    statuses = set()
    for _ in range(30):
        response = user_client.post(
            URL, {"works": "delete", "comments": "delete", "password": "no"}
        )
        statuses.add(response.status_code)
    assert statuses == {400}
    last = response.content.decode()
    assert "That is not your password" not in last  # the throttle's message instead
    right = user_client.post(URL, {"works": "delete", "comments": "delete", "password": PASSWORD})
    assert right.status_code == 400
    assert User.objects.filter(username="writer").exists()


def test_deleting_logs_out_with_a_message(user_client: Client, user: User) -> None:
    response = user_client.post(
        URL, {"works": "orphan", "comments": "keep", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == "/"
    assert "The account writer was deleted" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert not User.objects.filter(username="writer").exists()


# -- an admin's page -----------------------------------------------------------------------


def _admin_url(person: User) -> str:
    return reverse("portability:admin_delete", args=[person.pk])


def test_an_admin_deletes_with_a_reason(client: Client, user: User) -> None:
    make_work(user, title="Quietharbour Lanterns")
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    page = client.get(_admin_url(user))
    assert page.status_code == 200
    assert "1 posted work only theirs" in page.content.decode()
    refused = client.post(_admin_url(user), {"works": "orphan", "comments": "keep", "reason": ""})
    assert refused.status_code == 400
    assert User.objects.filter(username="writer").exists()
    done = client.post(
        _admin_url(user), {"works": "orphan", "comments": "keep", "reason": "Asked by mail."}
    )
    assert done.status_code == 302
    assert done["Location"] == reverse("admin:accounts_user_changelist")
    assert not User.objects.filter(username="writer").exists()
    assert Work.objects.get(title="Quietharbour Lanterns").pseuds.get().byline == "orphan_account"
    entry = AuditEntry.objects.get(action="user.delete")
    assert entry.reason == "Asked by mail." and entry.actor_name == "boss"


def test_the_admin_page_is_for_admins_only(client: Client, user: User, other_user: User) -> None:
    client.force_login(other_user)
    assert client.get(_admin_url(user)).status_code == 403
    post = {"works": "delete", "comments": "delete", "reason": "Because."}
    assert client.post(_admin_url(user), post).status_code == 403
    client.force_login(make_user("plain_staff", is_staff=True))
    assert client.post(_admin_url(user), post).status_code == 403
    assert User.objects.filter(username="writer").exists()


def test_the_admin_user_list_action_leads_to_the_page(client: Client, user: User) -> None:
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    changelist = reverse("admin:accounts_user_changelist")
    response = client.post(
        changelist, {"action": "delete_account", "_selected_action": [str(user.pk)]}
    )
    assert response.status_code == 302
    assert response["Location"] == _admin_url(user)
    several = client.post(
        changelist,
        {"action": "delete_account", "_selected_action": [str(user.pk), str(make_user().pk)]},
        follow=True,
    )
    assert "Delete accounts one at a time." in several.content.decode()
    assert User.objects.filter(username="writer").exists()
