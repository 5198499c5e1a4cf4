"""Kudos, comments and blocks. Thin: parse, call one service or selector, answer."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts import block_services
from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.selectors import blocks_of, own_account, user_get
from fanarchive.core.views import authenticated_user, form_error_from, posted, site_url
from fanarchive.engagement import comment_pages, comment_services, kudos_services, selectors
from fanarchive.engagement.forms import CommentEditForm, CommentForm
from fanarchive.engagement.models import Comment, CommentState
from fanarchive.engagement.permissions import work_permissions
from fanarchive.engagement.visitors import guest_key
from fanarchive.works.models import Work
from fanarchive.works.selectors import access_work, is_creator, readable_chapters
from fanarchive.works.views import adult_gate


def _viewer(request: HttpRequest) -> User | None:
    return authenticated_user(request) if request.user.is_authenticated else None


def _wants_fragment(request: HttpRequest) -> bool:
    """static/js/kudos.js asks for the kudos block as an HTML fragment."""
    return request.headers.get("X-Requested-With") == "fetch"


def _next_or(request: HttpRequest, default: str) -> str:
    """The `next` field when it is a local path, else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default


# -- kudos -----------------------------------------------------------------------------


@require_POST
def kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    """Leave kudos: a plain form post (redirect back), or from kudos.js (an HTML fragment)."""
    work = access_work(request.user, work_id)
    error = ""
    try:
        kudos_services.kudos_give(
            work=work,
            user=_viewer(request),
            guest_key=guest_key(request),
            site_url=site_url(request),
        )
    except ValidationError as problem:
        error = " ".join(problem.messages)
    if _wants_fragment(request):
        html = render_to_string(
            "engagement/_kudos_list.html",
            {"work": work, "kudos": selectors.kudos_list(work), "kudos_message": error},
            request=request,
        )
        return HttpResponse(html, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Thank you for leaving kudos!"))
    return redirect(_next_or(request, work.get_absolute_url()) + "#kudos")


# -- comments --------------------------------------------------------------------------


def _comment(request: HttpRequest, comment_id: int) -> Comment:
    """A comment on a work the viewer may open, that the viewer may see."""
    return selectors.comment_for(request.user, comment_id)


def _comment_url(request: HttpRequest, comment: Comment, *, full_work: bool = False) -> str:
    """The page that shows `comment` to this viewer, with its anchor; `full_work`: in the
    entire work's view, where the reader posted from it."""
    work = comment.work
    return comment_pages.comment_location(
        request.user,
        comment,
        is_creator=is_creator(request.user, work),
        chapters=readable_chapters(request.user, work) if full_work else None,
        work=work if full_work else None,
    )


def _post_comment(
    request: HttpRequest, form: CommentForm, *, work: Work, chapter_id: int, parent: Comment | None
) -> Comment | None:
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404(_("No such chapter in this work."))
    user = _viewer(request)
    pseud = None
    if user is not None and form.cleaned_data.get("pseud"):
        pseud = Pseud.objects.filter(pk=form.cleaned_data["pseud"], user=user).first()
    try:
        comment = comment_services.comment_create(
            chapter=chapter,
            user=user,
            text=form.cleaned_data["text"],
            pseud=pseud,
            guest_name=form.cleaned_data.get("name") or "",
            guest_email=form.cleaned_data.get("email") or "",
            guest_key=guest_key(request) if user is None else "",
            parent=parent,
            site_url=site_url(request),
        )
    except ValidationError as error:
        form_error_from(form, error)
        return None
    if comment.state == CommentState.HELD:
        messages.success(
            request,
            _("Your comment is held for moderation. It will appear once a moderator approves it."),
        )
    elif comment.state == CommentState.PENDING:
        messages.success(
            request, _("Your comment was received. It will appear once the creator approves it.")
        )
    else:
        messages.success(request, _("Comment created!"))
    return comment


def comment_new(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """A new comment on a chapter. Errors are shown on a page of their own with the form."""
    work = access_work(request.user, work_id)
    form = CommentForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        comment = _post_comment(request, form, work=work, chapter_id=chapter_id, parent=None)
        if comment is not None:
            full_work = request.POST.get("view_full_work") == "true"
            return redirect(_next_or(request, _comment_url(request, comment, full_work=full_work)))
    chapter = get_object_or_404(work.chapters, pk=chapter_id, posted=True)
    return render(
        request,
        "engagement/comment_form.html",
        {"work": work, "chapter": chapter, "form": form, "parent": None},
    )


def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Reply to a comment: POST `text` (and `name` for guests), optional `next`."""
    parent = _comment(request, comment_id)
    form = CommentForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        comment = _post_comment(
            request, form, work=parent.work, chapter_id=parent.chapter_id, parent=parent
        )
        if comment is not None:
            return redirect(_next_or(request, _comment_url(request, comment)))
    return render(
        request,
        "engagement/comment_form.html",
        {"work": parent.work, "chapter": parent.chapter, "form": form, "parent": parent},
    )


def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's own address (mail and the inbox link to it): the page that shows it."""
    comment = _comment(request, comment_id)
    return redirect(_comment_url(request, comment))


def comment_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """The "Continue this thread" page: a comment and the replies below it, where a reading
    page cut the thread. Comments are the work's words: the adult-content gate first."""
    comment = _comment(request, comment_id)
    work = comment.work
    gate = adult_gate(request, work)
    if gate:
        return gate
    creator = is_creator(request.user, work)
    return render(
        request,
        "engagement/comment_thread.html",
        {
            "work": work,
            "chapter": comment.chapter,
            "node": comment_pages.thread_of(request.user, comment, is_creator=creator),
            "is_creator": creator,
            "may_comment": work_permissions(request.user, work).may_comment,
            "parent_url": _comment_url(request, comment.parent) if comment.parent else "",
        },
    )


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    user = authenticated_user(request)
    if comment.user_id != user.pk:
        raise PermissionDenied(_("Only the person who wrote this comment can edit it."))
    form = CommentEditForm(posted(request), initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment_services.comment_update(
                user=user, comment=comment, text=form.cleaned_data["text"]
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("Comment was successfully updated."))
            return redirect(_comment_url(request, comment))
    return render(request, "engagement/comment_edit.html", {"comment": comment, "form": form})


@login_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _comment(request, comment_id)
    user = authenticated_user(request)
    if comment.user_id != user.pk and not is_creator(user, comment.work):
        raise PermissionDenied(_("Only the comment's author or the work's creators can delete it."))
    if request.method == "POST":
        # Back where it was: the reply's parent, or the page its thread was on.
        if comment.parent is not None:
            back = _comment_url(request, comment.parent)
        else:
            back = _comment_url(request, comment).split("#")[0] + "#comments"
        comment_services.comment_delete(user=user, comment=comment)
        messages.success(request, _("Comment deleted."))
        return redirect(_next_or(request, back))
    return render(request, "engagement/comment_delete.html", {"comment": comment})


@login_required
@require_POST
def comment_moderate(request: HttpRequest, comment_id: int, action: str) -> HttpResponse:
    """A creator approves a held comment, or freezes or unfreezes a thread."""
    comment = _comment(request, comment_id)
    user = authenticated_user(request)
    if action == "approve":
        comment_services.comment_approve(user=user, comment=comment, site_url=site_url(request))
        messages.success(request, _("Comment approved."))
    elif action == "freeze":
        comment_services.comment_freeze(user=user, comment=comment)
        messages.success(request, _("Comment thread frozen."))
    else:
        comment_services.comment_unfreeze(user=user, comment=comment)
        messages.success(request, _("Comment thread unfrozen."))
    return redirect(_next_or(request, _comment_url(request, comment)))


@login_required
def comments_pending(request: HttpRequest, work_id: int) -> HttpResponse:
    """The creators' moderation queue of one work."""
    work = access_work(request.user, work_id)
    if not is_creator(request.user, work):
        raise PermissionDenied(_("Only the creators of this work can moderate its comments."))
    return render(
        request,
        "engagement/comments_pending.html",
        {"work": work, "comments": selectors.pending_comments(work)},
    )


# -- blocks ----------------------------------------------------------------------------


@login_required
@require_POST
def block(request: HttpRequest, username: str) -> HttpResponse:
    user = authenticated_user(request)
    blocked = user_get(username)
    try:
        block_services.block_create(user=user, blocked=blocked)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "You have blocked %(username)s. They can no longer comment on, leave kudos on or "
                "give gifts to your works."
            )
            % {"username": blocked.username},
        )
    return redirect(_next_or(request, blocked.get_absolute_url()))


@login_required
@require_POST
def unblock(request: HttpRequest, username: str) -> HttpResponse:
    user = authenticated_user(request)
    blocked = user_get(username)
    block_services.block_delete(user=user, blocked=blocked)
    messages.success(
        request, _("You have unblocked %(username)s.") % {"username": blocked.username}
    )
    return redirect(_next_or(request, blocked.get_absolute_url()))


@login_required
def blocks(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    return render(
        request,
        "engagement/blocks.html",
        {
            "owner": owner,
            "is_owner": True,
            "blocks": blocks_of(owner),
            "blocks_url": reverse("engagement:blocks", args=[owner.username]),
        },
    )
