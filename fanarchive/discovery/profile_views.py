"""Pages that list a user's works with the reader's mutes applied: the profile, a pseud's
page, the gifts a user received and their bookmarks.

The profile and pseud pages join the "accounts" URL namespace, the gifts page the
"works" one, the bookmarks page the "social" one (profile_urls, listing_urls and
social_urls, composed in config/urls.py).
Thin: parse, call one selector, render.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import is_blocked, pseud_get, user_get
from fanarchive.core.views import paginate
from fanarchive.discovery.selectors import (
    bookmarks_listed,
    gifts_received_by,
    works_by_pseud_for,
    works_by_user_for,
)
from fanarchive.works.selectors import pseuds_for


def profile(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    page = paginate(request, works_by_user_for(request.user, owner))
    return render(
        request,
        "accounts/profile.html",
        {
            "owner": owner,
            "is_owner": request.user.is_authenticated and request.user.pk == owner.pk,
            "owner_blocked": isinstance(request.user, User) and is_blocked(request.user, owner),
            "pseuds": pseuds_for(request.user, owner),
            "page": page,
        },
    )


def pseud(request: HttpRequest, username: str, name: str) -> HttpResponse:
    owner = user_get(username)
    found = pseud_get(owner, name)
    page = paginate(request, works_by_pseud_for(request.user, found))
    return render(
        request,
        "accounts/pseud.html",
        {
            "owner": owner,
            "pseud": found,
            "is_owner": request.user.is_authenticated and request.user.pk == owner.pk,
            "page": page,
        },
    )


def gifts(request: HttpRequest, username: str) -> HttpResponse:
    """Works given to a user; the owner also sees the gifts they refused."""
    owner = user_get(username)
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    refused = is_owner and request.GET.get("refused") == "true"
    page = paginate(request, gifts_received_by(request.user, owner, refused=refused))
    return render(
        request,
        "works/gifts.html",
        {"owner": owner, "is_owner": is_owner, "refused": refused, "page": page},
    )


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    """A user's bookmarks, each bookmarked work with its blurb; private ones for the owner."""
    owner = user_get(username)
    page = paginate(request, bookmarks_listed(request.user, owner))
    return render(
        request,
        "engagement/user_bookmarks.html",
        {"owner": owner, "page": page, "is_owner": request.user.pk == owner.pk},
    )
