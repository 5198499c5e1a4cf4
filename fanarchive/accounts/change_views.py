"""Changing one's user name and e-mail address (the rules are in change_services)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from fanarchive.accounts import change_services, limits, selectors
from fanarchive.accounts.forms import EmailChangeForm, UsernameChangeForm
from fanarchive.core.addresses import client_address
from fanarchive.core.views import authenticated_user, form_error_from, posted, site_url


@login_required
def username_change(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    form = UsernameChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            changed = change_services.username_change(
                user=authenticated_user(request),
                new_username=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
                address=client_address(request),
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request, _("Your user name is now %(username)s.") % {"username": changed.username}
            )
            return redirect(changed)
    return render(
        request,
        "accounts/username_change.html",
        {"form": form, "owner": owner, "days": limits.USERNAME_CHANGE_DAYS},
    )


@login_required
def email_change(request: HttpRequest, username: str) -> HttpResponse:
    owner = selectors.own_account(request.user, username)
    form = EmailChangeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            change_services.email_change_request(
                user=authenticated_user(request),
                new_email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                address=client_address(request),
                site_url=site_url(request),
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(
                request,
                _(
                    "We sent a link to %(email)s. Your address changes "
                    "when you follow it; until then it stays as it is."
                )
                % {"email": form.cleaned_data["email"].strip()},
            )
            return redirect(owner)
    return render(request, "accounts/email_change.html", {"form": form, "owner": owner})


def email_change_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the mail: GET asks (mail scanners open links), POST changes."""
    try:
        if request.method == "POST":
            user = change_services.email_change_confirm(token=token)
        else:
            user, new_email = change_services.email_change_read(token)
            return render(
                request,
                "accounts/email_change_confirm.html",
                {"token": token, "new_email": new_email, "account": user},
            )
    except ValidationError as error:
        return render(
            request,
            "accounts/email_change_confirm.html",
            {"failed": " ".join(error.messages)},
            status=400,
        )
    messages.success(request, _("Your e-mail address is now %(email)s.") % {"email": user.email})
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect(user)
    return redirect("accounts:login")
