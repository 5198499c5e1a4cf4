"""Subscribing to a saved filter's alerts (`alert_services`). Thin views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts import selectors as account_selectors
from fanarchive.core.views import authenticated_user
from fanarchive.discovery import alert_services, selectors


@login_required
@require_POST
def saved_filter_alerts(request: HttpRequest, username: str, filter_id: int) -> HttpResponse:
    """Turn a saved filter's alerts on (`alerts=on`) or off (anything else)."""
    owner = account_selectors.own_account(request.user, username)
    saved = selectors.saved_filter_get(owner, filter_id)
    if saved is None:
        raise Http404(_("No such filter."))
    user = authenticated_user(request)
    if request.POST.get("alerts") == "on":
        try:
            alert_services.saved_filter_alert_subscribe(user=user, saved=saved)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _('New works in "%(name)s" will reach your inbox and e-mail.')
                % {"name": saved.name},
            )
    else:
        alert_services.saved_filter_alert_unsubscribe(user=user, saved=saved)
        messages.success(
            request, _('No more alerts of new works in "%(name)s".') % {"name": saved.name}
        )
    return redirect("discovery:saved_filters", owner.username)
