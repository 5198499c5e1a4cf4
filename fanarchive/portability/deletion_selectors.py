"""What deleting an account would take or leave: the counts its confirmation page shows."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from fanarchive.accounts.models import User
from fanarchive.collections.selectors import collections_owned_alone
from fanarchive.engagement.models import Bookmark, Comment
from fanarchive.news.models import NewsComment
from fanarchive.works.models import Creatorship, Work, WorkQuerySet


@dataclass(frozen=True)
class DeletionSummary:
    works: int  # posted works only theirs: orphaned or deleted, as they choose
    drafts: int  # drafts only theirs: always deleted (nobody could post them)
    shared: int  # co-created works: they stay with the other creators
    comments: int  # comments on works and on news posts
    bookmarks: int
    # Collections only they own: each passes to its longest-standing moderator or member.
    collections_owned: tuple[str, ...] = ()


def _with_others(user: User) -> WorkQuerySet:
    """`user`'s works that have a creator who is someone else."""
    others = Creatorship.objects.filter(work=OuterRef("pk")).exclude(pseud__user=user)
    return Work.objects.by_user(user).filter(Exists(others))


def shared_works(user: User) -> WorkQuerySet:
    return _with_others(user)


def own_works(user: User) -> WorkQuerySet:
    """`user`'s works with no other creator (posted and drafts)."""
    return Work.objects.by_user(user).exclude(pk__in=_with_others(user).values("pk"))


def deletion_summary(user: User) -> DeletionSummary:
    own = own_works(user)
    return DeletionSummary(
        works=own.filter(posted=True).count(),
        drafts=own.filter(posted=False).count(),
        shared=shared_works(user).count(),
        comments=Comment.objects.filter(user=user, deleted=False).count()
        + NewsComment.objects.filter(user=user, deleted=False).count(),
        bookmarks=Bookmark.objects.filter(user=user).count(),
        collections_owned=tuple(collections_owned_alone(user).values_list("title", flat=True)),
    )
