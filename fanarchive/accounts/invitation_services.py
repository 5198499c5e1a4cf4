"""The invitation queue and invitations (settings.INVITATIONS; AO3's queue).

People join the queue with their e-mail address (`invite_request_join`); admins send
invitations to the oldest in the queue (`invitations_send_to_queue`) or give users
invitations to share (`invitations_give`), which those users mail to a friend
(`invitation_send`). Sign-up spends one (`invitation_spend`, called by
`services.user_register`). Invitations do not expire. Admins' actions are audited.
"""

from __future__ import annotations

import secrets
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts import limits
from fanarchive.accounts.emails import send_invitation_email
from fanarchive.accounts.invitation_selectors import (
    invitation_by_token,
    invitations_required,
    queue_position,
)
from fanarchive.accounts.language_selectors import account_language
from fanarchive.accounts.models import Invitation, InviteRequest, User
from fanarchive.core.audit_services import audit_record
from fanarchive.core.i18n import supported_language
from fanarchive.core.ratelimit import RateLimited, rate_limit_spend, try_again_in

EMAIL_MAX = 254
NO_INVITATION_MESSAGE = gettext_lazy(
    "This archive is open to new accounts by invitation only. Enter the invitation code "
    "you were sent, or join the queue to get one."
)
UNKNOWN_INVITATION_MESSAGE = gettext_lazy(
    "That invitation code is not valid: check that you copied the whole link."
)
USED_INVITATION_MESSAGE = gettext_lazy(
    "That invitation has already been used to create an account."
)


def _email_cleaned(email: str, field: str = "email") -> str:
    email = (email or "").strip()
    if not email:
        raise ValidationError({field: [_("Enter an e-mail address.")]})
    if len(email) > EMAIL_MAX:
        raise ValidationError(
            {field: [_("E-mail addresses are at most %(max)s characters.") % {"max": EMAIL_MAX}]}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({field: [_("Enter a valid e-mail address.")]}) from None
    return email


def _limited(scope: str, key: str, limit: int, what: str) -> None:
    retry = rate_limit_spend(scope=scope, key=key, limit=limit, window=limits.INVITE_WINDOW_SECONDS)
    if retry is not None:
        raise RateLimited(
            _("Too many %(what)s from your network: at most %(limit)s an hour.")
            % {"what": what, "limit": limit}
            + " "
            + try_again_in(retry),
            retry_after=retry,
        )


def _require_admin(actor: User) -> None:
    if not (actor.is_authenticated and actor.is_active and (actor.is_staff or actor.is_superuser)):
        raise PermissionDenied(_("Only admins can send or give invitations."))


def _new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 bits


def _count(count: int, most: int) -> int:
    if not isinstance(count, int) or not 1 <= count <= most:
        raise ValidationError(
            {"count": [_("Choose a number from 1 to %(most)s.") % {"most": most}]}
        )
    return count


# -- the queue ---------------------------------------------------------------------------


def invite_request_join(
    *, email: str, client_address: str, language: str = ""
) -> tuple[InviteRequest, int]:
    """Put `email` in the queue (or find it there); the request and its position.
    `language`, the interface's language of whoever joins, is kept for their invitation
    (one of settings.LANGUAGES, else the site's default is used); joining again keeps
    the first.

    Raises RateLimited past `limits.INVITE_REQUESTS_PER_CLIENT` joins an hour from one
    address, and ValidationError when the archive needs no invitations or the address
    is not one."""
    if not invitations_required():
        raise ValidationError(
            {"email": [_("This archive needs no invitation: you can sign up at once.")]}
        )
    email = _email_cleaned(email)
    _limited(
        "invite-request",
        client_address,
        limits.INVITE_REQUESTS_PER_CLIENT,
        _("requests to join the queue"),
    )
    existing = InviteRequest.objects.filter(email__iexact=email).first()
    if existing is None:
        try:
            with transaction.atomic():
                existing = InviteRequest.objects.create(
                    email=email, created_at=timezone.now(), language=supported_language(language)
                )
        except IntegrityError:  # the same address at the same moment
            existing = InviteRequest.objects.get(email__iexact=email)
    return existing, queue_position(existing)


def invite_status_check(*, client_address: str) -> None:
    """Count one look-up of the queue's status page from `client_address` (RateLimited
    past `limits.INVITE_STATUS_PER_CLIENT` an hour: nobody walks a list of addresses)."""
    _limited("invite-status", client_address, limits.INVITE_STATUS_PER_CLIENT, _("status look-ups"))


def invitations_send_to_queue(*, actor: User, count: int, site_url: str) -> int:
    """Mail an invitation to each of the `count` oldest people in the queue; how many."""
    _require_admin(actor)
    count = _count(count, limits.INVITATIONS_SEND_MAX)
    now = timezone.now()
    with transaction.atomic():
        waiting = list(
            InviteRequest.objects.select_for_update()
            .filter(invited_at=None)
            .order_by("created_at", "id")[:count]
        )
        for request in waiting:
            invitation = Invitation.objects.create(
                token=_new_token(), creator=None, sent_to=request.email, sent_at=now, created_at=now
            )
            request.invited_at = now
            request.invitation = invitation
            request.save(update_fields=["invited_at", "invitation"])
            transaction.on_commit(
                partial(
                    send_invitation_email,
                    email=request.email,
                    token=invitation.token,
                    site_url=site_url,
                    from_name="",
                    language=request.language,
                ),
                robust=True,
            )
        if waiting:
            audit_record(
                actor=actor,
                action="invitations.sent_to_queue",
                target=waiting[0],
                after={"asked": count, "sent": len(waiting)},
            )
    return len(waiting)


def invitations_give(*, actor: User, count: int, username: str = "") -> int:
    """Give `count` invitations to share to the account named `username`, or to every
    active account when it is blank; how many accounts got them."""
    _require_admin(actor)
    count = _count(count, limits.INVITATIONS_GIVE_MAX)
    username = (username or "").strip()
    named: User | None = None
    if username:
        if len(username) <= 150:
            named = User.objects.filter(username__iexact=username, is_active=True).first()
        if named is None:
            raise ValidationError(
                {
                    "username": [
                        _("There is no active account named %(username)s.") % {"username": username}
                    ]
                }
            )
        people = User.objects.filter(pk=named.pk)
    else:
        people = User.objects.filter(is_active=True).exclude(
            username__iexact=limits.ORPHAN_USERNAME
        )
    now = timezone.now()
    given = 0
    with transaction.atomic():
        ids = list(people.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), 1000):  # every account of a big archive, in batches
            Invitation.objects.bulk_create(
                Invitation(token=_new_token(), creator_id=person, created_at=now)
                for person in ids[start : start + 1000]
                for _ in range(count)
            )
        given = len(ids)
        audit_record(
            actor=actor,
            action="invitations.given",
            target=named or actor,
            subject=named,
            after={"each": count, "to": username or "every account", "accounts": given},
        )
    return given


