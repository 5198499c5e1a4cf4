"""Changing one's user name and e-mail address, through the real stack."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail, signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts import change_services, events, limits
from fanarchive.accounts.admin_services import user_admin_update
from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.search import parse
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.works.account_events import WorksAccountListener

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # the rate limits' and log-in throttle's counts outlive the transaction


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Mail is sent once the transaction commits: `with committed(): ...` runs it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def search(text: str) -> list[str]:
    listing = works_find(viewer=viewer_for(AnonymousUser()), spec=Filter(), text=parse(text))
    return [work.title for work in listing.works]


def rename(client: Client, username: str, new: str, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("accounts:username_change", args=[username]),
        {"username": new, "password": password},
    )


def ask_email(
    client: Client, email: str, password: str = PASSWORD, username: str = "writer"
) -> Any:
    return client.post(
        reverse("accounts:email_change", args=[username]), {"email": email, "password": password}
    )


def link_in(body: str) -> str:
    match = re.search(r"https?://testserver(/email-change/\S+/)", body)
    assert match, body
    return match.group(1)


def test_works_listens_to_renames() -> None:
    assert isinstance(events.listener(), WorksAccountListener)


# -- user name -----------------------------------------------------------------------


def test_a_new_user_name_renames_the_default_pseud_and_every_byline(
    client: Client, user_client: Client, user: User
) -> None:
    work = make_work(user, title="Harbour Lights")
    second = pseud_create(user=user, owner=user, name="Tidewatcher")
    other = make_work(user, title="Tide Tables", pseud_ids=[second.pk])
    assert sorted(search("creator:writer")) == ["Harbour Lights", "Tide Tables"]

    response = rename(user_client, "writer", "lantern_keeper")
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.username == "lantern_keeper" and user.username_changed_at is not None
    assert user.default_pseud.name == "lantern_keeper"
    assert Pseud.objects.get(pk=second.pk).byline == "Tidewatcher (lantern_keeper)"

    page = Client().get(work.get_absolute_url()).content.decode()
    assert "lantern_keeper" in page and ">writer<" not in page
    listing = Client().get(reverse("works:list")).content.decode()
    assert "lantern_keeper" in listing and ">writer<" not in listing
    # The other pseud's work: its byline names the account, and search finds the new name.
    page = Client().get(other.get_absolute_url()).content.decode()
    assert "Tidewatcher (lantern_keeper)" in page
    assert sorted(search("creator:lantern_keeper")) == ["Harbour Lights", "Tide Tables"]
    assert search("creator:writer") == []
    assert Client().get(reverse("accounts:profile", args=["lantern_keeper"])).status_code == 200
    assert Client().get(reverse("accounts:profile", args=["writer"])).status_code == 404

    fresh = Client()
    assert fresh.login(username="lantern_keeper", password=PASSWORD)
    assert not Client().login(username="writer", password=PASSWORD)


def test_a_default_pseud_with_another_name_keeps_it(user: User) -> None:
    own = pseud_create(user=user, owner=user, name="Mira Vale", make_default=True)
    work = make_work(user, title="Under Mira")
    change_services.username_change(
        user=user, new_username="harbourmaster", password=PASSWORD, address="192.0.2.1"
    )
    assert Pseud.objects.get(pk=own.pk).name == "Mira Vale"
    assert Pseud.objects.get(user=user, name="writer").byline == "writer (harbourmaster)"
    assert search("creator:harbourmaster") == [work.title]


def test_renaming_a_pseud_updates_search(user_client: Client, user: User) -> None:
    pseud = pseud_create(user=user, owner=user, name="Saltwind", make_default=True)
    make_work(user, title="Under Saltwind")
    response = user_client.post(
        reverse("accounts:pseud_edit", args=["writer", "Saltwind"]),
        {"name": "Seaglass", "description": ""},
    )
    assert response.status_code == 302
    assert Pseud.objects.get(pk=pseud.pk).name == "Seaglass"
    assert search("creator:seaglass") == ["Under Saltwind"]
    assert search("creator:saltwind") == []


@pytest.mark.parametrize(
    ("new", "password", "message"),
    [
        ("harbourmaster", "not my password", "That is not your password."),
        ("someone_else", PASSWORD, "That user name is already taken."),
        ("SOMEONE_ELSE", PASSWORD, "That user name is already taken."),
        ("orphan_account", PASSWORD, "reserved by the archive"),
        ("confirm", PASSWORD, "reserved by the archive"),
        ("writer", PASSWORD, "That is already your user name."),
        ("no spaces!", PASSWORD, "can only contain letters"),
        ("x", PASSWORD, "3 to 40 characters"),
        ("a" * 5000, PASSWORD, "at most 40 characters"),
        ("<script>alert(1)</script>", PASSWORD, "can only contain letters"),
    ],
)
def test_bad_new_names_change_nothing(
    user_client: Client, user: User, other_user: User, new: str, password: str, message: str
) -> None:
    response = rename(user_client, "writer", new, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "<script>alert" not in response.content.decode()
    user.refresh_from_db()
    assert user.username == "writer" and user.username_changed_at is None
    assert user.default_pseud.name == "writer"


def test_a_case_change_is_allowed(user_client: Client, user: User) -> None:
    assert rename(user_client, "writer", "Writer").status_code == 302
    user.refresh_from_db()
    assert user.username == "Writer" and user.default_pseud.name == "Writer"


def test_a_user_name_changes_once_a_week(user: User) -> None:
    change_services.username_change(
        user=user, new_username="first_change", password=PASSWORD, address="192.0.2.1"
    )
    with pytest.raises(ValidationError, match="once every 7 days"):
        change_services.username_change(
            user=user, new_username="second_change", password=PASSWORD, address="192.0.2.1"
        )
    User.objects.filter(pk=user.pk).update(
        username_changed_at=timezone.now() - timedelta(days=limits.USERNAME_CHANGE_DAYS, seconds=1)
    )
    user.refresh_from_db()
    change_services.username_change(
        user=user, new_username="second_change", password=PASSWORD, address="192.0.2.1"
    )
    assert User.objects.get(pk=user.pk).username == "second_change"


def test_only_the_owner_reaches_the_pages(client: Client, user: User, other_user: User) -> None:
    for name in ("accounts:username_change", "accounts:email_change"):
        assert client.get(reverse(name, args=["writer"])).status_code == 302  # log in
    client.force_login(other_user)
    for name in ("accounts:username_change", "accounts:email_change"):
        assert client.get(reverse(name, args=["writer"])).status_code == 403
    assert rename(client, "writer", "stolen_name").status_code == 403
    assert User.objects.get(pk=user.pk).username == "writer"


def test_wrong_passwords_are_throttled_like_log_ins(user_client: Client, user: User) -> None:
    for _ in range(limits.LOGIN_FAILURES_PER_ACCOUNT_AND_ADDRESS):
        rename(user_client, "writer", "new_name", "wrong")
    response = rename(user_client, "writer", "new_name")  # the right one, too late
    assert response.status_code == 200
    assert "Too many failed log-in attempts for this account." in response.content.decode()
    assert User.objects.get(pk=user.pk).username == "writer"


# -- e-mail address ------------------------------------------------------------------


def test_a_new_address_is_confirmed_by_a_link_sent_to_it(
    user_client: Client, user: User, committed: Any
) -> None:
    with committed():
        response = ask_email(user_client, "new.home@example.org")
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).email == "writer@example.org"  # not yet
    to_new = [m for m in mail.outbox if m.to == ["new.home@example.org"]]
    to_old = [m for m in mail.outbox if m.to == ["writer@example.org"]]
    assert len(to_new) == 1 and len(to_old) == 1
    assert "new.home@example.org" in str(to_old[0].body)
    assert "/email-change/" not in str(to_old[0].body)  # the link goes to the new address only
    link = link_in(str(to_new[0].body))

    page = Client().get(link)  # a mail scanner opening the link changes nothing
    assert page.status_code == 200 and "Confirm the new address" in page.content.decode()
    assert User.objects.get(pk=user.pk).email == "writer@example.org"

    response = Client().post(link, follow=True)
    assert "Your e-mail address is now new.home@example.org." in response.content.decode()
    assert User.objects.get(pk=user.pk).email == "new.home@example.org"
    assert Client().login(username="new.home@example.org", password=PASSWORD)

    again = Client().post(link)
    assert again.status_code == 400
    assert "already been changed" in again.content.decode()


def test_a_newer_request_replaces_the_older_link(user: User) -> None:
    tokens = []
    for email in ("one@example.org", "two@example.org"):
        change_services.email_change_request(
            user=user, new_email=email, password=PASSWORD, address="192.0.2.1", site_url="x"
        )
        tokens.append(
            signing.dumps(
                {"u": user.pk, "old": user.email, "new": email},
                salt=change_services.EMAIL_SALT,
                compress=True,
            )
        )
    change_services.email_change_confirm(token=tokens[1])
    with pytest.raises(ValidationError, match="not valid"):
        change_services.email_change_confirm(token=tokens[0])
    assert User.objects.get(pk=user.pk).email == "two@example.org"


def test_expired_and_forged_links_are_refused(
    client: Client, user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    payload = {"u": user.pk, "old": user.email, "new": "late@example.org"}
    long_ago = time.time() - limits.EMAIL_CHANGE_VALID_SECONDS - 60
    with monkeypatch.context() as patch:
        patch.setattr("time.time", lambda: long_ago)
        expired = signing.dumps(payload, salt=change_services.EMAIL_SALT, compress=True)
    response = client.post(reverse("accounts:email_change_confirm", args=[expired]))
    assert response.status_code == 400 and "expired" in response.content.decode()

    good = signing.dumps(payload, salt=change_services.EMAIL_SALT, compress=True)
    other_salt = signing.dumps(payload, salt="something else", compress=True)
    forged = {
        **payload,
        "u": make_user("victim").pk,
    }
    unsigned = signing.dumps(forged, salt=change_services.EMAIL_SALT, compress=True)[:-3] + "abc"
    for token in (good[:-1] + ("A" if good[-1] != "A" else "B"), other_salt, unsigned, "x" * 5000):
        response = client.post(reverse("accounts:email_change_confirm", args=[token]))
        assert response.status_code == 400, token
        assert "not valid" in response.content.decode()
    assert User.objects.get(pk=user.pk).email == "writer@example.org"
    assert User.objects.get(username="victim").email == "victim@example.org"


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        (
            "someone_else@example.org",
            PASSWORD,
            "An account with that e-mail address already exists.",
        ),
        (
            "SOMEONE_ELSE@example.org",
            PASSWORD,
            "An account with that e-mail address already exists.",
        ),
        ("writer@example.org", PASSWORD, "That is already your e-mail address."),
        ("not an address", PASSWORD, "Enter a valid e-mail address."),
        ("", PASSWORD, "Enter your new e-mail address."),
        ("a" * 5000 + "@example.org", PASSWORD, "at most 254 characters"),
        ("fine@example.org", "wrong password", "That is not your password."),
    ],
)
def test_bad_addresses_change_and_send_nothing(
    user_client: Client,
    user: User,
    other_user: User,
    committed: Any,
    email: str,
    password: str,
    message: str,
) -> None:
    with committed():
        response = ask_email(user_client, email, password)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not mail.outbox
    assert User.objects.get(pk=user.pk).email == "writer@example.org"


def test_an_address_taken_meanwhile_is_refused_at_the_link(user: User) -> None:
    change_services.email_change_request(
        user=user, new_email="wanted@example.org", password=PASSWORD, address="1", site_url="x"
    )
    token = signing.dumps(
        {"u": user.pk, "old": user.email, "new": "wanted@example.org"},
        salt=change_services.EMAIL_SALT,
        compress=True,
    )
    make_user("quick", email="wanted@example.org")
    with pytest.raises(ValidationError, match="already exists"):
        change_services.email_change_confirm(token=token)
    assert User.objects.get(pk=user.pk).email == "writer@example.org"


def test_change_mails_are_limited(user: User, committed: Any) -> None:
    with committed():
        for n in range(limits.EMAIL_CHANGE_MAILS_PER_USER):
            change_services.email_change_request(
                user=user,
                new_email=f"n{n}@example.org",
                password=PASSWORD,
                address="192.0.2.1",
                site_url="http://testserver/",
            )
    assert len(mail.outbox) == 2 * limits.EMAIL_CHANGE_MAILS_PER_USER
    with pytest.raises(ValidationError, match="Please wait"):
        change_services.email_change_request(
            user=user,
            new_email="more@example.org",
            password=PASSWORD,
            address="192.0.2.1",
            site_url="http://testserver/",
        )


def test_the_owner_sees_the_links_on_the_profile(user_client: Client) -> None:
    page = user_client.get(reverse("accounts:profile", args=["writer"])).content.decode()
    for name in ("accounts:username_change", "accounts:email_change", "accounts:invitations"):
        assert reverse(name, args=["writer"]) in page


def test_an_admins_rename_reaches_search_too(user: User) -> None:
    boss = make_user("boss", is_staff=True, is_superuser=True)
    pseud = pseud_create(user=user, owner=user, name="Quayside", make_default=True)
    make_work(user, title="By The Quay", pseud_ids=[pseud.pk])
    user_admin_update(actor=boss, user=user, values={"username": "renamed_by_admin"})
    assert search("creator:renamed_by_admin") == ["By The Quay"]
