"""Pages of bookmarks, subscriptions, the inbox and reading history. Thin: parse, call one
service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import own_account
from fanarchive.core.views import authenticated_user, form_error_from, paginate, posted
from fanarchive.engagement import (
    bookmark_selectors,
    bookmark_services,
    comment_pages,
    history_services,
    inbox_selectors,
    notices,
    subscription_services,
)
from fanarchive.engagement.models import Bookmark, Subscription
from fanarchive.engagement.social_forms import BookmarkForm
from fanarchive.works.age_gate import age_gate_context
from fanarchive.works.models import Series, Work
from fanarchive.works.selectors import access_work, with_blurb_data
from fanarchive.works.series_selectors import series_get


def _next(request: HttpRequest, default: str) -> str:
    """Where to go back to: the form's local `next`, else `default`."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _ids(request: HttpRequest, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


# -- bookmarks -------------------------------------------------------------------------------


def _bookmark_target(request: HttpRequest) -> tuple[Work | None, Series | None]:
    source = request.POST if request.method == "POST" else request.GET
    work_id, series_id = source.get("work", ""), source.get("series", "")
    if work_id.isdigit():
        return access_work(request.user, int(work_id)), None
    if series_id.isdigit():
        return None, series_get(request.user, int(series_id))
    raise Http404(_("Bookmark what?"))


