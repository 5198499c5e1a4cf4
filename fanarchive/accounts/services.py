"""Writes to accounts, pseuds and preferences."""

from __future__ import annotations

import logging
import re
from functools import partial

from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts import limits
from fanarchive.accounts.emails import email_confirmation_token, send_confirmation_email
from fanarchive.accounts.hashers import EfictionMD5WrappedHasher
from fanarchive.accounts.invitation_services import invitation_errors, invitation_spend
from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.core.ratelimit import RateLimited, rate_limit_spend, try_again_in

logger = logging.getLogger(__name__)

USERNAME_MIN = 3
USERNAME_MAX = 40
PSEUD_MAX = 40
PSEUD_DESCRIPTION_MAX = 500
ABOUT_MAX = 2000
# AO3: letters, digits and underscores, beginning and ending with a letter or digit.
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")
# Pseuds may also hold spaces and hyphens.
PSEUD_PATTERN = re.compile(r"^[\w](?:[\w \-]*[\w])?$")
# Names that would clash with the site's own addresses: /users/confirm/..., /users/password/...
# and /users/<name>/pseuds/new/ (every account has a pseud named like it).
RESERVED_USERNAMES = frozenset({"confirm", "password", "new", "orphan_account"})
RESERVED_PSEUD_NAMES = frozenset({"new"})

TERMS_MESSAGE = gettext_lazy(
    "You must be at least 13 years old and agree to the Terms of Service to create an account."
)

Errors = dict[str, list[str]]


def add_error(errors: Errors, key: str, message: str) -> None:
    errors.setdefault(key, []).append(message)


def username_errors(username: str) -> list[str]:
    errors = []
    if not USERNAME_MIN <= len(username) <= USERNAME_MAX:
        errors.append(
            _("User names must be %(min)s to %(max)s characters long.")
            % {"min": USERNAME_MIN, "max": USERNAME_MAX}
        )
    if username and not USERNAME_PATTERN.match(username):
        errors.append(
            _(
                "User names can only contain letters, numbers and underscores, "
                "and must begin and end with a letter or number."
            )
        )
    if username.lower() in RESERVED_USERNAMES:
        errors.append(_("That user name is reserved by the archive. Please choose another."))
    elif username and User.objects.filter(username__iexact=username).exists():
        errors.append(_("That user name is already taken."))
    return errors


def pseud_name_errors(name: str, *, user: User | None, exclude_id: int | None = None) -> list[str]:
    errors = []
    if not 1 <= len(name) <= PSEUD_MAX:
        errors.append(_("Pseud names must be 1 to %(max)s characters long.") % {"max": PSEUD_MAX})
    elif not PSEUD_PATTERN.match(name):
        errors.append(
            _(
                "Pseud names can contain letters, numbers, spaces, underscores and hyphens, "
                "and must begin and end with a letter or number."
            )
        )
    elif name.lower() in RESERVED_PSEUD_NAMES:
        errors.append(_("That pseud name is reserved by the archive. Please choose another."))
    if user is not None and name:
        taken = Pseud.objects.filter(user=user, name__iexact=name)
        if exclude_id is not None:
            taken = taken.exclude(pk=exclude_id)
        if taken.exists():
            errors.append(_("You already have a pseud with that name."))
    return errors


def _account_errors(
    *, username: str, email: str, password: str | None, check_password_strength: bool
) -> Errors:
    """What is wrong with a new account's user name, e-mail address and password."""
    errors: Errors = {}
    if found := username_errors(username):
        errors["username"] = found
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = [_("Enter a valid e-mail address.")]
    else:
        if User.objects.filter(email__iexact=email).exists():
            errors["email"] = [_("An account with that e-mail address already exists.")]
    if check_password_strength and password is not None:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            errors["password1"] = list(error.messages)
    return errors


def user_create(
    *,
    username: str,
    email: str,
    password: str | None,
    is_active: bool = True,
    is_staff: bool = False,
    is_superuser: bool = False,
    check_password_strength: bool = True,
) -> User:
    """Create an account with its default pseud (named like the account) and its preferences.

    `password=None` makes an account nobody can log in to until its owner resets
    the password by e-mail: accounts made for someone else (demo writers, imports).
    """
    username = username.strip()
    email = email.strip()
    errors = _account_errors(
        username=username,
        email=email,
        password=password,
        check_password_strength=check_password_strength,
    )
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            user = User(
                username=username,
                email=email,
                is_active=is_active,
                is_staff=is_staff,
                is_superuser=is_superuser,
            )
            if password is None:
                user.set_unusable_password()
            else:
                user.set_password(password)
            user.save()
            Pseud.objects.create(user=user, name=username, is_default=True)
            Preference.objects.create(user=user)
    except IntegrityError:
        # Someone took the name between our check and the insert.
        raise ValidationError({"username": [_("That user name is already taken.")]}) from None
    return user


def user_legacy_password_set(*, user: User, wrapped_hash: str) -> User:
    """Keep an old archive's password hash, wrapped so it is upgraded at the first login.

    `wrapped_hash` comes from `hashers.wrap_md5_hex` (PBKDF2 over eFiction's unsalted
    MD5 digest): the owner logs in with their old password and Django re-hashes it
    with its default hasher then; the digest itself is not a password.
    """
    try:
        algorithm = identify_hasher(wrapped_hash).algorithm
    except ValueError:
        algorithm = ""
    if algorithm != EfictionMD5WrappedHasher.algorithm:
        raise ValidationError({"password": ["This is not a wrapped eFiction password hash."]})
    with transaction.atomic():
        user.password = wrapped_hash
        user.save(update_fields=["password"])
    return user


