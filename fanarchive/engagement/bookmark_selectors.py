"""Reads of bookmarks. Only bookmarks of what the viewer may see are ever listed: drafts
and hidden works never, restricted works only to logged-in users (as the work page)."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import is_moderator
from fanarchive.engagement.models import Bookmark
from fanarchive.engagement.work_counts import count_by_work
from fanarchive.works.models import Creatorship, SeriesWork, Work
from fanarchive.works.selectors import anonymous_works_q

AnyUser = User | AnonymousUser


def bookmark_counts(work_ids: Iterable[int]) -> dict[int, int]:
    """Public bookmarks per work (works with none may be missing; for many ids, works
    between them may be present: `work_counts`)."""
    ids = sorted(set(work_ids))
    if not ids:
        return {}
    return count_by_work(Bookmark.objects.order_by().filter(private=False), ids)


def not_naming_anonymous_creators_q(viewer: AnyUser) -> Q:
    """Bookmarks that do not give away who wrote an anonymous work: a creator's own
    bookmark of it (as in an exchange, before the author reveal) shows only to that
    creator and to moderators, as its byline does (`works.selectors.byline_for`)."""
    if is_moderator(viewer):
        return Q()
    by_its_creator = Exists(
        Creatorship.objects.filter(work_id=OuterRef("work_id"), pseud__user_id=OuterRef("user_id"))
    )
    shown = ~(Q(by_its_creator) & anonymous_works_q("work__"))
    return shown | Q(user_id=viewer.pk) if viewer.is_authenticated else shown


def _visible(viewer: AnyUser) -> Q:
    """Bookmarks whose work or series `viewer` may see (and that name no anonymous work's
    creator)."""
    visible_works = Work.objects.visible_to(viewer).values("id")
    series_with_visible = SeriesWork.objects.filter(work__in=visible_works).values("series_id")
    listed = Q(work__in=visible_works) | Q(series__in=series_with_visible)
    return listed & not_naming_anonymous_creators_q(viewer)


def _listing(bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
    return bookmarks.select_related("pseud", "pseud__user", "work", "series").prefetch_related(
        "tags"
    )


def bookmarks_of_user(viewer: AnyUser, owner: User) -> QuerySet[Bookmark]:
    """`owner`'s bookmarks as `viewer` sees them: private ones only for the owner."""
    bookmarks = Bookmark.objects.filter(user=owner).filter(_visible(viewer))
    if not (viewer.is_authenticated and viewer.pk == owner.pk):
        bookmarks = bookmarks.filter(private=False)
    return _listing(bookmarks.order_by("-created_at", "-id"))


def bookmarks_of_work(viewer: AnyUser, work: Work) -> QuerySet[Bookmark]:
    """The public bookmarks of a work the viewer may open (the caller checked that);
    none of drafts and hidden works, even for their creators."""
    if not work.posted or work.hidden_by_admin:
        return Bookmark.objects.none()
    bookmarks = Bookmark.objects.filter(not_naming_anonymous_creators_q(viewer), work=work)
    return _listing(bookmarks.filter(private=False).order_by("-created_at"))


def bookmark_for(viewer: AnyUser, bookmark_id: int) -> Bookmark:
    """A bookmark of a work or series `viewer` may see, public or their own (as the
    listings show them); any other is a 404, as if it did not exist."""
    from django.http import Http404

    bookmarks = Bookmark.objects.filter(pk=bookmark_id).filter(_visible(viewer))
    if not viewer.is_authenticated:
        bookmarks = bookmarks.filter(private=False)
    else:
        bookmarks = bookmarks.filter(Q(private=False) | Q(user_id=viewer.pk))
    bookmark = _listing(bookmarks).first()
    if bookmark is None:
        raise Http404(gettext("No such bookmark."))
    return bookmark


def bookmark_of(
    user: AnyUser, *, work: Work | None = None, series_id: int | None = None
) -> Bookmark | None:
    """`user`'s own bookmark of this work or series, or None."""
    if not user.is_authenticated:
        return None
    if work is not None:
        return Bookmark.objects.filter(user=user, work=work).first()
    if series_id is None:
        return None
    return Bookmark.objects.filter(user=user, series_id=series_id).first()
