"""Two-factor log-in: an authenticator app (TOTP, via pyotp) and ten recovery codes.

Setting up: `two_factor_setup_begin` makes a secret, which the owner's app reads from a
QR code; `two_factor_confirm` turns two-factor log-in on once a code from the app is
right, and returns the ten recovery codes (shown once: only salted digests are kept).
Logging in: after the right password, `two_factor_verify` takes a code from the app
(the current 30-second step or the one either side, for clocks that drift, and never a
step at or before the last one accepted, so a code cannot be used twice) or an unused
recovery code (then used up). Turning it off and making new recovery codes ask for the
password again; wrong passwords there count as failed log-ins (`login_services`).
An admin may turn it off for an owner who lost their app and codes (audited).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import time

import pyotp
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts import login_services
from fanarchive.accounts.models import RecoveryCode, TwoFactor, User
from fanarchive.core.audit_services import audit_record
from fanarchive.core.ratelimit import RateLimited

STEP_SECONDS = 30
DRIFT_STEPS = 1  # a code of the step before or after the current one is accepted too
RECOVERY_CODE_COUNT = 10
RECOVERY_CODE_LENGTH = 10
# Lower-case letters and digits that cannot be mistaken for each other (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
CODE_INPUT_MAX = 64  # longer input is no code: refused before any work

WRONG_CODE_MESSAGE = gettext_lazy(
    "That code is not right, or was used already. Try the newest code."
)
WRONG_PASSWORD_MESSAGE = gettext_lazy("That is not your password.")
TOTP_PATTERN = re.compile(r"^\d{6}$")


def _now() -> float:
    return time.time()


# -- codes -------------------------------------------------------------------------------


def _matching_step(two_factor: TwoFactor, code: str, now: float) -> int | None:
    """The time step whose code `code` is, within the drift and after the last one used."""
    digits = re.sub(r"\s", "", code)
    if not TOTP_PATTERN.match(digits):
        return None
    totp = pyotp.TOTP(two_factor.secret)
    current = int(now // STEP_SECONDS)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if two_factor.last_counter is not None and step <= two_factor.last_counter:
            continue
        if constant_time_compare(totp.generate_otp(step), digits):
            return step
    return None


def _recovery_code_text(code: str) -> str:
    """What the owner is shown: "abcde-fghjk"."""
    half = RECOVERY_CODE_LENGTH // 2
    return f"{code[:half]}-{code[half:]}"


def _recovery_code_normalised(text: str) -> str | None:
    """A typed recovery code without spaces and hyphens, lower case; None when it cannot be one."""
    code = re.sub(r"[\s-]", "", text).lower()
    if len(code) != RECOVERY_CODE_LENGTH or set(code) - set(RECOVERY_ALPHABET):
        return None
    return code


def _digest(code: str, salt: str) -> str:
    return "sha256$" + salt + "$" + hashlib.sha256(f"{salt}${code}".encode()).hexdigest()


def _digest_matches(stored: str, code: str) -> bool:
    _, _, rest = stored.partition("$")
    salt, _, _ = rest.partition("$")
    return constant_time_compare(stored, _digest(code, salt))


def _recovery_codes_new(two_factor: TwoFactor) -> list[str]:
    """Replace the account's recovery codes with ten new ones; the codes, to show once."""
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    RecoveryCode.objects.filter(two_factor=two_factor).delete()
    RecoveryCode.objects.bulk_create(
        RecoveryCode(two_factor=two_factor, digest=_digest(code, secrets.token_hex(8)))
        for code in codes
    )
    return [_recovery_code_text(code) for code in codes]


def _locked(user: User) -> TwoFactor | None:
    return TwoFactor.objects.select_for_update().filter(user=user).first()


# -- setting up --------------------------------------------------------------------------


def two_factor_setup_begin(*, user: User) -> TwoFactor:
    """Give the account a new secret for its app; refused while two-factor log-in is on."""
    with transaction.atomic():
        two_factor = _locked(user)
        if two_factor is not None and two_factor.confirmed_at is not None:
            raise ValidationError(
                _("Two-factor log-in is already on. Turn it off first to use another app.")
            )
        if two_factor is None:
            return TwoFactor.objects.create(user=user, secret=pyotp.random_base32())
        two_factor.secret = pyotp.random_base32()
        two_factor.last_counter = None
        two_factor.save(update_fields=["secret", "last_counter"])
        return two_factor


