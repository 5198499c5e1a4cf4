"""Changing one's user name and e-mail address (the password asked again for both).

A user name changes at most once every `limits.USERNAME_CHANGE_DAYS` days (AO3's rule).
The default pseud, when it was named like the account, takes the new name through
`profile_services.pseud_update`, and every work of the account is catalogued again
(`accounts.events`), so bylines, search and the sort by creator follow at once.

A new e-mail address is confirmed by a signed link mailed to it, valid
`limits.EMAIL_CHANGE_VALID_SECONDS`; the old address is told that a change was asked
for. Nothing changes until the link is followed, and the link works once: it names the
address it replaces, which is gone once it has.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts import events, limits
from fanarchive.accounts.emails import send_email_change_emails
from fanarchive.accounts.models import User
from fanarchive.accounts.profile_services import pseud_update
from fanarchive.accounts.services import username_errors
from fanarchive.accounts.two_factor_services import _reauthenticate
from fanarchive.core.ratelimit import rate_limit_spend

logger = logging.getLogger(__name__)

TAKEN_MESSAGE = gettext_lazy("That user name is already taken.")
EMAIL_SALT = "fanarchive.accounts.change_services.email_change"
EMAIL_TAKEN_MESSAGE = gettext_lazy("An account with that e-mail address already exists.")
INVALID_LINK_MESSAGE = gettext_lazy(
    "This link is not valid: it may have been copied incompletely, or replaced by a newer "
    "request. Ask for the change again from your account."
)
EXPIRED_LINK_MESSAGE = gettext_lazy(
    "This link has expired. Ask for the change again from your account."
)
TOKEN_MAX = 1000


def username_change(*, user: User, new_username: str, password: str, address: str) -> User:
    """Give `user` the name `new_username`, after their password."""
    _reauthenticate(user=user, password=password, address=address)
    new_username = (new_username or "").strip()
    old_username = user.username
    if new_username == old_username:
        raise ValidationError({"username": [_("That is already your user name.")]})
    errors = [message for message in username_errors(new_username) if message != str(TAKEN_MESSAGE)]
    if (
        not errors
        and User.objects.filter(username__iexact=new_username).exclude(pk=user.pk).exists()
    ):
        errors.append(str(TAKEN_MESSAGE))
    now = timezone.now()
    if user.username_changed_at is not None:
        next_time = user.username_changed_at + timedelta(days=limits.USERNAME_CHANGE_DAYS)
        if now < next_time:
            errors.append(
                _(
                    "You can change your user name once every %(days)s days: "
                    "next on %(date)s at %(time)s UTC."
                )
                % {
                    "days": limits.USERNAME_CHANGE_DAYS,
                    "date": date_format(next_time, "d F Y"),
                    "time": date_format(next_time, "H:i"),
                }
            )
    if errors:
        raise ValidationError({"username": errors})
    try:
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            locked.username = new_username
            locked.username_changed_at = now
            locked.save(update_fields=["username", "username_changed_at"])
            default = locked.pseuds.filter(is_default=True).first()
            clash = locked.pseuds.filter(name__iexact=new_username)
            if default is not None:
                clash = clash.exclude(pk=default.pk)
            others = locked.pseuds.all()
            if (
                default is not None
                and default.name.lower() == old_username.lower()
                and not clash.exists()
            ):
                # pseud_update announces the renamed default pseud itself.
                pseud_update(
                    user=locked, pseud=default, name=new_username, description=default.description
                )
                others = others.exclude(pk=default.pk)
            # The user name is in the other pseuds' bylines, and in search.
            if other_ids := list(others.values_list("pk", flat=True)):
                events.bylines_changed(pseud_ids=other_ids)
    except IntegrityError:
        raise ValidationError({"username": [TAKEN_MESSAGE]}) from None
    user.username = new_username
    user.username_changed_at = now
    logger.info("User %s changed their user name", user.pk)
    return user


# -- e-mail address ------------------------------------------------------------------------


def _email_errors(user: User, email: str) -> list[str]:
    if not email:
        return [_("Enter your new e-mail address.")]
    if len(email) > 254:
        return ["E-mail addresses are at most 254 characters."]
    try:
        validate_email(email)
    except ValidationError:
        return [_("Enter a valid e-mail address.")]
    if email.lower() == (user.email or "").lower():
        return [_("That is already your e-mail address.")]
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        return [str(EMAIL_TAKEN_MESSAGE)]
    return []


def email_change_request(
    *, user: User, new_email: str, password: str, address: str, site_url: str
) -> None:
    """Mail a confirmation link to `new_email` and a notice to `user`'s address now."""
    _reauthenticate(user=user, password=password, address=address)
    new_email = (new_email or "").strip()
    if errors := _email_errors(user, new_email):
        raise ValidationError({"email": errors})
    retry = rate_limit_spend(
        scope="email-change",
        key=str(user.pk),
        limit=limits.EMAIL_CHANGE_MAILS_PER_USER,
        window=3600,
    )
    if retry is not None:
        raise ValidationError(
            {
                "email": [
                    _(
                        "You asked for %(count)s changes in the last "
                        "hour. Please wait a while, and check your mail for the links sent."
                    )
                    % {"count": limits.EMAIL_CHANGE_MAILS_PER_USER}
                ]
            }
        )
    token = signing.dumps(
        {"u": user.pk, "old": user.email, "new": new_email}, salt=EMAIL_SALT, compress=True
    )
    transaction.on_commit(
        partial(
            send_email_change_emails,
            username=user.username,
            old_email=user.email,
            new_email=new_email,
            token=token,
            site_url=site_url,
            valid_days=limits.EMAIL_CHANGE_VALID_SECONDS // 86_400,
        ),
        robust=True,
    )


def email_change_read(token: str) -> tuple[User, str]:
    """The account and new address a link names; ValidationError when it cannot be used."""
    if not token or len(token) > TOKEN_MAX:
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    try:
        data = signing.loads(token, salt=EMAIL_SALT, max_age=limits.EMAIL_CHANGE_VALID_SECONDS)
    except signing.SignatureExpired:
        raise ValidationError(EXPIRED_LINK_MESSAGE, code="expired") from None
    except signing.BadSignature:
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid") from None
    if not isinstance(data, dict) or not all(
        isinstance(data.get(key), kind) for key, kind in (("u", int), ("old", str), ("new", str))
    ):
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    user = User.objects.filter(pk=data["u"]).first()
    if user is None:
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    if user.email == data["new"]:
        raise ValidationError(_("Your e-mail address has already been changed."), code="done")
    if user.email != data["old"]:
        raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
    return user, str(data["new"])


def email_change_confirm(*, token: str) -> User:
    """Follow the link: the account's address becomes the new one."""
    user, new_email = email_change_read(token)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.email != user.email:
            raise ValidationError(INVALID_LINK_MESSAGE, code="invalid")
        if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
            raise ValidationError(EMAIL_TAKEN_MESSAGE, code="taken")
        locked.email = new_email
        locked.save(update_fields=["email"])
    logger.info("User %s changed their e-mail address", user.pk)
    return locked