# -- a user's invitations ----------------------------------------------------------------


def invitation_send(
    *, user: User, invitation: Invitation, email: str, site_url: str, language: str = ""
) -> None:
    """Mail one of `user`'s unused invitations to `email`, in `user`'s language: their
    preference, else `language` (the one they are reading the site in)."""
    if invitation.creator_id != user.pk:
        raise PermissionDenied(_("You can only send your own invitations."))
    email = _email_cleaned(email)
    if invitation.used_at is not None:
        raise ValidationError({"email": [USED_INVITATION_MESSAGE]})
    try:
        _limited(
            "invitation-mail",
            str(user.pk),
            limits.INVITATION_MAILS_PER_USER,
            _("invitations sent"),
        )
    except RateLimited as limited:
        raise ValidationError({"email": [str(limited)]}) from None
    with transaction.atomic():
        invitation.sent_to = email
        invitation.sent_at = timezone.now()
        invitation.save(update_fields=["sent_to", "sent_at"])
        transaction.on_commit(
            partial(
                send_invitation_email,
                email=email,
                token=invitation.token,
                site_url=site_url,
                from_name=user.username,
                language=account_language(user) or supported_language(language),
            ),
            robust=True,
        )


# -- signing up with one -------------------------------------------------------------------


def invitation_errors(token: str) -> list[str]:
    """What is wrong with signing up with `token` (nothing when invitations are off)."""
    if not invitations_required():
        return []
    if not (token or "").strip():
        return [str(NO_INVITATION_MESSAGE)]
    found = invitation_by_token(token)
    if found is None:
        return [str(UNKNOWN_INVITATION_MESSAGE)]
    if found.used_at is not None:
        return [str(USED_INVITATION_MESSAGE)]
    return []


def invitation_spend(*, token: str, user: User) -> None:
    """Mark the invitation `token` used by the new account `user` (inside the sign-up's
    transaction). Nothing when invitations are off; ValidationError when the invitation
    was spent meanwhile, which rolls the sign-up back."""
    if not invitations_required():
        return
    updated = Invitation.objects.filter(token=(token or "").strip(), used_at=None).update(
        used_by=user, used_at=timezone.now()
    )
    if updated != 1:
        raise ValidationError({"invitation": [USED_INVITATION_MESSAGE]})
