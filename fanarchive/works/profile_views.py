"""Account pages that show works: a user's pseuds (with their work counts) and one's drafts.

They join the "accounts" URL namespace (profile_urls, composed in config/urls.py).
Thin: parse, call one selector, render.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.accounts.selectors import own_account, user_get
from fanarchive.core.views import paginate
from fanarchive.works.selectors import drafts_of, pseuds_for


def pseuds(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    return render(
        request,
        "accounts/pseuds.html",
        {
            "owner": owner,
            "is_owner": request.user.is_authenticated and request.user.pk == owner.pk,
            "pseuds": pseuds_for(request.user, owner),
        },
    )


@login_required
def drafts(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    page = paginate(request, drafts_of(owner))
    return render(request, "accounts/drafts.html", {"owner": owner, "page": page})
