"""Unit tests of the accounts services and selectors."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from fanarchive.accounts import selectors
from fanarchive.accounts.emails import confirmation_path, email_confirmation_token
from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.accounts.profile_services import (
    profile_update,
    pseud_create,
    pseud_update,
)
from fanarchive.accounts.services import (
    ABOUT_MAX,
    PSEUD_DESCRIPTION_MAX,
    confirmation_resend,
    user_confirm_email,
    user_create,
    user_ensure_defaults,
    user_register,
)
from fanarchive.core.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

SITE = "http://testserver/"
STRONG = "a lantern over the harbour"


def register(**overrides: Any) -> User:
    values: dict[str, Any] = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": STRONG,
        "password2": STRONG,
        "terms": True,
        "site_url": SITE,
    }
    values.update(overrides)
    return user_register(**values)


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# -- registration ---------------------------------------------------------------


def test_register_without_confirmation_makes_an_active_account(
    settings: Any, mailoutbox: list[EmailMessage]
) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = False
    user = register()
    assert user.is_active
    assert user.check_password(STRONG)
    assert user.default_pseud.name == "newcomer"
    assert Preference.objects.filter(user=user).exists()
    assert mailoutbox == []


def test_register_with_confirmation_makes_an_inactive_account_and_mails_a_link(
    settings: Any,
    mailoutbox: list[EmailMessage],
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=True):
        user = register()
    assert not user.is_active
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["newcomer@example.org"]
    assert "http://testserver/users/confirm/" in mail.body
    assert confirmation_path(user) in mail.body


def test_register_mails_nothing_until_the_account_is_committed(
    settings: Any, mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any
) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = True
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        register()
    assert mailoutbox == []
    assert len(callbacks) == 1


@pytest.mark.parametrize(
    ("overrides", "field", "fragment"),
    [
        ({"username": "ab"}, "username", "3 to 40 characters"),
        ({"username": ""}, "username", "3 to 40 characters"),
        ({"username": "x" * 41}, "username", "3 to 40 characters"),
        ({"username": "bad name!"}, "username", "only contain letters"),
        ({"username": "_leading"}, "username", "begin and end"),
        ({"username": "Password"}, "username", "reserved"),
        ({"email": "not-an-address"}, "email", "valid e-mail"),
        ({"email": ""}, "email", "valid e-mail"),
        ({"password2": "something else entirely"}, "password2", "do not match"),
        ({"password1": "", "password2": ""}, "password1", "Enter a password"),
        ({"password1": "short", "password2": "short"}, "password1", "too short"),
        ({"password1": "password123", "password2": "password123"}, "password1", "too common"),
        ({"password1": "48151623424", "password2": "48151623424"}, "password1", "numeric"),
        ({"password1": "newcomer1", "password2": "newcomer1"}, "password1", "similar"),
        ({"terms": False}, "terms", "at least 13"),
    ],
)
def test_register_rejects_bad_input_and_writes_nothing(
    overrides: dict[str, Any], field: str, fragment: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(**overrides)
    messages = errors_of(excinfo)
    assert field in messages, messages
    assert any(fragment in message for message in messages[field]), messages
    assert not User.objects.exists()
    assert not Pseud.objects.exists()


def test_register_rejects_a_taken_username_in_any_case(user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(username="WRITER")
    assert errors_of(excinfo)["username"] == ["That user name is already taken."]
    assert User.objects.count() == 1


def test_register_rejects_a_taken_email_in_any_case(user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(email="Writer@Example.org")
    assert "already exists" in errors_of(excinfo)["email"][0]
    assert User.objects.count() == 1


def test_register_reports_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as excinfo:
        register(username="a", email="nope", password2="different", terms=False)
    assert set(errors_of(excinfo)) == {"username", "email", "password2", "terms"}


def test_register_strips_spaces_around_name_and_address(settings: Any) -> None:
    settings.EMAIL_CONFIRMATION_REQUIRED = False
    user = register(username="  spaced ", email=" spaced@example.org ")
    assert user.username == "spaced"
    assert user.email == "spaced@example.org"


def test_user_create_keeps_working_as_before() -> None:
    admin = user_create(
        username="boss", email="boss@example.org", password=STRONG, is_staff=True, is_superuser=True
    )
    assert admin.is_active and admin.is_staff and admin.is_superuser
    assert admin.default_pseud.name == "boss"
    with pytest.raises(ValidationError) as excinfo:
        user_create(username="Boss", email="other@example.org", password=STRONG)
    assert "username" in errors_of(excinfo)


# -- confirming the address -------------------------------------------------------


def unconfirmed(username: str = "waiting") -> User:
    return make_user(username, is_active=False)


def uid(user: User) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def test_confirm_email_activates_the_account() -> None:
    user = unconfirmed()
    token = email_confirmation_token.make_token(user)
    confirmed = user_confirm_email(uidb64=uid(user), token=token)
    assert confirmed.pk == user.pk
    user.refresh_from_db()
    assert user.is_active


def test_confirm_email_link_works_once() -> None:
    user = unconfirmed()
    token = email_confirmation_token.make_token(user)
    user_confirm_email(uidb64=uid(user), token=token)
    with pytest.raises(ValidationError) as excinfo:
        user_confirm_email(uidb64=uid(user), token=token)
    assert excinfo.value.code == "already_confirmed"


@pytest.mark.parametrize("bad", ["uid", "token"])
def test_confirm_email_refuses_a_bad_link(bad: str) -> None:
    user = unconfirmed()
    token = email_confirmation_token.make_token(user)
    uidb64 = uid(user)
    if bad == "uid":
        uidb64 = "not-base64!!"
    else:
        token = token[:-3] + "abc"
    with pytest.raises(ValidationError) as excinfo:
        user_confirm_email(uidb64=uidb64, token=token)
    assert excinfo.value.code == "invalid"
    user.refresh_from_db()
    assert not user.is_active


def test_a_password_reset_token_does_not_confirm_an_account() -> None:
    from django.contrib.auth.tokens import default_token_generator

    user = unconfirmed()
    with pytest.raises(ValidationError):
        user_confirm_email(uidb64=uid(user), token=default_token_generator.make_token(user))


def test_confirmation_resend_mails_only_unconfirmed_accounts(
    mailoutbox: list[EmailMessage], django_capture_on_commit_callbacks: Any, user: User
) -> None:
    waiting = unconfirmed()
    with django_capture_on_commit_callbacks(execute=True):
        confirmation_resend(email="WAITING@example.org", site_url=SITE)
        confirmation_resend(email=user.email, site_url=SITE)
        confirmation_resend(email="nobody@example.org", site_url=SITE)
    assert [m.to for m in mailoutbox] == [[waiting.email]]
    path = re.search(r"/users/confirm/\S+", str(mailoutbox[0].body))
    assert path is not None


def test_confirmation_resend_needs_an_address() -> None:
    with pytest.raises(ValidationError) as excinfo:
        confirmation_resend(email="  ", site_url=SITE)
    assert "email" in errors_of(excinfo)


# -- profile ------------------------------------------------------------------------


def test_profile_update_saves_the_about_text(user: User) -> None:
    profile_update(user=user, owner=user, about="  I write about lighthouses.  ")
    user.refresh_from_db()
    assert user.about == "I write about lighthouses."


def test_profile_update_refuses_long_text(user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        profile_update(user=user, owner=user, about="x" * (ABOUT_MAX + 1))
    assert "2,000" in errors_of(excinfo)["about"][0]
    user.refresh_from_db()
    assert user.about == ""


def test_profile_update_of_someone_else_is_refused(user: User, other_user: User) -> None:
    with pytest.raises(PermissionDenied):
        profile_update(user=other_user, owner=user, about="hijacked")
    user.refresh_from_db()
    assert user.about == ""


# -- pseuds -------------------------------------------------------------------------


def defaults_of(user: User) -> list[str]:
    return list(user.pseuds.filter(is_default=True).values_list("name", flat=True))


def test_pseud_create(user: User) -> None:
    pseud = pseud_create(user=user, owner=user, name=" Night Owl ", description="Poems.")
    assert pseud.name == "Night Owl"
    assert pseud.description == "Poems."
    assert not pseud.is_default
    assert defaults_of(user) == ["writer"]


def test_pseud_create_as_default_moves_the_default(user: User) -> None:
    pseud_create(user=user, owner=user, name="Night Owl", make_default=True)
    assert defaults_of(user) == ["Night Owl"]


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("", "1 to 40"),
        ("x" * 41, "1 to 40"),
        ("bad/name", "can contain"),
        ("-dash", "begin and end"),
        ("WRITER", "already have"),
        ("night owl", "already have"),
        ("New", "reserved"),
    ],
)
def test_pseud_create_rejects_bad_names(user: User, name: str, fragment: str) -> None:
    pseud_create(user=user, owner=user, name="Night Owl")
    before = Pseud.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        pseud_create(user=user, owner=user, name=name)
    assert any(fragment in message for message in errors_of(excinfo)["name"])
    assert Pseud.objects.count() == before


def test_pseud_names_are_unique_per_user_only(user: User, other_user: User) -> None:
    pseud_create(user=user, owner=user, name="Night Owl")
    pseud_create(user=other_user, owner=other_user, name="night owl")
    assert Pseud.objects.filter(name__iexact="night owl").count() == 2


def test_pseud_create_refuses_long_descriptions(user: User) -> None:
    with pytest.raises(ValidationError) as excinfo:
        pseud_create(
            user=user, owner=user, name="Owl", description="x" * (PSEUD_DESCRIPTION_MAX + 1)
        )
    assert "description" in errors_of(excinfo)
    assert user.pseuds.count() == 1


def test_pseud_create_for_someone_else_is_refused(user: User, other_user: User) -> None:
    with pytest.raises(PermissionDenied):
        pseud_create(user=other_user, owner=user, name="Impostor")
    assert user.pseuds.count() == 1


def test_pseud_update_renames_and_describes(user: User) -> None:
    pseud = pseud_create(user=user, owner=user, name="Night Owl")
    pseud_update(user=user, pseud=pseud, name="Day Owl", description="Now awake.")
    pseud.refresh_from_db()
    assert (pseud.name, pseud.description) == ("Day Owl", "Now awake.")


def test_pseud_update_may_change_the_case_of_its_own_name(user: User) -> None:
    pseud = user.default_pseud
    pseud_update(user=user, pseud=pseud, name="Writer", description="")
    assert user.default_pseud.name == "Writer"


def test_pseud_update_refuses_another_pseuds_name(user: User) -> None:
    pseud = pseud_create(user=user, owner=user, name="Night Owl")
    with pytest.raises(ValidationError) as excinfo:
        pseud_update(user=user, pseud=pseud, name="writer", description="")
    assert errors_of(excinfo)["name"] == ["You already have a pseud with that name."]
    pseud.refresh_from_db()
    assert pseud.name == "Night Owl"


def test_pseud_update_make_default_keeps_exactly_one_default(user: User) -> None:
    owl = pseud_create(user=user, owner=user, name="Night Owl")
    pseud_update(user=user, pseud=owl, name="Night Owl", description="", make_default=True)
    assert defaults_of(user) == ["Night Owl"]
    # Not ticking the box on the default pseud leaves it the default.
    owl.refresh_from_db()
    pseud_update(user=user, pseud=owl, name="Night Owl", description="", make_default=False)
    assert defaults_of(user) == ["Night Owl"]
    writer = user.pseuds.get(name="writer")
    pseud_update(user=user, pseud=writer, name="writer", description="", make_default=True)
    assert defaults_of(user) == ["writer"]


def test_pseud_update_of_someone_elses_pseud_is_refused(user: User, other_user: User) -> None:
    with pytest.raises(PermissionDenied):
        pseud_update(user=other_user, pseud=user.default_pseud, name="Hijacked", description="")
    assert user.default_pseud.name == "writer"


def test_user_ensure_defaults_fills_in_what_is_missing() -> None:
    bare = User.objects.create_user("bare_admin", "bare@example.org", PASSWORD)
    user_ensure_defaults(user=bare)
    user_ensure_defaults(user=bare)
    assert defaults_of(bare) == ["bare_admin"]
    assert Preference.objects.filter(user=bare).count() == 1


# -- selectors ----------------------------------------------------------------------


def test_user_get_is_case_insensitive(user: User) -> None:
    assert selectors.user_get("WRITER") == user


def test_pseud_get_is_case_insensitive(user: User) -> None:
    owl = pseud_create(user=user, owner=user, name="Night Owl")
    assert selectors.pseud_get(user, "night OWL") == owl


def test_user_create_without_a_password_makes_an_account_nobody_can_log_in_to(db: None) -> None:
    created = user_create(username="imported_writer", email="iw@example.org", password=None)
    assert not created.has_usable_password()
    assert created.default_pseud.name == "imported_writer"
    assert Preference.objects.filter(user=created).exists()
