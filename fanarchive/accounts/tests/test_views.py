"""The accounts pages, end to end through the Django test client."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import PASSWORD, make_user, make_work, work_input
from fanarchive.works.services import ChapterInput, work_create

pytestmark = pytest.mark.django_db

STRONG = "a lantern over the harbour"


def signup_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": STRONG,
        "password2": STRONG,
        "terms": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def logged_in_user(client: Client) -> User | None:
    user = client.get(reverse("works:list")).wsgi_request.user
    return user if isinstance(user, User) else None


def message_texts(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def link_in(mail: EmailMessage) -> str:
    match = re.search(r"https?://testserver(/\S+)", str(mail.body))
    assert match, mail.body
    return match.group(1)


# -- signing up ----------------------------------------------------------------------


def test_signup_page_has_labelled_fields_and_no_csrf_token(client: Client) -> None:
    response = client.get(reverse("accounts:register"))
    assert response.status_code == 200
    html = response.content.decode()
    # A guest's form needs none: the browser's headers vouch for it (core/csrf.py).
    assert "csrfmiddlewaretoken" not in html
    for field in ["username", "email", "password1", "password2", "terms"]:
        assert f'for="id_{field}"' in html
    assert "I am at least 13 years old and agree to the Terms of Service" in html
    # No script of the page's own: only the site's script files (the scripts' translations).
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/jsi18n/?language=en" defer>']
    assert "style=" not in html


def test_signup_without_confirmation_logs_in_at_once(
    client: Client, settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = False
    response = client.post(reverse("accounts:register"), signup_data(), follow=True)
    user = User.objects.get(username="newcomer")
    assert user.is_active
    assert response.redirect_chain[-1][0] == reverse("accounts:profile", args=["newcomer"])
    assert any("you are logged in" in m for m in message_texts(response))
    assert logged_in_user(client) == user
    assert mailoutbox == []


def test_signup_with_confirmation_mails_a_link_that_activates_and_logs_in(
    client: Client,
    settings: Any,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:register"), signup_data(), follow=True)
    user = User.objects.get(username="newcomer")
    assert not user.is_active
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert any(
        "We sent a confirmation link to newcomer@example.org" in m for m in message_texts(response)
    )
    assert logged_in_user(client) is None

    # Until confirmed, logging in says what to do instead of "wrong password".
    response = client.post(reverse("accounts:login"), {"username": "newcomer", "password": STRONG})
    assert (
        "Please confirm your e-mail address first: we sent you a link." in response.content.decode()
    )

    assert len(mailoutbox) == 1
    link = link_in(mailoutbox[0])
    response = client.get(link, follow=True)
    user.refresh_from_db()
    assert user.is_active
    assert logged_in_user(client) == user
    assert any("confirming your e-mail" in m for m in message_texts(response))

    # The link works once.
    client.logout()
    response = client.get(link, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:login")
    assert any("already confirmed" in m for m in message_texts(response))


def test_a_broken_confirmation_link_says_so(client: Client) -> None:
    response = client.get(reverse("accounts:confirm_email", args=["MQ", "bad-token"]))
    assert response.status_code == 400
    assert "Confirmation link not valid" in response.content.decode()


def test_resend_confirmation(
    client: Client, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    user = make_user("waiting", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:confirm_email_resend"), {"email": user.email}, follow=True
        )
    assert any("we sent it a new link" in m for m in message_texts(response))
    assert len(mailoutbox) == 1
    client.get(link_in(mailoutbox[0]))
    user.refresh_from_db()
    assert user.is_active


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "ab"}, "username", "User names must be 3 to 40 characters long."),
        ({"username": "no spaces"}, "username", "User names can only contain letters"),
        ({"username": "WRITER"}, "username", "That user name is already taken."),
        ({"email": "nope"}, "email", "Enter a valid e-mail address."),
        (
            {"email": "WRITER@example.org"},
            "email",
            "An account with that e-mail address already exists.",
        ),
        ({"password2": "not the same at all"}, "password2", "The two passwords do not match."),
        ({"password1": "abc", "password2": "abc"}, "password1", "This password is too short."),
        ({"terms": None}, "terms", "You must be at least 13 years old"),
    ],
)
def test_signup_errors_show_on_their_field_and_create_nothing(
    client: Client, user: User, overrides: dict[str, Any], field: str, message: str
) -> None:
    response = client.post(reverse("accounts:register"), signup_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "no account was created" in response.content.decode()
    assert User.objects.count() == 1  # only the fixture's user
    assert logged_in_user(client) is None


def test_signup_when_logged_in_goes_to_the_profile(user_client: Client) -> None:
    response = user_client.get(reverse("accounts:register"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile", args=["writer"])


# -- logging in and out ---------------------------------------------------------------


@pytest.mark.parametrize(
    "login_name", ["writer", "WRITER", "writer@example.org", "Writer@Example.ORG"]
)
def test_login_by_username_or_email(client: Client, user: User, login_name: str) -> None:
    response = client.post(
        reverse("accounts:login"), {"username": login_name, "password": PASSWORD}
    )
    assert response.status_code == 302
    assert logged_in_user(client) == user


def test_login_returns_to_next(client: Client, user: User) -> None:
    target = reverse("accounts:drafts", args=["writer"])
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    response = client.post(
        reverse("accounts:login"), {"username": "writer", "password": PASSWORD, "next": target}
    )
    assert response["Location"] == target


def test_login_with_a_wrong_password(client: Client, user: User) -> None:
    response = client.post(reverse("accounts:login"), {"username": "writer", "password": "nope"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please enter a correct user name or e-mail address and password." in html
    assert "confirm your e-mail" not in html
    assert logged_in_user(client) is None


def test_login_of_an_unconfirmed_account_asks_for_confirmation(client: Client) -> None:
    make_user("waiting", is_active=False)
    response = client.post(reverse("accounts:login"), {"username": "waiting", "password": PASSWORD})
    assert response.status_code == 200
    assert (
        "Please confirm your e-mail address first: we sent you a link." in response.content.decode()
    )
    assert logged_in_user(client) is None
    # With the wrong password nothing is given away.
    response = client.post(reverse("accounts:login"), {"username": "waiting", "password": "x"})
    assert "confirm your e-mail" not in response.content.decode()


def test_logout_is_post_only(user_client: Client, user: User) -> None:
    assert user_client.get(reverse("accounts:logout")).status_code == 405
    assert logged_in_user(user_client) == user
    response = user_client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert logged_in_user(user_client) is None


# -- passwords --------------------------------------------------------------------------


def test_password_change(user_client: Client, user: User) -> None:
    url = reverse("accounts:password_change")
    assert user_client.get(url).status_code == 200
    response = user_client.post(
        url, {"old_password": "wrong", "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response.status_code == 200
    assert "old_password" in response.context["form"].errors
    response = user_client.post(
        url, {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG}
    )
    assert response["Location"] == reverse("accounts:password_change_done")
    user.refresh_from_db()
    assert user.check_password(STRONG)
    assert user_client.get(reverse("accounts:password_change_done")).status_code == 200


def test_password_change_needs_login(client: Client) -> None:
    response = client.get(reverse("accounts:password_change"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_password_reset_mails_a_link_that_works(
    client: Client, user: User, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "WRITER@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [user.email]
    link = link_in(mailoutbox[0])
    response = client.get(link, follow=True)
    assert response.context["validlink"]
    set_password_url = response.redirect_chain[-1][0]
    response = client.post(set_password_url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert client.get(reverse("accounts:password_reset_complete")).status_code == 200
    user.refresh_from_db()
    assert user.check_password(STRONG)
    # The link works once.
    response = client.get(link, follow=True)
    assert not response.context["validlink"]


def test_password_reset_for_an_unknown_address_sends_nothing_and_says_nothing(
    client: Client, mailoutbox: list[EmailMessage]
) -> None:
    response = client.post(reverse("accounts:password_reset"), {"email": "nobody@example.org"})
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert mailoutbox == []


# -- profile ------------------------------------------------------------------------------


@pytest.fixture
def shelf(user: User) -> dict[str, Any]:
    """The fixture user's works: one public, one restricted, one draft."""
    return {
        "public": make_work(user, title="Harbour Lights"),
        "restricted": make_work(user, title="Members Only Tide", restricted=True),
        "draft": make_work(user, title="Unfinished Voyage", post=False),
    }


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [
        ("guest", {"Harbour Lights"}),
        ("other", {"Harbour Lights", "Members Only Tide"}),
        ("owner", {"Harbour Lights", "Members Only Tide"}),
    ],
)
def test_profile_lists_only_visible_works(
    client: Client,
    user: User,
    other_user: User,
    shelf: dict[str, Any],
    viewer: str,
    expected: set[str],
) -> None:
    if viewer == "other":
        client.force_login(other_user)
    elif viewer == "owner":
        client.force_login(user)
    response = client.get(reverse("accounts:profile", args=["writer"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Works ({len(expected)})" in html
    assert {w.title for w in response.context["page"].object_list} == expected
    for title in ["Harbour Lights", "Members Only Tide", "Unfinished Voyage"]:
        assert (title in html) == (title in expected), title


def test_profile_shows_about_and_pseuds(client: Client, user: User) -> None:
    user.about = "I write <b>about</b> boats.\n\nAnd tides."
    user.save()
    pseud_create(user=user, owner=user, name="Night Owl")
    html = client.get(reverse("accounts:profile", args=["writer"])).content.decode()
    assert "I write &lt;b&gt;about&lt;/b&gt; boats." in html
    assert "<p>And tides.</p>" in html
    assert "Night Owl" in html
    assert reverse("accounts:pseud", args=["writer", "Night Owl"]) in html


def test_profile_owner_sees_account_links_others_do_not(
    client: Client, user: User, other_user: User
) -> None:
    links = [
        reverse("accounts:profile_edit", args=["writer"]),
        reverse("accounts:preferences", args=["writer"]),
        reverse("accounts:drafts", args=["writer"]),
    ]
    client.force_login(other_user)
    html = client.get(reverse("accounts:profile", args=["writer"])).content.decode()
    assert not any(link in html for link in links)
    client.force_login(user)
    html = client.get(reverse("accounts:profile", args=["writer"])).content.decode()
    assert all(link in html for link in links)
    assert reverse("accounts:pseuds", args=["writer"]) in html


def test_profile_is_paginated_and_counts_all_visible_works(
    client: Client, user: User, settings: Any
) -> None:
    settings.WORKS_PER_PAGE = 2
    for n in range(3):
        make_work(user, title=f"Tide {n}")
    make_work(user, title="Secret", restricted=True)
    response = client.get(reverse("accounts:profile", args=["writer"]))
    assert "Works (3)" in response.content.decode()
    assert len(response.context["page"].object_list) == 2
    response = client.get(reverse("accounts:profile", args=["writer"]) + "?page=2")
    assert len(response.context["page"].object_list) == 1


def test_profile_lookup_ignores_case_and_unknown_users_are_404(client: Client, user: User) -> None:
    assert client.get(reverse("accounts:profile", args=["WRITER"])).status_code == 200
    assert client.get(reverse("accounts:profile", args=["nobody"])).status_code == 404


def test_profile_edit(user_client: Client, user: User) -> None:
    url = reverse("accounts:profile_edit", args=["writer"])
    assert user_client.get(url).status_code == 200
    response = user_client.post(url, {"about": "Sailor and writer."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile", args=["writer"])
    user.refresh_from_db()
    assert user.about == "Sailor and writer."
    assert "Sailor and writer." in response.content.decode()


def test_profile_edit_refuses_too_long_text(user_client: Client, user: User) -> None:
    url = reverse("accounts:profile_edit", args=["writer"])
    response = user_client.post(url, {"about": "x" * 2001})
    assert response.status_code == 200
    assert "at most 2,000 characters" in response.context["form"].errors["about"][0]
    user.refresh_from_db()
    assert user.about == ""


def test_profile_edit_is_own_only(client: Client, user: User, other_user: User) -> None:
    url = reverse("accounts:profile_edit", args=["writer"])
    response = client.get(url)
    assert response.status_code == 302  # guests are sent to log in
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"about": "hijacked"}).status_code == 403
    user.refresh_from_db()
    assert user.about == ""
    assert client.get(reverse("accounts:profile_edit", args=["nobody"])).status_code == 404


# -- pseuds ---------------------------------------------------------------------------------


def test_pseud_list_shows_counts_and_owner_links(
    client: Client, user: User, shelf: dict[str, Any]
) -> None:
    url = reverse("accounts:pseuds", args=["writer"])
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "1 work" in html  # restricted and draft are not counted for guests
    assert reverse("accounts:pseud_new", args=["writer"]) not in html
    client.force_login(user)
    html = client.get(url).content.decode()
    assert "2 works" in html
    assert reverse("accounts:pseud_new", args=["writer"]) in html
    assert reverse("accounts:pseud_edit", args=["writer", "writer"]) in html


def test_pseud_new(user_client: Client, user: User) -> None:
    url = reverse("accounts:pseud_new", args=["writer"])
    assert user_client.get(url).status_code == 200
    response = user_client.post(url, {"name": "Night Owl", "description": "Poems."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:pseuds", args=["writer"])
    assert any("Night Owl" in m for m in message_texts(response))
    pseud = user.pseuds.get(name="Night Owl")
    assert not pseud.is_default
    assert user.default_pseud.name == "writer"


def test_pseud_new_as_default(user_client: Client, user: User) -> None:
    url = reverse("accounts:pseud_new", args=["writer"])
    user_client.post(url, {"name": "Night Owl", "make_default": "on"})
    assert user.default_pseud.name == "Night Owl"
    assert user.pseuds.filter(is_default=True).count() == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("WRITER", "You already have a pseud with that name."),
        ("", "Pseud names must be 1 to 40 characters long."),
        ("x" * 41, "Pseud names must be 1 to 40 characters long."),
        ("no/slashes", "Pseud names can contain letters"),
    ],
)
def test_pseud_new_errors(user_client: Client, user: User, name: str, message: str) -> None:
    response = user_client.post(reverse("accounts:pseud_new", args=["writer"]), {"name": name})
    assert response.status_code == 200
    assert message in response.context["form"].errors["name"][0]
    assert user.pseuds.count() == 1


def test_pseud_edit_renames_and_moves_the_default(user_client: Client, user: User) -> None:
    pseud_create(user=user, owner=user, name="Night Owl")
    url = reverse("accounts:pseud_edit", args=["writer", "night owl"])  # any case
    response = user_client.get(url)
    assert response.status_code == 200
    assert 'name="make_default"' in response.content.decode()
    response = user_client.post(
        url, {"name": "Day Owl", "description": "Awake now.", "make_default": "on"}
    )
    assert response["Location"] == reverse("accounts:pseuds", args=["writer"])
    owl = user.pseuds.get(name="Day Owl")
    assert owl.is_default and owl.description == "Awake now."
    assert user.pseuds.filter(is_default=True).count() == 1
    # The default pseud's form has no "make default" box: move the default from another pseud.
    html = user_client.get(
        reverse("accounts:pseud_edit", args=["writer", "Day Owl"])
    ).content.decode()
    assert 'name="make_default"' not in html
    assert "This is your default pseud" in html


def test_pseud_edit_refuses_a_duplicate_name(user_client: Client, user: User) -> None:
    pseud_create(user=user, owner=user, name="Night Owl")
    url = reverse("accounts:pseud_edit", args=["writer", "Night Owl"])
    response = user_client.post(url, {"name": "Writer", "description": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["You already have a pseud with that name."]
    assert user.pseuds.filter(name="Night Owl").exists()


def test_pseud_pages_of_others_are_403(client: Client, user: User, other_user: User) -> None:
    client.force_login(other_user)
    new_url = reverse("accounts:pseud_new", args=["writer"])
    edit_url = reverse("accounts:pseud_edit", args=["writer", "writer"])
    assert client.get(new_url).status_code == 403
    assert client.post(new_url, {"name": "Impostor"}).status_code == 403
    assert client.get(edit_url).status_code == 403
    assert client.post(edit_url, {"name": "Hijacked", "make_default": "on"}).status_code == 403
    assert list(user.pseuds.values_list("name", flat=True)) == ["writer"]
    assert client.get(reverse("accounts:pseud_edit", args=["writer", "ghost"])).status_code == 403
    client.force_login(user)
    assert client.get(reverse("accounts:pseud_edit", args=["writer", "ghost"])).status_code == 404


def test_pseud_page_lists_that_pseuds_visible_works(
    client: Client, user: User, shelf: dict[str, Any]
) -> None:
    owl = pseud_create(user=user, owner=user, name="Night Owl")
    work_create(
        user=user,
        data=work_input(title="Owl Song", pseud_ids=[owl.pk]),
        chapters=[ChapterInput(text="The owl sang to the harbour at night.", text_format="plain")],
        post=True,
    )
    response = client.get(reverse("accounts:pseud", args=["writer", "NIGHT OWL"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Works (1)" in html and "Owl Song" in html and "Harbour Lights" not in html
    response = client.get(reverse("accounts:pseud", args=["writer", "writer"]))
    html = response.content.decode()
    assert "Works (1)" in html and "Harbour Lights" in html
    assert "Members Only Tide" not in html and "Unfinished Voyage" not in html
    client.force_login(user)
    html = client.get(reverse("accounts:pseud", args=["writer", "writer"])).content.decode()
    assert "Works (2)" in html and "Members Only Tide" in html
    assert "Unfinished Voyage" not in html
    assert client.get(reverse("accounts:pseud", args=["writer", "ghost"])).status_code == 404
    assert client.get(reverse("accounts:pseuds", args=["nobody"])).status_code == 404


# -- preferences and drafts ------------------------------------------------------------------


def test_preferences_are_saved(user_client: Client, user: User) -> None:
    url = reverse("accounts:preferences", args=["writer"])
    response = user_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_view_adult"' in html and "csrfmiddlewaretoken" in html
    response = user_client.post(url, {"view_adult": "on", "hide_freeform": "on"}, follow=True)
    assert any("saved" in m for m in message_texts(response))
    preference = Preference.objects.get(user=user)
    assert preference.view_adult and preference.hide_freeform and not preference.hide_warnings
    assert response.context["form"].initial["view_adult"] is True
    user_client.post(url, {})
    preference.refresh_from_db()
    assert not preference.view_adult and not preference.hide_freeform


def test_preferences_are_own_only(client: Client, user: User, other_user: User) -> None:
    url = reverse("accounts:preferences", args=["writer"])
    assert client.get(url).status_code == 302
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.post(url, {"view_adult": "on"}).status_code == 403
    assert not Preference.objects.get(user=user).view_adult


def test_drafts_page_lists_own_drafts(
    user_client: Client, user: User, shelf: dict[str, Any]
) -> None:
    response = user_client.get(reverse("accounts:drafts", args=["writer"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Unfinished Voyage" in html
    assert "Harbour Lights" not in html
    assert "never expire" in html


def test_drafts_page_is_own_only(
    client: Client, user: User, other_user: User, shelf: dict[str, Any]
) -> None:
    url = reverse("accounts:drafts", args=["writer"])
    assert client.get(url).status_code == 302
    client.force_login(other_user)
    response = client.get(url)
    assert response.status_code == 403
    assert "Unfinished Voyage" not in response.content.decode()


def test_reserved_names_do_not_shadow_site_pages(client: Client) -> None:
    # /users/password/change/ must stay the password page, never a user called "password".
    assert reverse("accounts:password_change") == "/users/password/change/"
    response = client.post(
        reverse("accounts:register"), signup_data(username="password", email="p@example.org")
    )
    assert "reserved" in response.context["form"].errors["username"][0]
    assert not User.objects.filter(username="password").exists()
    assert not Pseud.objects.exists()


def test_login_of_a_deactivated_account_says_so(client: Client, user: User) -> None:
    client.force_login(user)  # has logged in before, so it is not waiting for confirmation
    client.logout()
    User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.post(reverse("accounts:login"), {"username": "writer", "password": PASSWORD})
    html = response.content.decode()
    assert "This account has been deactivated." in html
    assert "confirm your e-mail" not in html
    assert logged_in_user(client) is None
