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
    subject = render_to_string("registration/confirm_email_subject.txt", context)
    body = render_to_string("registration/confirm_email_email.txt", context)
    send_mail(" ".join(subject.split()), body, None, [user.email])
    logger.info("Sent an e-mail confirmation link to user %s", user.pk)
