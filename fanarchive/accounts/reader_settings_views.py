"""The reader settings page: for a guest they go into a cookie the server reads (so the
first HTML carries the theme), for an account onto its preferences. Works without
JavaScript; static/js/reader-settings.js only previews a choice before saving."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanarchive.accounts.reader_settings import COOKIE_MAX_AGE, COOKIE_NAME, cookie_value
from fanarchive.accounts.reader_settings_forms import ReaderSettingsForm
from fanarchive.accounts.reader_settings_selectors import reader_settings_for
from fanarchive.accounts.reader_settings_services import reader_settings_save
from fanarchive.core.views import posted


def reader_settings(request: HttpRequest) -> HttpResponse:
    form = ReaderSettingsForm(
        posted(request), initial=ReaderSettingsForm.initial_for(reader_settings_for(request))
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.settings()
        response = redirect("accounts:reader_settings")
        if request.user.is_authenticated:
            reader_settings_save(user=request.user, settings=chosen)
            messages.success(request, _("Your reading settings are saved with your account."))
        else:
            response.set_cookie(
                COOKIE_NAME,
                cookie_value(chosen),
                max_age=COOKIE_MAX_AGE,
                samesite="Lax",
                secure=request.is_secure(),
                httponly=True,
            )
            messages.success(
                request,
                _(
                    "Your reading settings are saved in this browser. Log in to keep them "
                    "with your account."
                ),
            )
        return response
    return render(request, "accounts/reader_settings.html", {"form": form})