def user_ensure_defaults(*, user: User) -> None:
    """Give an account made some other way (the admin, Django's createsuperuser) what
    `user_create` gives every account: a default pseud and preferences."""
    with transaction.atomic():
        if not user.pseuds.filter(is_default=True).exists():
            existing = user.pseuds.filter(name__iexact=user.username).first()
            if existing is not None:
                existing.is_default = True
                existing.save(update_fields=["is_default"])
            else:
                Pseud.objects.create(user=user, name=user.username, is_default=True)
        Preference.objects.get_or_create(user=user)


# -- registration and e-mail confirmation -------------------------------------


def user_register(
    *,
    username: str,
    email: str,
    password1: str,
    password2: str,
    terms: bool,
    site_url: str,
    invitation: str = "",
) -> User:
    """Sign someone up.

    With settings.INVITATIONS = "required", `invitation` must be the token of an unused
    invitation, which the new account spends (`invitation_services`).

    With settings.EMAIL_CONFIRMATION_REQUIRED the account starts inactive and a
    confirmation link is mailed (once the account is committed) to `email`;
    `site_url` ("https://archive.example") is where that link points. Otherwise
    the account is active at once. The caller tells which by `user.is_active`.
    """
    username = username.strip()
    email = email.strip()
    errors = _account_errors(
        username=username, email=email, password=password1, check_password_strength=True
    )
    if not password1:
        errors["password1"] = [_("Enter a password.")]
    elif password1 != password2:
        add_error(errors, "password2", _("The two passwords do not match. Please type them again."))
    if not terms:
        add_error(errors, "terms", str(TERMS_MESSAGE))
    for message in invitation_errors(invitation):
        add_error(errors, "invitation", message)
    if errors:
        raise ValidationError(errors)

    confirm = bool(settings.EMAIL_CONFIRMATION_REQUIRED)
    with transaction.atomic():
        user = user_create(
            username=username, email=email, password=password1, is_active=not confirm
        )
        invitation_spend(token=invitation, user=user)
        if confirm:
            transaction.on_commit(
                partial(send_confirmation_email, user=user, site_url=site_url), robust=True
            )
    return user


INVALID_LINK_MESSAGE = gettext_lazy(
    "This confirmation link is not valid: it may have expired or been copied incompletely. "
    "You can ask for a new one below."
)
ALREADY_CONFIRMED_MESSAGE = gettext_lazy("Your account is already confirmed. Please log in.")


def _user_from_uidb64(uidb64: str) -> User | None:
    try:
        pk = int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError):
        return None
    return User.objects.filter(pk=pk).first()


def user_confirm_email(*, uidb64: str, token: str) -> User:
    """Activate the account a confirmation link was sent for, and return it.

    Raises ValidationError (code "invalid" or "already_confirmed") when the link
    cannot be used; a link works once, and not after PASSWORD_RESET_TIMEOUT.
    """
    user = _user_from_uidb64(uidb64)
    if user is None:
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    if not email_confirmation_token.check_token(user, token):
        if user.is_active:
            raise ValidationError(ALREADY_CONFIRMED_MESSAGE, code="already_confirmed")
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def confirmation_resend(*, email: str, site_url: str) -> None:
    """Mail a new confirmation link to an unconfirmed account with this address, if any.

    Says nothing either way, so the form cannot be used to find out who has an account.
    An account an administrator deactivated (it has logged in before) gets nothing.
    """
    email = email.strip()
    if not email:
        raise ValidationError({"email": [_("Enter the e-mail address you signed up with.")]})
    for user in User.objects.filter(email__iexact=email, is_active=False, last_login=None):
        transaction.on_commit(
            partial(send_confirmation_email, user=user, site_url=site_url), robust=True
        )


# -- password reset (the mail itself is Django's view) --------------------------


def password_reset_client_check(*, client_address: str, now: float | None = None) -> None:
    """Count one password-reset request from `client_address` (the client's IP address).

    Raises RateLimited past `limits.PASSWORD_RESET_REQUESTS_PER_CLIENT` requests in the
    window, whatever addresses they name: one client cannot mail many inboxes.
    """
    retry = rate_limit_spend(
        scope="password-reset-client",
        key=client_address,
        limit=limits.PASSWORD_RESET_REQUESTS_PER_CLIENT,
        window=limits.PASSWORD_RESET_WINDOW_SECONDS,
        now=now,
    )
    if retry is not None:
        raise RateLimited(
            _(
                "Too many password-reset requests came from your network: at most "
                "%(limit)s every %(window)s minutes."
            )
            % {
                "limit": limits.PASSWORD_RESET_REQUESTS_PER_CLIENT,
                "window": limits.PASSWORD_RESET_WINDOW_SECONDS // 60,
            }
            + " "
            + try_again_in(retry),
            retry_after=retry,
        )


def password_reset_may_mail(*, email: str, now: float | None = None) -> bool:
    """Count one reset mail to `email`; False past `limits.PASSWORD_RESET_MAILS_PER_ADDRESS`
    in the window. Every address counts, with or without an account, and the caller
    answers the same either way, so the limit tells nobody who has an account."""
    retry = rate_limit_spend(
        scope="password-reset-address",
        key=email.strip().lower(),
        limit=limits.PASSWORD_RESET_MAILS_PER_ADDRESS,
        window=limits.PASSWORD_RESET_WINDOW_SECONDS,
        now=now,
    )
    if retry is not None:
        logger.info("Password-reset mail not sent: the address's limit is reached")
    return retry is None
