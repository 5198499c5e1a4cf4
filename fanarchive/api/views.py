"""The account's "API tokens" page: make a token (shown once) and revoke tokens. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts import selectors as account_selectors
from fanarchive.api import selectors, services
from fanarchive.api.forms import TokenForm
from fanarchive.core.views import authenticated_user, form_error_from, posted


@login_required
def tokens(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    form = TokenForm(posted(request))
    secret = None
    created = None
    if request.method == "POST" and form.is_valid():
        try:
            created, secret = services.token_create(
                user=authenticated_user(request),
                owner=owner,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            form = TokenForm(None)
    response = render(
        request,
        "api/tokens.html",
        {
            "owner": owner,
            "is_owner": True,
            "form": form,
            "secret": secret,
            "created": created,
            "tokens": selectors.tokens_of(owner),
        },
    )
    # The secret is on this page once: never cache it anywhere.
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def token_revoke(request: HttpRequest, username: str, token_id: int) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    token = selectors.token_get(owner, token_id)
    services.token_revoke(user=authenticated_user(request), token=token)
    messages.success(request, _('The token "%(name)s" was revoked.') % {"name": token.name})
    return redirect("api:tokens", owner.username)
