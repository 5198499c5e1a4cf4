"""The invitation queue and invitations (FANARCHIVE_INVITATIONS), through the real stack."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from config.env import ConfigError, parse_invitations
from fanarchive.accounts import invitation_services, limits
from fanarchive.accounts.invitation_selectors import queue_status
from fanarchive.accounts.language_services import account_language_set
from fanarchive.accounts.models import Invitation, InviteRequest, User
from fanarchive.core.models import AuditEntry
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db

STRONG = "a lantern over the harbour"
SITE = "http://testserver/"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    cache.clear()  # the rate limits' counts; a Redis cache outlives the transaction


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Mail is sent once the transaction commits: `with committed(): ...` runs it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def required(settings: Any) -> None:
    settings.INVITATIONS = "required"


@pytest.fixture
def admin(db: None) -> User:
    return make_user("keeper", is_staff=True)


@pytest.fixture
def admin_client(client: Client, admin: User) -> Client:
    client.force_login(admin)
    return client


def signup_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": STRONG,
        "password2": STRONG,
        "terms": "on",
    }
    data.update(overrides)
    return data


def join(client: Client, email: str, **extra: str) -> Any:
    return client.post(reverse("accounts:invite_request"), {"email": email, **extra})


def token_in(body: str) -> str:
    match = re.search(r"https?://testserver/signup/\?invitation=([\w-]+)", body)
    assert match, body
    return match.group(1)


# -- the setting ---------------------------------------------------------------------


def test_the_setting_is_off_or_required() -> None:
    assert parse_invitations(None) == "off"
    assert parse_invitations(" Required ") == "required"
    assert parse_invitations("off") == "off"
    with pytest.raises(ConfigError, match="off or required"):
        parse_invitations("sometimes")


# -- the queue -------------------------------------------------------------------------


def test_guests_join_the_queue_and_see_their_place(client: Client, required: None) -> None:
    page = join(client, "first@example.org").content.decode()
    assert "You are in the queue: number 1." in page
    page = join(client, "second@example.org").content.decode()
    assert "number 2" in page
    # Joining again with the same address (any case) keeps the place.
    page = join(client, "FIRST@example.org").content.decode()
    assert "number 1" in page
    assert InviteRequest.objects.count() == 2

    page = client.get(reverse("accounts:invite_status"), {"email": "second@example.org"})
    assert "You are number 2 of 2 in the queue." in page.content.decode()
    page = client.get(reverse("accounts:invite_status"), {"email": "nobody@example.org"})
    text = page.content.decode()
    assert "That address is not in the queue." in text
    assert "first@example.org" not in text and "second@example.org" not in text


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("", "Enter an e-mail address."),
        ("not an address", "Enter a valid e-mail address."),
        ("x" * 300 + "@example.org", "at most 254 characters"),
    ],
)
def test_bad_addresses_are_refused_and_nothing_is_stored(
    client: Client, required: None, email: str, message: str
) -> None:
    response = join(client, email)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not InviteRequest.objects.exists()


def test_the_honeypot_looks_like_success_but_stores_nothing(client: Client, required: None) -> None:
    response = join(client, "bot@example.org", website="http://spam.example")
    assert "You are in the queue" in response.content.decode()
    assert not InviteRequest.objects.exists()


def test_joining_is_rate_limited_per_address(client: Client, required: None) -> None:
    for n in range(limits.INVITE_REQUESTS_PER_CLIENT):
        assert join(client, f"person{n}@example.org").status_code == 200
    response = join(client, "one-more@example.org")
    assert response.status_code == 429
    assert "Too many requests to join the queue" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    assert InviteRequest.objects.count() == limits.INVITE_REQUESTS_PER_CLIENT


def test_status_look_ups_are_rate_limited(client: Client, required: None) -> None:
    url = reverse("accounts:invite_status")
    for n in range(limits.INVITE_STATUS_PER_CLIENT):
        assert client.get(url, {"email": f"p{n}@example.org"}).status_code == 200
    assert client.get(url, {"email": "last@example.org"}).status_code == 429


def test_with_open_sign_up_the_queue_points_to_sign_up(client: Client) -> None:
    page = client.get(reverse("accounts:invite_request")).content.decode()
    assert "needs no invitation" in page
    join(client, "someone@example.org")
    assert not InviteRequest.objects.exists()


# -- admins send invitations to the queue ------------------------------------------------


def test_admins_send_invitations_oldest_first(
    admin_client: Client, admin: User, required: None, committed: Any
) -> None:
    client = Client()  # a guest
    for name in ("ada", "ben", "cy"):
        join(client, f"{name}@example.org")
    page = admin_client.get(reverse("accounts:admin_invitations")).content.decode()
    assert "3 people are waiting" in page

    with committed():
        with_mail = admin_client.post(
            reverse("accounts:admin_invitations"),
            {"action": "send", "send-count": "2"},
            follow=True,
        )
    assert "Sent 2 invitations." in with_mail.content.decode()
    assert [m.to for m in mail.outbox] == [["ada@example.org"], ["ben@example.org"]]
    invited = InviteRequest.objects.exclude(invited_at=None).order_by("created_at")
    assert [r.email for r in invited] == ["ada@example.org", "ben@example.org"]
    assert all(r.invitation is not None and r.invitation.creator is None for r in invited)
    assert queue_status("ada@example.org").position == 0
    assert queue_status("cy@example.org").position == 1
    entry = AuditEntry.objects.get(action="invitations.sent_to_queue")
    assert entry.actor == admin and entry.after == {"asked": 2, "sent": 2}

    # The link in the mail signs up, once.
    token = token_in(str(mail.outbox[0].body))
    signup = client.get(reverse("accounts:register"), {"invitation": token}).content.decode()
    assert f'value="{token}"' in signup
    response = client.post(reverse("accounts:register"), signup_data(invitation=token))
    assert response.status_code == 302
    new = User.objects.get(username="newcomer")
    invitation = Invitation.objects.get(token=token)
    assert invitation.used_by == new and invitation.used_at is not None

    page = client.get(
        reverse("accounts:invite_status"), {"email": "ada@example.org"}
    ).content.decode()
    assert "An invitation has been sent to this address." in page


def test_sending_more_than_wait_sends_to_all_and_none_says_so(
    admin_client: Client, required: None, committed: Any
) -> None:
    join(Client(), "only@example.org")
    with committed():
        admin_client.post(
            reverse("accounts:admin_invitations"), {"action": "send", "send-count": "9"}
        )
    assert len(mail.outbox) == 1
    response = admin_client.post(
        reverse("accounts:admin_invitations"), {"action": "send", "send-count": "9"}, follow=True
    )
    assert "Sent 0 invitations." in response.content.decode()
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("count", ["0", "-3", "501", "many", "9" * 40])
def test_admins_bad_counts_change_nothing(admin_client: Client, required: None, count: str) -> None:
    join(Client(), "waiting@example.org")
    response = admin_client.post(
        reverse("accounts:admin_invitations"), {"action": "send", "send-count": count}
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists() and not mail.outbox
    assert not AuditEntry.objects.filter(action__startswith="invitations.").exists()


def test_only_admins_reach_the_admin_page(user_client: Client) -> None:
    url = reverse("accounts:admin_invitations")
    assert Client().get(url).status_code == 302  # log in first
    assert user_client.get(url).status_code == 403
    assert user_client.post(url, {"action": "give", "give-count": "5"}).status_code == 403
    assert not Invitation.objects.exists()


def test_the_services_refuse_non_admins(user: User) -> None:
    with pytest.raises(PermissionDenied):
        invitation_services.invitations_send_to_queue(actor=user, count=1, site_url=SITE)
    with pytest.raises(PermissionDenied):
        invitation_services.invitations_give(actor=user, count=1)


# -- admins give invitations to users; users share them --------------------------------


def test_admins_give_invitations_to_one_user_or_all(
    admin_client: Client, admin: User, user: User, other_user: User
) -> None:
    url = reverse("accounts:admin_invitations")
    response = admin_client.post(
        url, {"action": "give", "give-count": "2", "give-username": "WRITER"}, follow=True
    )
    assert "Gave 2 invitations to each of 1 account." in response.content.decode()
    assert Invitation.objects.filter(creator=user).count() == 2
    assert not Invitation.objects.filter(creator=other_user).exists()
    entry = AuditEntry.objects.get(action="invitations.given")
    assert entry.subject == user and entry.after["each"] == 2

    admin_client.post(url, {"action": "give", "give-count": "1"})
    assert Invitation.objects.filter(creator=user).count() == 3
    assert Invitation.objects.filter(creator=other_user).count() == 1
    assert Invitation.objects.filter(creator=admin).count() == 1

    response = admin_client.post(
        url, {"action": "give", "give-count": "1", "give-username": "nobody_here"}
    )
    assert "There is no active account named nobody_here." in response.content.decode()
    response = admin_client.post(url, {"action": "give", "give-count": "21"})
    assert "Choose a number from 1 to 20." in response.content.decode()
    assert Invitation.objects.count() == 5


def test_users_see_and_send_their_invitations(
    user_client: Client, user: User, admin: User, required: None, committed: Any
) -> None:
    client = Client()  # the friend
    invitation_services.invitations_give(actor=admin, count=2, username="writer")
    url = reverse("accounts:invitations", args=["writer"])
    page = user_client.get(url).content.decode()
    tokens = list(Invitation.objects.filter(creator=user).values_list("token", flat=True))
    for token in tokens:
        assert f"http://testserver/signup/?invitation={token}" in page

    first = Invitation.objects.get(token=tokens[0])
    with committed():
        response = user_client.post(url, {"invitation": first.pk, "email": "friend@example.org"})
    assert response.status_code == 302
    assert mail.outbox[0].to == ["friend@example.org"]
    assert "writer has invited you" in str(mail.outbox[0].body)
    token = token_in(str(mail.outbox[0].body))
    assert token == first.token

    response = client.post(reverse("accounts:register"), signup_data(invitation=token))
    assert response.status_code == 302
    page = user_client.get(url).content.decode()
    assert "Used" in page and "newcomer" in page

    # A used invitation cannot be sent again; bad addresses send nothing.
    response = user_client.post(
        url, {"invitation": first.pk, "email": "late@example.org"}, follow=True
    )
    assert "already been used" in response.content.decode()
    second = Invitation.objects.get(token=tokens[1])
    response = user_client.post(url, {"invitation": second.pk, "email": "x" * 5000}, follow=True)
    assert "valid e-mail address" in response.content.decode()
    assert len(mail.outbox) == 1
    second.refresh_from_db()
    assert second.sent_to == ""


def test_nobody_sends_or_sees_another_users_invitations(
    client: Client, user: User, other_user: User, admin: User
) -> None:
    invitation_services.invitations_give(actor=admin, count=1, username="writer")
    theirs = Invitation.objects.get(creator=user)
    client.force_login(other_user)
    assert client.get(reverse("accounts:invitations", args=["writer"])).status_code == 403
    response = client.post(
        reverse("accounts:invitations", args=["someone_else"]),
        {"invitation": theirs.pk, "email": "friend@example.org"},
    )
    assert response.status_code == 404
    assert not mail.outbox
    with pytest.raises(PermissionDenied):
        invitation_services.invitation_send(
            user=other_user, invitation=theirs, email="a@example.org", site_url=SITE
        )


# -- signing up ----------------------------------------------------------------------


def test_sign_up_needs_a_valid_unused_invitation_when_required(
    client: Client, admin: User, required: None
) -> None:
    page = client.get(reverse("accounts:register")).content.decode()
    assert "by invitation" in page and reverse("accounts:invite_request") in page

    url = reverse("accounts:register")
    response = client.post(url, signup_data())
    assert "open to new accounts by invitation only" in response.content.decode()
    response = client.post(url, signup_data(invitation="no-such-code"))
    assert "That invitation code is not valid" in response.content.decode()
    response = client.post(url, signup_data(invitation="z" * 10_000))
    assert response.status_code == 200
    assert not User.objects.filter(username="newcomer").exists()

    invitation_services.invitations_give(actor=admin, count=1, username="keeper")
    token = Invitation.objects.get().token
    assert client.post(url, signup_data(invitation=token)).status_code == 302
    assert User.objects.filter(username="newcomer").exists()
    client.logout()
    response = client.post(
        url, signup_data(invitation=token, username="latecomer", email="late@example.org")
    )
    assert "already been used" in response.content.decode()
    assert not User.objects.filter(username="latecomer").exists()


def test_a_failed_sign_up_does_not_spend_the_invitation(
    client: Client, admin: User, required: None
) -> None:
    invitation_services.invitations_give(actor=admin, count=1, username="keeper")
    token = Invitation.objects.get().token
    response = client.post(
        reverse("accounts:register"), signup_data(invitation=token, password2="different")
    )
    assert response.status_code == 200
    assert Invitation.objects.get().used_at is None


def test_a_spent_invitation_rolls_the_account_back(admin: User, settings: Any) -> None:
    settings.INVITATIONS = "required"
    invitation_services.invitations_give(actor=admin, count=1, username="keeper")
    invitation = Invitation.objects.get()
    Invitation.objects.filter(pk=invitation.pk).update(used_at=invitation.created_at)
    with pytest.raises(ValidationError):
        invitation_services.invitation_spend(token=invitation.token, user=admin)


def test_open_sign_up_is_unaffected(client: Client) -> None:
    page = client.get(reverse("accounts:register")).content.decode()
    assert "Invitation code" not in page and "by invitation" not in page
    response = client.post(reverse("accounts:register"), signup_data(invitation="whatever"))
    assert response.status_code == 302
    assert User.objects.filter(username="newcomer").exists()


# -- the invitation's language -------------------------------------------------------------


def spanish(msgid: str) -> str:
    with translation.override("es"):
        return gettext(msgid)


@pytest.fixture
def _english_afterwards() -> Any:
    """A request activates its language for the rest of the thread (as Django does)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_the_queues_invitation_is_in_the_language_its_guest_joined_in(
    admin_client: Client, required: None, committed: Any, _english_afterwards: None
) -> None:
    join(Client(HTTP_ACCEPT_LANGUAGE="es-ES,es;q=0.9"), "lucia@example.org")
    join(Client(HTTP_ACCEPT_LANGUAGE="en"), "ann@example.org")
    # A language the archive does not have is not kept: English, the site's own.
    join(Client(HTTP_ACCEPT_LANGUAGE="tlh"), "worf@example.org")
    languages = dict(InviteRequest.objects.values_list("email", "language"))
    assert languages == {
        "lucia@example.org": "es",
        "ann@example.org": "en",
        "worf@example.org": "en",
    }

    with committed():
        admin_client.post(  # the admin reads English
            reverse("accounts:admin_invitations"),
            {"action": "send", "send-count": "3"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
    by_address = {message.to[0]: message for message in mail.outbox}
    spanish_mail = by_address["lucia@example.org"]
    subject = "Your invitation to %(site)s"
    assert spanish(subject) != subject
    assert spanish_mail.subject == spanish(subject) % {"site": settings.SITE_NAME}
    join_line = "You are invited to join %(site_name)s."
    assert spanish(join_line) != join_line
    assert spanish(join_line) % {"site_name": settings.SITE_NAME} in spanish_mail.body
    assert "You are invited to join" not in spanish_mail.body
    for english_address in ("ann@example.org", "worf@example.org"):
        message = by_address[english_address]
        assert message.subject == subject % {"site": settings.SITE_NAME}
        assert f"You are invited to join {settings.SITE_NAME}." in message.body


def test_a_shared_invitation_is_in_the_senders_language(
    user_client: Client,
    user: User,
    admin: User,
    required: None,
    committed: Any,
    _english_afterwards: None,
) -> None:
    invitation_services.invitations_give(actor=admin, count=2, username=user.username)
    first, second = Invitation.objects.filter(creator=user).order_by("pk")
    url = reverse("accounts:invitations", args=[user.username])
    # No preference: the language the sender reads the site in.
    with committed():
        user_client.post(
            url,
            {"invitation": first.pk, "email": "amiga@example.org"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    shared = "%(from_name)s has invited you to join %(site_name)s."
    assert spanish(shared) != shared
    values = {"from_name": user.username, "site_name": settings.SITE_NAME}
    assert spanish(shared) % values in mail.outbox[-1].body
    # The account's preference wins over the page's language.
    account_language_set(user=user, language="en")
    with committed():
        user_client.post(
            url,
            {"invitation": second.pk, "email": "friend@example.org"},
            HTTP_ACCEPT_LANGUAGE="es",
        )
    assert shared % values in mail.outbox[-1].body
