"""Writes for the age-gate policies: a reader confirming they are an adult, an admin
marking an account age-verified, and an outside provider's signed callback doing so."""

from __future__ import annotations

import time
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from fanarchive.accounts.age_tokens import TOKEN_LIFETIME, TokenRefused, check_token, token_digest
from fanarchive.accounts.models import SpentVerificationToken, User
from fanarchive.core.audit_services import audit_record

# Spent tokens are kept a while longer than any token lives, then pruned.
SPENT_KEPT = timedelta(seconds=2 * TOKEN_LIFETIME)


class UnknownAccount(Exception):
    """A genuine token naming an account this archive does not have (any more)."""


def adult_confirm(*, user: User, owner: User) -> User:
    """`owner` confirms that they are 18 or over ("adults" policy). Only for themselves;
    confirming again keeps the first date."""
    if user.pk != owner.pk:
        raise PermissionDenied(gettext("Only the account's owner can confirm their age."))
    if owner.adult_confirmed_at is None:
        owner.adult_confirmed_at = timezone.now()
        owner.save(update_fields=["adult_confirmed_at"])
    return owner


def _is_admin(user: User) -> bool:
    # tags.selectors.is_admin's definition; accounts sits below tags, so it cannot ask it.
    return bool(user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser))


@transaction.atomic
def age_verification_set(*, actor: User, user: User, verified: bool, reason: str = "") -> User:
    """An admin marks `user` age-verified (or takes it back), with an audit entry;
    returns the account as it is now."""
    if not _is_admin(actor):
        raise PermissionDenied(gettext("Only admins can mark accounts age-verified."))
    # The row as it is now (the caller's copy may be older), held until the change is logged.
    user = User.objects.select_for_update().get(pk=user.pk)
    before = user.age_verified_at
    if verified == (before is not None):
        return user
    user.age_verified_at = timezone.now() if verified else None
    user.save(update_fields=["age_verified_at"])
    audit_record(
        actor=actor,
        action="user.age_verify" if verified else "user.age_unverify",
        target=user,
        subject=user,
        reason=reason,
        before={"age_verified_at": before},
        after={"age_verified_at": user.age_verified_at},
    )
    return user


def age_verified_by_provider(*, token: str, now: float | None = None) -> User:
    """The provider's callback: a genuine token (`age_tokens`), under ten minutes old and
    never seen before, marks its account age-verified. Raises TokenRefused (forged,
    expired, replayed or unset-up) or UnknownAccount; nothing changes then."""
    now = time.time() if now is None else now
    claim = check_token(settings.AGE_VERIFICATION_SECRET, token, now=now)
    user = User.objects.filter(username=claim.username).first()
    if user is None:
        raise UnknownAccount(
            gettext("There is no account named '%(username)s'.") % {"username": claim.username}
        )
    spent_at = timezone.now()
    try:
        with transaction.atomic():
            # The unique digest is the replay check: a second use, even at the same
            # moment, fails here and undoes nothing else because nothing else was done.
            SpentVerificationToken.objects.create(digest=token_digest(token), spent_at=spent_at)
            SpentVerificationToken.objects.filter(spent_at__lt=spent_at - SPENT_KEPT).delete()
            before = user.age_verified_at
            if before is None:
                user.age_verified_at = spent_at
                user.save(update_fields=["age_verified_at"])
            audit_record(
                actor=None,
                action="user.age_verify",
                target=user,
                subject=user,
                reason="Confirmed by the age-verification provider's signed callback.",
                before={"age_verified_at": before},
                after={"age_verified_at": user.age_verified_at},
            )
    except IntegrityError:
        raise TokenRefused(gettext("This token was already used.")) from None
    return user
