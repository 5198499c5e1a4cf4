"""The front page, news posts and their comments, the site's pages and the banner. Thin
views: the rules are the services' and selectors'."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.core.views import form_error_from, posted
from fanarchive.news import limits, selectors, services
from fanarchive.news.forms import BannerForm, NewsCommentForm, NewsPostForm, SitePageForm
from fanarchive.news.models import NewsComment, NewsPost
from fanarchive.works.age_gate import age_gate_context


def _require_staff(request: HttpRequest) -> None:
    if not selectors.is_staff(request.user):
        raise PermissionDenied(_("Only administrators can do this."))


# -- the front page ----------------------------------------------------------------


def home(request: HttpRequest) -> HttpResponse:
    """What this archive is, its latest news and its most recently updated works."""
    context = {
        "posts": selectors.posts_latest(),
        "works": selectors.works_recently_updated(request.user, age_gate_context(request)),
    }
    return render(request, "news/home.html", context)


# -- site pages --------------------------------------------------------------------


def page(request: HttpRequest, slug: str) -> HttpResponse:
    site_page = selectors.site_page_get(slug)
    return render(
        request,
        "news/page.html",
        {"page": site_page, "can_edit": selectors.is_staff(request.user)},
    )


@login_required
def page_edit(request: HttpRequest, slug: str) -> HttpResponse:
    _require_staff(request)
    site_page = selectors.site_page_get(slug)
    form = SitePageForm(
        posted(request), initial={"title": site_page.title, "body": site_page.source}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.site_page_edit(
                user=request.user,
                page=site_page,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The page was saved."))
            return redirect("news:page", slug=site_page.slug)
    return render(request, "news/page_edit.html", {"page": site_page, "form": form})


# -- news posts --------------------------------------------------------------------


def post_list(request: HttpRequest) -> HttpResponse:
    posts = Paginator(selectors.posts_listed(request.user), limits.POSTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "news/post_list.html",
        {"posts": posts, "page": posts, "can_write": selectors.is_staff(request.user)},
    )


def post_detail(request: HttpRequest, post_id: int) -> HttpResponse:
    return _post_page(request, selectors.post_for(request.user, post_id))


def _post_page(
    request: HttpRequest, post: NewsPost, form: NewsCommentForm | None = None
) -> HttpResponse:
    """A post with a page of its comment threads (and a refused comment's form, with 400)."""
    threads = Paginator(selectors.comment_threads(post), limits.COMMENTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context: dict[str, Any] = {
        "post": post,
        "threads": threads,
        "page": threads,
        "form": form or NewsCommentForm(),
        "is_staff": selectors.is_staff(request.user),
        "deleted_text": services.DELETED_TEXT,
    }
    return render(request, "news/post_detail.html", context, status=400 if form else 200)


def _post_form_page(request: HttpRequest, form: NewsPostForm, *, post: Any = None) -> HttpResponse:
    return render(request, "news/post_form.html", {"form": form, "post": post})


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = NewsPostForm(posted(request), initial={"comments_enabled": True, "publish": True})
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_post_create(
                user=request.user,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                comments_enabled=form.cleaned_data["comments_enabled"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The post was saved."))
            return redirect(post)
    return _post_form_page(request, form)


@login_required
def post_edit(request: HttpRequest, post_id: int) -> HttpResponse:
    _require_staff(request)
    post = selectors.post_for(request.user, post_id)
    initial = {
        "title": post.title,
        "body": post.source,
        "comments_enabled": post.comments_enabled,
        "publish": not post.is_draft,
    }
    form = NewsPostForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            post = services.news_post_edit(
                user=request.user,
                post=post,
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                comments_enabled=form.cleaned_data["comments_enabled"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The post was saved."))
            return redirect(post)
    return _post_form_page(request, form, post=post)


@login_required
def post_delete(request: HttpRequest, post_id: int) -> HttpResponse:
    _require_staff(request)
    post = selectors.post_for(request.user, post_id)
    if request.method == "POST":
        services.news_post_delete(user=request.user, post=post)
        messages.success(request, _("The post was deleted."))
        return redirect("news:list")
    return render(request, "news/post_delete.html", {"post": post})


# -- comments ----------------------------------------------------------------------


@require_POST
@login_required
def comment_create(request: HttpRequest, post_id: int) -> HttpResponse:
    post = selectors.post_for(request.user, post_id)
    form = NewsCommentForm(request.POST)
    if form.is_valid():
        parent: NewsComment | None = None
        parent_id = form.cleaned_data.get("parent")
        if parent_id:
            parent = selectors.comment_get(parent_id)
        try:
            comment = services.news_comment_create(
                user=request.user, post=post, text=form.cleaned_data["text"], parent=parent
            )
        except ValidationError as error:
            # The parent is a hidden field: its message goes above the form.
            for field, problems in error.message_dict.items():
                form.add_error(field if field == "text" else None, problems)
        else:
            messages.success(request, _("Your comment was posted."))
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    return _post_page(request, post, form=form)


@require_POST
@login_required
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = selectors.comment_get(comment_id)
    post = selectors.post_for(request.user, comment.post_id)
    services.news_comment_delete(user=request.user, comment=comment)
    messages.success(request, _("The comment was deleted."))
    return redirect(f"{post.get_absolute_url()}#comments")


# -- the banner --------------------------------------------------------------------


@login_required
def banner_edit(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    stored = selectors.banner_stored()
    initial = {"text": stored.source, "active": stored.active} if stored else {}
    form = BannerForm(posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.banner_set(
                user=request.user,
                text=form.cleaned_data["text"],
                active=form.cleaned_data["active"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _("The banner was saved."))
            return redirect("news:banner_edit")
    return render(request, "news/banner_edit.html", {"form": form, "banner": stored})


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("news:home")


@require_POST
def banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the banner in this browser (the session keeps which version was hidden)."""
    banner = selectors.banner_active()
    # Only the version the reader saw is hidden: if it changed since, the new one stays.
    if banner is not None and request.POST.get("banner", "") == banner.key:
        request.session[selectors.BANNER_DISMISSED_KEY] = banner.key
    return redirect(_safe_next(request))
