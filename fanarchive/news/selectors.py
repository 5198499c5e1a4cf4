"""Reads of the news app: the site's pages, news posts and their comments, the banner
(from the cache) and the front page's works (the works listing's own selector)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from fanarchive.discovery import selectors as discovery_selectors
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.news import limits
from fanarchive.news.models import NewsComment, NewsPost, SiteBanner, SitePage
from fanarchive.works.age_gate import AgeGateContext

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User
    from fanarchive.works.models import Work

    AnyUser = User | AnonymousUser

# The active banner as plain data ({} for none), so pages never query its table.
BANNER_CACHE_KEY = "news:banner:v1"
BANNER_CACHE_SECONDS = 24 * 3600
# The session key of the banner a browser hid: "<id>:<version>".
BANNER_DISMISSED_KEY = "news_banner_dismissed"


def is_staff(user: AnyUser | None) -> bool:
    """Who writes news, the site's pages and the banner: staff and superusers."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (user.is_staff or user.is_superuser)
    )


# -- site pages --------------------------------------------------------------------


def site_page_get(slug: str) -> SitePage:
    try:
        return SitePage.objects.select_related("updated_by").get(slug=slug)
    except SitePage.DoesNotExist:
        raise Http404(_("No such page.")) from None


# -- news posts --------------------------------------------------------------------


def _with_comment_counts(posts: QuerySet[NewsPost]) -> QuerySet[NewsPost]:
    return posts.select_related("author").annotate(
        comment_count=Count("comments", filter=Q(comments__deleted=False))
    )


def posts_listed(viewer: AnyUser) -> QuerySet[NewsPost]:
    """Published posts newest first; staff see drafts too (at the top)."""
    posts = NewsPost.objects.all()
    if not is_staff(viewer):
        posts = posts.filter(published_at__isnull=False, published_at__lte=timezone.now())
    return _with_comment_counts(posts).order_by(F("published_at").desc(nulls_first=True), "-id")


def posts_latest(count: int = limits.FRONT_PAGE_POSTS) -> list[NewsPost]:
    """The newest published posts, with their comment counts (the front page)."""
    published = NewsPost.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    )
    return list(_with_comment_counts(published).order_by("-published_at", "-id")[:count])


def posts_for_feed(count: int = limits.FEED_SIZE) -> list[NewsPost]:
    published = NewsPost.objects.filter(
        published_at__isnull=False, published_at__lte=timezone.now()
    )
    return list(published.select_related("author").order_by("-published_at", "-id")[:count])


def post_for(viewer: AnyUser, post_id: int) -> NewsPost:
    """One post; a draft exists only for staff (404 otherwise)."""
    post = _with_comment_counts(NewsPost.objects.filter(pk=post_id)).first()
    if post is None or (post.is_draft and not is_staff(viewer)):
        raise Http404(_("No such news post."))
    return post


def comment_threads(post: NewsPost) -> QuerySet[NewsComment]:
    """A post's top-level comments, oldest first, each with its replies. A deleted
    comment stays only while it has replies that are not deleted."""
    replies = NewsComment.objects.filter(deleted=False).select_related("user")
    return (
        NewsComment.objects.filter(post=post, parent__isnull=True)
        .filter(Q(deleted=False) | Q(replies__deleted=False))
        .distinct()
        .select_related("user")
        .prefetch_related(Prefetch("replies", queryset=replies))
        .order_by("created_at", "id")
    )


def comment_get(comment_id: int) -> NewsComment:
    try:
        return NewsComment.objects.select_related("post", "user").get(pk=comment_id)
    except NewsComment.DoesNotExist:
        raise Http404(_("No such comment.")) from None


# -- the banner --------------------------------------------------------------------


@dataclass(frozen=True)
class Banner:
    id: int
    version: int
    text: str

    @property
    def key(self) -> str:
        return f"{self.id}:{self.version}"


def banner_stored() -> SiteBanner | None:
    """The banner row staff edit (there is at most one), active or not."""
    return SiteBanner.objects.order_by("-active", "id").first()


def banner_active() -> Banner | None:
    """The active banner, from the cache (one key; `services.banner_set` refreshes it)."""
    cached = cache.get(BANNER_CACHE_KEY)
    if cached is None:
        row = SiteBanner.objects.filter(active=True).first()
        cached = {"id": row.pk, "version": row.version, "text": row.text} if row else {}
        cache.set(BANNER_CACHE_KEY, cached, BANNER_CACHE_SECONDS)
    if not cached:
        return None
    return Banner(id=cached["id"], version=cached["version"], text=cached["text"])


def banner_shown(banner: Banner | None, dismissed: object) -> Banner | None:
    """The banner unless this browser hid this very version of it."""
    if banner is None or dismissed == banner.key:
        return None
    return banner


# -- the front page ----------------------------------------------------------------


def works_recently_updated(
    viewer: AnyUser, reader: AgeGateContext, count: int = limits.FRONT_PAGE_WORKS
) -> list[Work]:
    """The works listing's first page (/works/ unfiltered: newest updates first), through
    the same selector, so drafts, hidden and restricted works and the viewer's mutes are
    treated exactly as there."""
    listing = discovery_selectors.works_find(
        viewer=discovery_selectors.viewer_for(viewer),
        spec=Filter(),
        page=1,
        per_page=count,
        facets=False,
        reader=reader,
        passages=False,
    )
    return listing.works
