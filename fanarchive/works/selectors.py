"""Reads of works and chapters, with visibility applied."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404

from fanarchive.core.errors import LoginRequired
from fanarchive.tags.fixed import ADULT_RATINGS
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Creatorship, Work, WorkQuerySet, WorkTag

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser


def is_creator(user: AnyUser, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return work.creatorships.filter(pseud__user=user).exists()


def access_work(user: AnyUser, work_id: int) -> Work:
    """The work, if `user` may open it; otherwise the right refusal.

    Unknown works and others' drafts are 404 (a draft's existence is private);
    works hidden by an admin are 403; restricted works send guests to log in.
    """
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404("No such work.")
    if is_creator(user, work):
        return work
    if not work.posted:
        raise Http404("No such work.")
    if work.hidden_by_admin:
        raise PermissionDenied("This work has been hidden by an administrator.")
    if work.restricted and not user.is_authenticated:
        raise LoginRequired("This work is only for registered users of the archive.")
    return work


def readable_chapters(user: AnyUser, work: Work) -> list[Chapter]:
    """The chapters `user` may read: creators see draft chapters too."""
    chapters = work.chapters.order_by("position")
    if not is_creator(user, work):
        chapters = chapters.filter(posted=True)
    return list(chapters)


def with_blurb_data(works: WorkQuerySet) -> WorkQuerySet:
    """Prefetch what a blurb or meta block shows, so a page of works costs a fixed few queries."""
    return works.prefetch_related(
        Prefetch("work_tags", queryset=WorkTag.objects.select_related("tag")),
        Prefetch(
            "creatorships", queryset=Creatorship.objects.select_related("pseud", "pseud__user")
        ),
    )


def listed_works(user: AnyUser) -> WorkQuerySet:
    """Works for listings, newest update first."""
    return with_blurb_data(Work.objects.visible_to(user)).order_by("-revised_at", "-id")


def works_by_user_for(viewer: AnyUser, owner: User) -> WorkQuerySet:
    return listed_works(viewer).filter(id__in=Work.objects.by_user(owner).values("id"))


def drafts_of(user: User) -> WorkQuerySet:
    return with_blurb_data(Work.objects.by_user(user).filter(posted=False)).order_by("-updated_at")


def is_adult(work: Work) -> bool:
    return any(tag.name in ADULT_RATINGS for tag in work.tags_of(TagType.RATING))


def needs_adult_consent(*, user: AnyUser, work: Work, session_consented: bool) -> bool:
    """Whether to show the adult-content interstitial before this work (shared REFERENCE).

    Shown for Not Rated, Mature and Explicit; skipped for the work's creators,
    for accounts whose preference says so, and once the reader said "Yes,
    continue" in this browser session.
    """
    if not is_adult(work) or session_consented:
        return False
    if user.is_authenticated:
        preference = getattr(user, "preference", None)
        if preference is not None and preference.view_adult:
            return False
        if is_creator(user, work):
            return False
    return True