@login_required
def bookmark_new(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    work, series = _bookmark_target(request)
    existing = bookmark_selectors.bookmark_of(
        user, work=work, series_id=series.pk if series else None
    )
    if existing is not None:
        return redirect("social:bookmark_edit", existing.pk)
    form = BookmarkForm(posted(request), user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bookmark_services.bookmark_create(
                user=user,
                pseud=data["pseud"],
                work=work,
                series=series,
                notes=data["notes"],
                tags=form.tag_names(),
                private=data["private"],
                rec=data["rec"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Bookmarked."))
            return redirect("social:user_bookmarks", user.username)
    return render(
        request,
        "engagement/bookmark_form.html",
        {"form": form, "work": work, "series": series, "bookmark": None},
    )


def _own_bookmark(request: HttpRequest, bookmark_id: int) -> Bookmark:
    bookmark = get_object_or_404(Bookmark.objects.select_related("work", "series"), pk=bookmark_id)
    if bookmark.user_id != request.user.pk:
        raise PermissionDenied(_("This is not your bookmark."))
    return bookmark


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    user = authenticated_user(request)
    bookmark = _own_bookmark(request, bookmark_id)
    initial = {
        "pseud": bookmark.pseud,
        "notes": bookmark.notes,
        "tags": ", ".join(tag.name for tag in bookmark.tags.order_by("name")),
        "rec": bookmark.rec,
        "private": bookmark.private,
    }
    form = BookmarkForm(posted(request), user=user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bookmark_services.bookmark_update(
                user=user,
                bookmark=bookmark,
                pseud=data["pseud"],
                notes=data["notes"],
                tags=form.tag_names(),
                private=data["private"],
                rec=data["rec"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Your bookmark was saved."))
            return redirect("social:user_bookmarks", user.username)
    return render(
        request,
        "engagement/bookmark_form.html",
        {"form": form, "work": bookmark.work, "series": bookmark.series, "bookmark": bookmark},
    )


@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    """GET asks (the bookmark's notes and tags go with it); POST deletes."""
    user = authenticated_user(request)
    bookmark = _own_bookmark(request, bookmark_id)
    if request.method != "POST":
        next_url = _next(request, f"/users/{user.username}/bookmarks/")
        return render(
            request, "engagement/bookmark_delete.html", {"bookmark": bookmark, "next": next_url}
        )
    bookmark_services.bookmark_delete(user=user, bookmark=bookmark)
    messages.success(request, _("Your bookmark was deleted."))
    return redirect(_next(request, f"/users/{user.username}/bookmarks/"))


def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    work = access_work(request.user, work_id)
    if not work.posted or work.hidden_by_admin:
        raise Http404(_("This work has no bookmarks to show."))
    page = paginate(request, bookmark_selectors.bookmarks_of_work(request.user, work))
    return render(request, "engagement/work_bookmarks.html", {"work": work, "page": page})


# -- subscriptions ------------------------------------------------------------------------------


@login_required
@require_POST
def subscribe(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    kind = request.POST.get("kind", "")
    target = request.POST.get("id", "")
    if not target.isdigit() or kind not in {"work", "creator", "series"}:
        raise Http404(_("Subscribe to what?"))
    try:
        if kind == "work":
            work = access_work(user, int(target))
            subscription_services.subscription_create(user=user, work=work)
            default = work.get_absolute_url()
        elif kind == "creator":
            creator = get_object_or_404(User, pk=int(target), is_active=True)
            subscription_services.subscription_create(user=user, creator=creator)
            default = creator.get_absolute_url()
        else:
            series = series_get(user, int(target))
            subscription_services.subscription_create(user=user, series=series)
            default = series.get_absolute_url()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(_next(request, "/"))
    messages.success(request, _("You are subscribed."))
    return redirect(_next(request, default))


@login_required
@require_POST
def unsubscribe(request: HttpRequest, subscription_id: int) -> HttpResponse:
    user = authenticated_user(request)
    subscription = get_object_or_404(Subscription, pk=subscription_id, user=user)
    subscription_services.subscription_delete(user=user, subscription=subscription)
    messages.success(request, _("You are unsubscribed."))
    return redirect(_next(request, f"/users/{user.username}/subscriptions/"))


@login_required
def user_subscriptions(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    subscriptions = inbox_selectors.subscriptions_of(owner)
    return render(
        request,
        "engagement/subscriptions.html",
        {"owner": owner, "subscriptions": subscriptions, "is_owner": True},
    )


# -- the inbox ---------------------------------------------------------------------------------


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    show = request.GET.get("show", "all")
    if show not in inbox_selectors.INBOX_FILTERS:
        show = "all"
    page = paginate(request, inbox_selectors.inbox_of(user, show=show))
    comment_texts = inbox_selectors.notice_comment_texts(
        page.object_list, reader=age_gate_context(request)
    )
    return render(
        request,
        "engagement/inbox.html",
        {
            "page": page,
            "show": show,
            "filters": inbox_selectors.INBOX_FILTERS,
            # Each notice with the text of the comment it is about, if the reader may see it.
            "rows": [(notice, comment_texts.get(notice.comment_id)) for notice in page.object_list],
        },
    )


@login_required
@require_POST
def inbox_update(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    action = request.POST.get("action", "")
    ids = _ids(request, "notices")
    if action not in {"read", "unread", "delete"}:
        messages.error(request, _("Choose what to do with the notices."))
    elif not ids:
        messages.error(request, _("Tick at least one notice."))
    elif action == "delete":
        count = notices.notices_delete(user=user, notice_ids=ids)
        messages.success(
            request,
            ngettext("Deleted %(count)s notice.", "Deleted %(count)s notices.", count)
            % {"count": count},
        )
    else:
        count = notices.notices_mark(user=user, notice_ids=ids, read=action == "read")
        if action == "read":
            text = ngettext(
                "Marked %(count)s notice read.", "Marked %(count)s notices read.", count
            )
        else:
            text = ngettext(
                "Marked %(count)s notice unread.", "Marked %(count)s notices unread.", count
            )
        messages.success(request, text % {"count": count})
    return redirect(_next(request, "/inbox/"))


@login_required
def inbox_open(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Follow a notice's link, marking it read."""
    user = authenticated_user(request)
    notice = get_object_or_404(inbox_selectors.inbox_of(user), pk=notice_id)
    notices.notices_mark(user=user, notice_ids=[notice.pk], read=True)
    # A comment's own address finds the page that shows it now (threads are paged), even
    # for a notice stored with the chapter's address.
    if notice.comment_id is not None and comment_pages.comment_exists(notice.comment_id):
        return redirect(comment_pages.comment_link(notice.comment_id))
    return redirect(notice.url or "/inbox/")


# -- reading history ---------------------------------------------------------------------------


@login_required
def user_history(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    later = request.GET.get("show") == "later"
    page = paginate(request, inbox_selectors.history_of(owner, marked_only=later))
    # Each entry with its work's blurb data (one fixed set of queries for the page).
    works = with_blurb_data(Work.objects.filter(pk__in=[e.work_id for e in page.object_list]))
    blurbs = {work.pk: work for work in works}
    return render(
        request,
        "engagement/history.html",
        {
            "owner": owner,
            "page": page,
            "rows": [(entry, blurbs.get(entry.work_id)) for entry in page.object_list],
            "later": later,
            "keeps_history": history_services.keeps_history(owner),
            "is_owner": True,
        },
    )


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    user = authenticated_user(request)
    work = access_work(user, work_id)
    marked = request.POST.get("marked") != "false"
    try:
        history_services.history_mark_for_later(user=user, work=work, marked=marked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Marked for later.") if marked else _("No longer marked for later.")
        )
    return redirect(_next(request, work.get_absolute_url()))


@login_required
@require_POST
def history_clear(request: HttpRequest) -> HttpResponse:
    user = authenticated_user(request)
    history_services.history_clear(user=user)
    messages.success(request, _("Your reading history was cleared."))
    return redirect("social:user_history", user.username)


@login_required
@require_POST
def history_remove(request: HttpRequest, work_id: int) -> HttpResponse:
    user = authenticated_user(request)
    history_services.history_remove(user=user, work_id=work_id)
    messages.success(request, _("Removed from your history."))
    return redirect(_next(request, f"/users/{user.username}/history/"))