def two_factor_confirm(*, user: User, code: str, now: float | None = None) -> list[str]:
    """Turn two-factor log-in on with a code from the app; the ten recovery codes."""
    now = _now() if now is None else now
    with transaction.atomic():
        two_factor = _locked(user)
        if two_factor is None or two_factor.confirmed_at is not None:
            raise ValidationError(_("There is no two-factor set-up waiting for a code."))
        step = _matching_step(two_factor, code[:CODE_INPUT_MAX], now)
        if step is None:
            raise ValidationError(
                {"code": [_("That code is not right. Enter the six digits your app shows now.")]}
            )
        two_factor.confirmed_at = timezone.now()
        two_factor.last_counter = step
        two_factor.save(update_fields=["confirmed_at", "last_counter"])
        return _recovery_codes_new(two_factor)


# -- logging in --------------------------------------------------------------------------


def two_factor_verify(*, user: User, code: str, now: float | None = None) -> str:
    """Check a log-in's second step: "totp" or "recovery" (that code is then used up).

    Raises ValidationError when the code is wrong, used or the account has no two-factor
    log-in; the caller counts that as a failed log-in.
    """
    now = _now() if now is None else now
    text = code.strip()
    with transaction.atomic():
        two_factor = _locked(user)
        if two_factor is None or two_factor.confirmed_at is None or len(text) > CODE_INPUT_MAX:
            raise ValidationError(WRONG_CODE_MESSAGE)
        step = _matching_step(two_factor, text, now)
        if step is not None:
            two_factor.last_counter = step
            two_factor.save(update_fields=["last_counter"])
            return "totp"
        recovery = _recovery_code_normalised(text)
        if recovery is not None:
            for stored in two_factor.recovery_codes.filter(used_at__isnull=True):
                if _digest_matches(stored.digest, recovery):
                    stored.used_at = timezone.now()
                    stored.save(update_fields=["used_at"])
                    return "recovery"
        raise ValidationError(WRONG_CODE_MESSAGE)


# -- changing it (the password again) ----------------------------------------------------


def _reauthenticate(*, user: User, password: str, address: str) -> None:
    """The owner's password again, counted like a log-in (login_services)."""
    try:
        login_services.login_throttle_check(identifier=user.username, address=address)
    except RateLimited as limited:
        raise ValidationError({"password": [str(limited)]}) from None
    if not password or len(password) > 4096 or not user.check_password(password):
        login_services.login_failure_record(identifier=user.username, address=address)
        raise ValidationError({"password": [WRONG_PASSWORD_MESSAGE]})


def two_factor_disable(*, user: User, password: str, address: str) -> None:
    """Turn two-factor log-in off (and drop its recovery codes), after the password."""
    _reauthenticate(user=user, password=password, address=address)
    with transaction.atomic():
        TwoFactor.objects.filter(user=user).delete()


def recovery_codes_regenerate(*, user: User, password: str, address: str) -> list[str]:
    """Ten new recovery codes in place of the old ones, after the password."""
    _reauthenticate(user=user, password=password, address=address)
    with transaction.atomic():
        two_factor = _locked(user)
        if two_factor is None or two_factor.confirmed_at is None:
            raise ValidationError(_("Two-factor log-in is not on."))
        return _recovery_codes_new(two_factor)


def two_factor_reset_by_admin(*, actor: User, user: User, reason: str) -> None:
    """An admin turns off the two-factor log-in of an owner who lost app and codes."""
    if not (actor.is_active and (actor.is_staff or actor.is_superuser)):
        raise PermissionDenied(_("Only admins can turn off someone's two-factor log-in."))
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why (how the owner proved who they are).")]})
    with transaction.atomic():
        two_factor = _locked(user)
        if two_factor is None:
            return
        before = {"confirmed_at": two_factor.confirmed_at}
        two_factor.delete()
        audit_record(
            actor=actor,
            action="user.two_factor_reset",
            target=user,
            subject=user,
            reason=reason.strip(),
            before=before,
            after={"confirmed_at": None},
        )
