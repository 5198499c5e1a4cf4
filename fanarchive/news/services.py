"""Writes of the news app: the site's pages, news posts, their comments and the banner.

Staff (`selectors.is_staff`) edit pages, posts and the banner, here from the site and
from Django's admin alike, and every such change leaves an audit entry
(`core.audit_services.audit_record`) with the thing before and after. Logged-in readers
who are not suspended comment on posts whose comments are open, at most
`limits.COMMENT_RATE_COUNT` an hour; commenters delete their own comments, staff any.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fanarchive.accounts.moderators import is_suspended, suspension_message
from fanarchive.core.audit_services import audit_record
from fanarchive.core.ratelimit import rate_limit_spend
from fanarchive.core.text import TextFormat, clean_line, clean_text, html_to_text, render
from fanarchive.news import limits
from fanarchive.news.models import NewsComment, NewsPost, SiteBanner, SitePage
from fanarchive.news.selectors import BANNER_CACHE_KEY, is_staff

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser

DELETED_TEXT = gettext_lazy("(Previous comment deleted.)")


def _require_staff(user: AnyUser | None, refusal: str) -> None:
    """Refuse anyone but an administrator with `refusal`, a whole translated sentence."""
    if not is_staff(user):
        raise PermissionDenied(refusal)


def _title(title: str) -> str:
    title = clean_line(title or "").strip()
    if not title:
        raise ValidationError({"title": [_("Please give a title.")]})
    if len(title) > limits.TITLE_MAX:
        raise ValidationError(
            {
                "title": [
                    _("A title can be at most %(max)s characters long.") % {"max": limits.TITLE_MAX}
                ]
            }
        )
    return title


def _html(text: str, *, field: str, limit: int, empty: str, too_long: str) -> tuple[str, str]:
    """What was typed (control characters removed) and its sanitised HTML, or a message."""
    source = clean_text(text or "").strip()
    if len(source) > limit:
        raise ValidationError(
            {field: [too_long % {"limit": f"{limit:,}", "length": f"{len(source):,}"}]}
        )
    html = render(source, TextFormat.HTML).strip() if source else ""
    if not html_to_text(html).strip():  # nothing a reader would see (a lone script)
        raise ValidationError({field: [empty]})
    return source, html


def _titled_text(
    title: str, body: str, *, limit: int, empty: str, too_long: str
) -> tuple[str, str, str]:
    """A title and an HTML body, checked together (every problem said at once)."""
    errors: dict[str, list[str]] = {}
    try:
        title = _title(title)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        source, html = _html(body, field="body", limit=limit, empty=empty, too_long=too_long)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return title, source, html


def _page_input(title: str, body: str) -> tuple[str, str, str]:
    return _titled_text(
        title,
        body,
        limit=limits.PAGE_BODY_MAX,
        empty=_("Please write the page."),
        too_long=_("A page can be at most %(limit)s characters long; this one has %(length)s."),
    )


def _post_input(title: str, body: str) -> tuple[str, str, str]:
    return _titled_text(
        title,
        body,
        limit=limits.POST_BODY_MAX,
        empty=_("Please write the post."),
        too_long=_("A post can be at most %(limit)s characters long; this one has %(length)s."),
    )


def _banner_input(text: str, active: bool) -> tuple[str, str]:
    source = clean_text(text or "").strip()
    if len(source) > limits.BANNER_MAX:
        raise ValidationError(
            {
                "text": [
                    _(
                        "The banner can be at most %(limit)s characters long; "
                        "this one has %(length)s."
                    )
                    % {"limit": f"{limits.BANNER_MAX:,}", "length": f"{len(source):,}"}
                ]
            }
        )
    html = render(source, TextFormat.HTML).strip() if source else ""
    if active and not html_to_text(html).strip():
        raise ValidationError({"text": [_("Please write the banner before showing it.")]})
    return source, html


def site_page_check(*, title: str, body: str) -> None:
    """Raise the ValidationError `site_page_edit` would (for the admin's form)."""
    _page_input(title, body)


def news_post_check(*, title: str, body: str) -> None:
    """Raise the ValidationError `news_post_create` / `news_post_edit` would."""
    _post_input(title, body)


def banner_check(*, text: str, active: bool) -> None:
    """Raise the ValidationError `banner_set` would."""
    _banner_input(text, active)


# -- site pages --------------------------------------------------------------------


def site_page_edit(*, user: AnyUser, page: SitePage, title: str, body: str) -> SitePage:
    """Change one of the site's pages (Terms of Service, Privacy...)."""
    _require_staff(user, _("Only administrators can edit the site's pages."))
    title, source, html = _page_input(title, body)
    with transaction.atomic():
        stored = SitePage.objects.select_for_update().get(pk=page.pk)
        before = {"title": stored.title, "body": stored.source}
        stored.title, stored.source, stored.body = title, source, html
        stored.updated_by = user if user.is_authenticated else None
        stored.save()
        audit_record(
            actor=user,
            action="site_page.edit",
            target=stored,
            before=before,
            after={"title": title, "body": source},
        )
    return stored


# -- news posts --------------------------------------------------------------------


def _post_values(post: NewsPost) -> dict[str, Any]:
    return {
        "title": post.title,
        "body": post.source,
        "published_at": post.published_at,
        "comments_enabled": post.comments_enabled,
    }


def news_post_create(
    *,
    user: AnyUser,
    title: str,
    body: str,
    comments_enabled: bool = True,
    publish: bool = True,
) -> NewsPost:
    """A news post, published now or kept as a draft."""
    _require_staff(user, _("Only administrators can write news posts."))
    title, source, html = _post_input(title, body)
    with transaction.atomic():
        post = NewsPost.objects.create(
            title=title,
            source=source,
            body=html,
            author=user if user.is_authenticated else None,
            published_at=timezone.now() if publish else None,
            comments_enabled=comments_enabled,
        )
        audit_record(actor=user, action="news_post.create", target=post, after=_post_values(post))
    return post


def news_post_edit(
    *,
    user: AnyUser,
    post: NewsPost,
    title: str,
    body: str,
    comments_enabled: bool,
    publish: bool,
) -> NewsPost:
    """Change a post; publishing a draft dates it now, unpublishing makes it a draft."""
    _require_staff(user, _("Only administrators can edit news posts."))
    title, source, html = _post_input(title, body)
    with transaction.atomic():
        stored = NewsPost.objects.select_for_update().get(pk=post.pk)
        before = _post_values(stored)
        stored.title, stored.source, stored.body = title, source, html
        stored.comments_enabled = comments_enabled
        if publish and stored.published_at is None:
            stored.published_at = timezone.now()
        elif not publish:
            stored.published_at = None
        stored.save()
        audit_record(
            actor=user,
            action="news_post.edit",
            target=stored,
            before=before,
            after=_post_values(stored),
        )
    return stored


def news_post_delete(*, user: AnyUser, post: NewsPost) -> None:
    """Delete a post with its comments (the audit log keeps its title and text)."""
    _require_staff(user, _("Only administrators can delete news posts."))
    with transaction.atomic():
        audit_record(actor=user, action="news_post.delete", target=post, before=_post_values(post))
        post.delete()


# -- comments ----------------------------------------------------------------------


def news_comment_create(
    *, user: AnyUser, post: NewsPost, text: str, parent: NewsComment | None = None
) -> NewsComment:
    """A comment on a published post whose comments are open, or a reply to one of its
    comments (a reply to a reply joins the same thread: one level, as AO3's start)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("Please log in to comment."))
    if is_suspended(user):
        raise PermissionDenied(suspension_message(user))
    if post.is_draft:
        raise PermissionDenied(_("This post is not published yet."))
    if not post.comments_enabled:
        raise PermissionDenied(_("Comments on this post are closed."))
    if parent is not None:
        if parent.post_id != post.pk:
            raise ValidationError({"parent": [_("That comment is on another post.")]})
        if parent.parent_id is not None:
            parent = parent.parent
        if parent is None or parent.deleted:
            raise ValidationError({"parent": [_("That comment has been deleted.")]})
    source, html = _html(
        text,
        field="text",
        limit=limits.COMMENT_MAX,
        empty=_("Please write a comment."),
        too_long=_("A comment can be at most %(limit)s characters long; this one has %(length)s."),
    )
    wait = rate_limit_spend(
        scope="news_comment",
        key=f"user:{user.pk}",
        limit=limits.COMMENT_RATE_COUNT,
        window=limits.COMMENT_RATE_WINDOW_SECONDS,
    )
    if wait is not None:
        minutes = max(1, -(-wait // 60))
        raise ValidationError(
            {
                "text": [
                    _("You can post %(count)s comments on news posts an hour.")
                    % {"count": limits.COMMENT_RATE_COUNT}
                    + " "
                    + ngettext(
                        "Try again in %(minutes)s minute.",
                        "Try again in %(minutes)s minutes.",
                        minutes,
                    )
                    % {"minutes": minutes}
                ]
            }
        )
    return NewsComment.objects.create(post=post, user=user, parent=parent, source=source, text=html)


def may_delete_comment(user: AnyUser, comment: NewsComment) -> bool:
    return user.is_authenticated and (comment.user_id == user.pk or is_staff(user))


def news_comment_delete(*, user: AnyUser, comment: NewsComment) -> None:
    """The commenter, or staff (with an audit entry), deletes a comment: its text goes,
    and it stays as a placeholder only while replies hang from it."""
    if not may_delete_comment(user, comment):
        raise PermissionDenied(_("Only the commenter and administrators can delete a comment."))
    if comment.deleted:
        return
    with transaction.atomic():
        before = {"text": comment.source}
        NewsComment.objects.filter(pk=comment.pk).update(deleted=True, text="", source="")
        if comment.user_id != user.pk:
            audit_record(
                actor=user,
                action="news_comment.delete",
                target=comment,
                before=before,
                after={"deleted": True},
                subject=comment.user,
            )
    comment.deleted, comment.text, comment.source = True, "", ""


# -- the banner --------------------------------------------------------------------


def banner_set(*, user: AnyUser, text: str, active: bool) -> SiteBanner:
    """Change the site banner (there is one; made on first use). Every change gives it a
    new version, so readers who hid the old one see it again."""
    _require_staff(user, _("Only administrators can change the site banner."))
    source, html = _banner_input(text, active)
    with transaction.atomic():
        stored = SiteBanner.objects.select_for_update().order_by("-active", "id").first()
        if stored is None:
            stored = SiteBanner(version=0)
            before: dict[str, Any] = {}
        else:
            before = {"text": stored.source, "active": stored.active, "version": stored.version}
        # At most one active banner: any other row is switched off.
        SiteBanner.objects.exclude(pk=stored.pk).filter(active=True).update(active=False)
        stored.source, stored.text, stored.active = source, html, active
        stored.version += 1
        stored.updated_by = user if user.is_authenticated else None
        stored.save()
        audit_record(
            actor=user,
            action="banner.edit",
            target=stored,
            before=before,
            after={"text": source, "active": active, "version": stored.version},
        )
        transaction.on_commit(lambda: cache.delete(BANNER_CACHE_KEY))
    cache.delete(BANNER_CACHE_KEY)
    return stored
