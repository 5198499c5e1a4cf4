"""Accounts that must use two-factor log-in (settings.REQUIRE_TWO_FACTOR) set it up first."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from fanarchive.accounts.two_factor_selectors import two_factor_enabled, two_factor_required


class TwoFactorRequiredMiddleware:
    """A logged-in account that must use two-factor log-in and has not turned it on is
    sent to its two-factor page for every other page (logging out still works). Calls
    with an API token are the token's business: they are let through."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and "Authorization" not in request.headers
            and two_factor_required(user)
            and not two_factor_enabled(user)
        ):
            status_page = reverse("accounts:two_factor", args=[user.get_username()])
            allowed = (status_page, reverse("accounts:logout"))
            if not request.path.startswith(allowed):
                messages.info(
                    request,
                    _("Your account must use two-factor log-in. Please set it up to go on."),
                )
                return redirect(status_page)
        return self.get_response(request)
