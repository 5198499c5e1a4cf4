"""The moderators' list of works whose text reads as more mature than their rating, or
needs a warning they lack (advice only: a moderator decides, through a report)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from fanarchive.accounts.moderators import is_moderator
from fanarchive.core.views import authenticated_user
from fanarchive.moderation.page_selectors import advice_disagreements


@login_required
def advice_list(request: HttpRequest) -> HttpResponse:
    moderator = authenticated_user(request)
    if not is_moderator(moderator):
        raise PermissionDenied(_("Only moderators and administrators can see the rating advice."))
    rows = advice_disagreements(moderator)
    return render(request, "moderation/advice.html", {"rows": rows})
