"""Reads of the engagement app."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext, gettext_lazy

from fanarchive.accounts.models import Block, User
from fanarchive.accounts.moderators import is_moderator
from fanarchive.engagement.models import Comment, CommentState, Kudos
from fanarchive.works.selectors import access_work, is_creator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.works.models import Chapter, Work

    AnyUser = User | AnonymousUser


def blocked_by_creator(work: Work, user: User) -> bool:
    """Whether any creator of `work` has blocked `user`."""
    return Block.objects.filter(blocked=user, blocker__pseuds__creatorships__work=work).exists()


def creator_users(work: Work) -> list[User]:
    return list(User.objects.filter(pseuds__creatorships__work=work).distinct())


# -- who a comment is by ---------------------------------------------------------------

ANONYMOUS_CREATOR = gettext_lazy("Anonymous creator")


def anonymous_creator_ids(work: Work) -> frozenset[int]:
    """The accounts whose comments on `work` are signed "Anonymous creator": the creators
    of an anonymous work (their pseuds would name them). Read once per work instance."""
    if not (work.anonymous or work.anonymous_by_collection):
        return frozenset()
    cached: frozenset[int] | None = getattr(work, "_anonymous_creator_ids", None)
    if cached is None:
        cached = frozenset(work.creatorships.values_list("pseud__user_id", flat=True))
        work._anonymous_creator_ids = cached  # type: ignore[attr-defined]
    return cached


def by_anonymous_creator(comment: Comment) -> bool:
    """Whether `comment` is by a creator of the anonymous work it is on."""
    return comment.user_id is not None and comment.user_id in anonymous_creator_ids(comment.work)


def commenter_name(comment: Comment) -> str:
    """The name a comment is signed with, for everyone (pages, notices, the API)."""
    return str(ANONYMOUS_CREATOR) if by_anonymous_creator(comment) else comment.author_name


# -- kudos -----------------------------------------------------------------------------


@dataclass
class KudosList:
    """Who left kudos, as AO3 lists it: account names, then "and N guests"."""

    users: list[User]
    guests: int

    @property
    def total(self) -> int:
        return len(self.users) + self.guests


def kudos_list(work: Work) -> KudosList:
    rows = list(Kudos.objects.filter(work=work).select_related("user").order_by("-created_at"))
    return KudosList(
        users=[row.user for row in rows if row.user is not None],
        guests=sum(1 for row in rows if row.user is None),
    )


def has_given_kudos(work: Work, *, user: AnyUser, guest_key: str) -> bool:
    if user.is_authenticated:
        return Kudos.objects.filter(work=work, user_id=user.pk).exists()
    return Kudos.objects.filter(work=work, guest_key=guest_key).exists()


def guest_gave_kudos(work_id: int, guest_key: str) -> bool:
    """Whether the guest of `guest_key` left kudos on the work (its page says so). Asked by
    every guest's work page served from the page cache: plain SQL, as the ORM's compiling
    the query took longer than the rest of serving the page."""
    table = connection.ops.quote_name(Kudos._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {table} WHERE work_id = %s AND guest_key = %s LIMIT 1",  # noqa: S608 - a model's table name
            [work_id, guest_key],
        )
        return cursor.fetchone() is not None


# -- comments --------------------------------------------------------------------------


@dataclass
class CommentNode:
    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    # Comments below this one that a page leaves for its "Continue this thread" page
    # (`comment_pages`).
    hidden: int = 0


def visible_comments_q(viewer: AnyUser, *, is_creator: bool) -> Q:
    """Published comments, plus pending ones for the work's creators and for their authors.

    A comment hidden by a moderator, or held by the spam rules, is shown to its author
    (with the reason) and to moderators only, never to the work's creators or other readers.
    """
    if is_moderator(viewer):
        return Q()
    shown = (
        Q(state__in=[CommentState.PUBLISHED, CommentState.PENDING])
        if is_creator
        else Q(state=CommentState.PUBLISHED)
    )
    if viewer.is_authenticated:
        shown |= Q(user_id=viewer.pk)
    return shown


def comment_threads(
    viewer: AnyUser, work: Work, chapters: Sequence[Chapter], *, is_creator: bool
) -> dict[int, list[CommentNode]]:
    """The comment threads of these chapters as trees, oldest first, keyed by chapter id.

    A reply whose parent `viewer` may not see is left out with its parent.
    """
    comments = (
        Comment.objects.filter(work=work, chapter__in=list(chapters))
        .filter(visible_comments_q(viewer, is_creator=is_creator))
        .select_related("pseud", "pseud__user", "user")
        .order_by("created_at", "id")
    )
    nodes: dict[int, CommentNode] = {}
    threads: dict[int, list[CommentNode]] = {chapter.pk: [] for chapter in chapters}
    for comment in comments:
        node = CommentNode(comment)
        nodes[comment.pk] = node
        if comment.parent_id is None:
            threads.setdefault(comment.chapter_id, []).append(node)
        elif comment.parent_id in nodes:
            nodes[comment.parent_id].replies.append(node)
    return threads


def comment_for(viewer: AnyUser, comment_id: int) -> Comment:
    """A comment on a work `viewer` may open, that `viewer` may see (else 404/403).

    Pending comments are shown only to the work's creators and to their author; held
    and hidden ones only to their author and moderators.
    """
    comment = (
        Comment.objects.select_related("work", "chapter", "pseud", "pseud__user", "user")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise Http404(gettext("No such comment."))
    access_work(viewer, comment.work_id)
    if comment.state == CommentState.PUBLISHED or is_moderator(viewer):
        return comment
    if viewer.is_authenticated and comment.user_id == viewer.pk:
        return comment
    if comment.state == CommentState.PENDING and is_creator(viewer, comment.work):
        return comment
    raise Http404(gettext("No such comment."))


def pending_comments(work: Work) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(work=work, state=CommentState.PENDING, deleted=False)
        .select_related("pseud", "pseud__user", "user", "chapter")
        .order_by("created_at", "id")
    )
