"""The reading list's pages: a reader's list (theirs, or another's made public), and the
forms that set a work's status (from any blurb or the work page) and the list's
privacy. Thin: parse, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts.selectors import user_get
from fanarchive.core.views import authenticated_user, paginate
from fanarchive.engagement import reading_list_selectors as selectors
from fanarchive.engagement import reading_list_services as services
from fanarchive.engagement.models import ReadingStatus
from fanarchive.engagement.social_views import _next
from fanarchive.works.models import Work
from fanarchive.works.selectors import access_work, with_blurb_data


@login_required
@require_POST
def reading_status(request: HttpRequest, work_id: int) -> HttpResponse:
    """Set, change or clear ("" status) the reader's status of one work."""
    user = authenticated_user(request)
    work = access_work(user, work_id)
    status = request.POST.get("status", "")
    try:
        if status:
            entry = services.reading_list_set(user=user, work=work, status=status)
        else:
            services.reading_list_remove(user=user, work_id=work.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if status:
            label = entry.get_status_display()
            messages.success(request, _("On your reading list as “%(label)s”.") % {"label": label})
        else:
            messages.success(request, _("Not on your reading list."))
    return redirect(_next(request, work.get_absolute_url()))


@login_required
@require_POST
def reading_list_privacy(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    public = request.POST.get("public") == "true"
    services.reading_list_publicity_set(
        user=authenticated_user(request), owner=owner, public=public
    )
    messages.success(
        request,
        _("Your reading list is public.") if public else _("Your reading list is private."),
    )
    return redirect("social:reading_list", owner.username)


def _int_or_none(value: str | None) -> int | None:
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def reading_list(request: HttpRequest, username: str) -> HttpResponse:
    """A reader's list, filtered by ?status= and ?fandom=, sorted by ?sort=."""
    owner = user_get(username)
    if not selectors.reading_list_shown_to(owner, request.user):
        raise PermissionDenied(_("This reading list is private."))
    status = request.GET.get("status") or None
    if status is not None and status not in ReadingStatus.values:
        status = None
    fandom_id = _int_or_none(request.GET.get("fandom"))
    sort = request.GET.get("sort", selectors.DEFAULT_SORT)
    if sort not in selectors.SORTS:
        sort = selectors.DEFAULT_SORT
    entries = selectors.reading_list_of(
        owner, request.user, status=status, fandom_id=fandom_id, sort=sort
    )
    page = paginate(request, entries)
    # Each entry with its work's blurb data (one fixed set of queries for the page).
    works = with_blurb_data(Work.objects.filter(pk__in=[e.work_id for e in page.object_list]))
    blurbs = {work.pk: work for work in works}
    counts = selectors.reading_list_counts(owner, request.user)
    is_owner = request.user.is_authenticated and request.user.pk == owner.pk
    # "Continue" is for the reader whose place it is.
    places = selectors.continuations(list(page.object_list)) if is_owner else {}
    query = "&".join(
        f"{name}={value}"
        for name, value in (("status", status), ("fandom", fandom_id), ("sort", sort))
        if value
    )
    return render(
        request,
        "engagement/reading_list.html",
        {
            "owner": owner,
            "page": page,
            "rows": [
                (entry, blurbs.get(entry.work_id), places.get(entry.work_id))
                for entry in page.object_list
            ],
            "statuses": [(value, label, counts[value]) for value, label in ReadingStatus.choices],
            "total": sum(counts.values()),
            "status": status,
            "fandoms": selectors.reading_list_fandoms(owner, request.user),
            "fandom_id": fandom_id,
            "sort": sort,
            "query": query,
            "is_owner": is_owner,
            "public": selectors.reading_list_is_public(owner),
        },
    )
