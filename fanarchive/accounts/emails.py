"""Mail the accounts app sends itself (password-reset mail is Django's own view)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from fanarchive.accounts.language_selectors import (
    in_language,
    in_language_of,
    in_language_of_username,
)

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

logger = logging.getLogger(__name__)


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's password-reset tokens with their own salt, so a reset link cannot be used
    to confirm an address or the other way round, and tied to `is_active`, so a
    confirmation link works once."""

    key_salt = "fanarchive.accounts.emails.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user: User, timestamp: int) -> str:
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


email_confirmation_token = EmailConfirmationTokenGenerator()


def confirmation_path(user: User) -> str:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    token = email_confirmation_token.make_token(user)
    return reverse("accounts:confirm_email", args=[uidb64, token])


def send_confirmation_email(*, user: User, site_url: str) -> None:
    """Mail `user` the link that activates their account."""
    context = {
        "user": user,
        "site_name": settings.SITE_NAME,
        "confirm_url": site_url.rstrip("/") + confirmation_path(user),
        "valid_days": max(1, settings.PASSWORD_RESET_TIMEOUT // 86_400),
    }
    with in_language_of(user):
        subject = render_to_string("registration/confirm_email_subject.txt", context)
        body = render_to_string("registration/confirm_email_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    logger.info("Sent an e-mail confirmation link to user %s", user.pk)


def _send(*, template: str, subject: str, context: dict[str, object], to: str) -> None:
    body = render_to_string(template, {"site_name": settings.SITE_NAME, **context})
    send_mail(subject, body, None, [to])


def send_invitation_email(
    *, email: str, token: str, site_url: str, from_name: str, language: str = ""
) -> None:
    """Mail an invitation's sign-up link to `email` (`from_name`: who shares it, or ""),
    written in `language` (a code of settings.LANGUAGES; else the site's default): the
    address has no account whose language could be asked."""
    link = site_url.rstrip("/") + reverse("accounts:register") + f"?invitation={token}"
    with in_language(language):
        _send(
            template="accounts/email/invitation.txt",
            subject=_("Your invitation to %(site)s") % {"site": settings.SITE_NAME},
            context={"signup_url": link, "from_name": from_name},
            to=email,
        )
    logger.info("Sent an invitation")


def send_email_change_emails(
    *, username: str, old_email: str, new_email: str, token: str, site_url: str, valid_days: int
) -> None:
    """The confirmation link to the new address, and a notice to the old one."""
    link = site_url.rstrip("/") + reverse("accounts:email_change_confirm", args=[token])
    # The account's language (the old address's notice too).
    with in_language_of_username(username):
        _send(
            template="accounts/email/email_change_new.txt",
            subject=_("Confirm your new e-mail address at %(site)s") % {"site": settings.SITE_NAME},
            context={"username": username, "confirm_url": link, "valid_days": valid_days},
            to=new_email,
        )
        if old_email:
            _send(
                template="accounts/email/email_change_old.txt",
                subject=_("A change of e-mail address was asked for at %(site)s")
                % {"site": settings.SITE_NAME},
                context={"username": username, "new_email": new_email, "valid_days": valid_days},
                to=old_email,
            )
    logger.info("Sent an e-mail change link for user %s", username)
