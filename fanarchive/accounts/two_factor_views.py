"""Two-factor log-in pages: its status, setting it up, turning it off, and the code page
that follows the right password (the rules are in two_factor_services).

Between the password and the code the account is not logged in: the session holds only
whose code is awaited, until when (`limits.TWO_FACTOR_LOGIN_SECONDS`), where to go
next and how many codes were wrong (after `limits.TWO_FACTOR_CODE_TRIES`, the password
again). Wrong codes also count as failed log-ins (login_services).
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fanarchive.accounts import (
    limits,
    login_services,
    selectors,
    two_factor_selectors,
    two_factor_services,
)
from fanarchive.accounts.forms import PasswordAgainForm, TwoFactorCodeForm, TwoFactorConfirmForm
from fanarchive.accounts.language_views import account_language_remember
from fanarchive.accounts.models import User
from fanarchive.core.addresses import client_address
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.views import authenticated_user, form_error_from, posted

PENDING_KEY = "two_factor_pending"


# -- the code page after the password ---------------------------------------------------


def pending_start(request: HttpRequest, user: User, next_url: str) -> None:
    """The password was right: wait for the code (the account is not logged in yet)."""
    request.session[PENDING_KEY] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        "until": time.time() + limits.TWO_FACTOR_LOGIN_SECONDS,
        "next": next_url,
        "wrong": 0,
    }


def _pending(request: HttpRequest) -> dict[str, Any] | None:
    pending = request.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or pending.get("until", 0) < time.time():
        request.session.pop(PENDING_KEY, None)
        return None
    return pending


def _back_to_password(request: HttpRequest, message: str) -> HttpResponse:
    request.session.pop(PENDING_KEY, None)
    messages.error(request, message)
    return redirect("accounts:login")


@never_cache
def two_factor_login(request: HttpRequest) -> HttpResponse:
    pending = _pending(request)
    user = two_factor_selectors.two_factor_login_user(pending["user"]) if pending else None
    if pending is None or user is None:
        return _back_to_password(
            request, _("Please log in with your password first (the code page waits 5 minutes).")
        )
    form = TwoFactorCodeForm(posted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        address = client_address(request)
        try:
            login_services.login_throttle_check(identifier=user.username, address=address)
            used = two_factor_services.two_factor_verify(user=user, code=form.cleaned_data["code"])
        except RateLimited as limited:
            form.add_error(None, str(limited))
            status = 429
        except ValidationError as error:
            login_services.login_failure_record(identifier=user.username, address=address)
            pending["wrong"] += 1
            if pending["wrong"] >= limits.TWO_FACTOR_CODE_TRIES:
                return _back_to_password(
                    request, _("Too many wrong codes. Please log in with your password again.")
                )
            request.session[PENDING_KEY] = pending
            form_error_from(form, error)
        else:
            request.session.pop(PENDING_KEY, None)
            response = redirect(pending["next"])
            login(request, user, backend=pending["backend"] or None)
            account_language_remember(request, response, user)
            messages.success(request, _("Successfully logged in."))
            if used == "recovery":
                left = two_factor_selectors.recovery_codes_left(user.two_factor)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(left)s is left. If you lost your app, "
                        "turn two-factor log-in off and on again with the new one.",
                        "You used a recovery code; %(left)s are left. If you lost your app, "
                        "turn two-factor log-in off and on again with the new one.",
                        left,
                    )
                    % {"left": left},
                )
            return response
    return render(
        request, "accounts/two_factor_login.html", {"form": form, "account": user}, status=status
    )


# -- the owner's pages --------------------------------------------------------------------


def _codes_page(request: HttpRequest, owner: User, codes: list[str]) -> HttpResponse:
    """The recovery codes, shown once (the views are never_cache: no copy is kept)."""
    return render(request, "accounts/two_factor_codes.html", {"owner": owner, "codes": codes})


@login_required
def two_factor_status(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    two_factor = two_factor_selectors.two_factor_of(owner)
    enabled = two_factor is not None and two_factor.confirmed_at is not None
    return render(
        request,
        "accounts/two_factor.html",
        {
            "owner": owner,
            "enabled": enabled,
            "required": two_factor_selectors.two_factor_required(owner),
            "codes_left": two_factor_selectors.recovery_codes_left(two_factor)
            if enabled and two_factor is not None
            else 0,
            "form": PasswordAgainForm(),
        },
    )


@login_required
@require_POST
def two_factor_begin(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    try:
        two_factor_services.two_factor_setup_begin(user=authenticated_user(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:two_factor", owner.username)
    return redirect("accounts:two_factor_setup", owner.username)


@login_required
@never_cache
def two_factor_setup(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    two_factor = two_factor_selectors.two_factor_of(owner)
    if two_factor is None or two_factor.confirmed_at is not None:
        return redirect("accounts:two_factor", owner.username)
    form = TwoFactorConfirmForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor_services.two_factor_confirm(
                user=authenticated_user(request), code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Two-factor log-in is on."))
            return _codes_page(request, owner, codes)
    uri = two_factor_selectors.provisioning_uri(two_factor)
    return render(
        request,
        "accounts/two_factor_setup.html",
        {
            "owner": owner,
            "form": form,
            "qr_code": two_factor_selectors.qr_code_data_url(uri),
            "secret": two_factor_selectors.secret_for_display(two_factor.secret),
        },
    )


def _with_password(request: HttpRequest, username: str) -> tuple[User, PasswordAgainForm]:
    owner = selectors.own_account(request.user, username)
    return owner, PasswordAgainForm(posted(request))


def _password_refused(
    request: HttpRequest, owner: User, form: PasswordAgainForm, error: ValidationError
) -> HttpResponse:
    form_error_from(form, error)
    two_factor = two_factor_selectors.two_factor_of(owner)
    return render(
        request,
        "accounts/two_factor.html",
        {
            "owner": owner,
            "enabled": two_factor is not None and two_factor.confirmed_at is not None,
            "required": two_factor_selectors.two_factor_required(owner),
            "codes_left": two_factor_selectors.recovery_codes_left(two_factor)
            if two_factor is not None
            else 0,
            "form": form,
        },
        status=400,
    )


@login_required
@require_POST
def two_factor_disable(request: HttpRequest, username: str) -> HttpResponse:
    owner, form = _with_password(request, username)
    form.is_valid()
    try:
        two_factor_services.two_factor_disable(
            user=authenticated_user(request),
            password=form.cleaned_data.get("password", ""),
            address=client_address(request),
        )
    except ValidationError as error:
        return _password_refused(request, owner, form, error)
    messages.success(request, _("Two-factor log-in is off: your password alone logs you in."))
    return redirect("accounts:two_factor", owner.username)


@login_required
@require_POST
@never_cache
def recovery_codes_regenerate(request: HttpRequest, username: str) -> HttpResponse:
    owner, form = _with_password(request, username)
    form.is_valid()
    try:
        codes = two_factor_services.recovery_codes_regenerate(
            user=authenticated_user(request),
            password=form.cleaned_data.get("password", ""),
            address=client_address(request),
        )
    except ValidationError as error:
        return _password_refused(request, owner, form, error)
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return _codes_page(request, owner, codes)
