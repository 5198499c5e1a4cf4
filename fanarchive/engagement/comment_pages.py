"""Comments a page of threads at a time, and where a comment is shown (reads only).

As AO3 shows them: the reading pages list THREADS_PER_PAGE (20) threads a page, oldest
first (otwarchive pages a commentable's thread ids in the order they were posted), each
with its replies in reading order and never split across pages. On those pages a
thread shows replies down to THREAD_MAX_DEPTH (5, otwarchive's COMMENT_THREAD_MAX_DEPTH)
and at most THREAD_MAX_SHOWN comments; the rest is behind "Continue this thread", a page
of its own (`thread_of`: the comment where the thread was cut and what is below it, cut
again at the same depth only).

A page costs the same five queries however many comments the work has: the COUNT of
threads, the page's thread roots, the skeleton of those threads (ids, parents and dates
only), the rows of the comments shown, and the COUNT of comments for the heading.

`comment_location` says which page shows a comment, and its anchor: the redirects after
posting and every link to a comment use it through the comment's own address
(`/comments/<id>/`), which mail and the inbox carry, so a link never goes stale when
threads are added or removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.urls import reverse

from fanarchive.engagement.models import Comment, CommentState
from fanarchive.engagement.selectors import (
    CommentNode,
    anonymous_creator_ids,
    visible_comments_q,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User
    from fanarchive.works.models import Chapter, Work

    AnyUser = User | AnonymousUser

THREADS_PER_PAGE = 20
# Replies deeper than this (the thread's first comment is depth 0) continue on a page of
# their own, as on AO3.
THREAD_MAX_DEPTH = 5
# A thread shows at most this many comments on a reading page (AO3 has no such cut; it
# keeps one very long thread from making the page as heavy as the whole archive's).
THREAD_MAX_SHOWN = 50


@dataclass
class CommentPage:
    """One page of a reading page's comments."""

    page: Page[int]  # of thread root ids, for the page links
    # The page's threads by chapter, in reading order (only chapters with a thread here).
    groups: list[tuple[Chapter, list[CommentNode]]]
    count: int  # published comments on the chapters shown, all pages

    @property
    def numbers(self) -> list[int | None]:
        """The page links: the first and last pages, those around this one, None between."""
        numbers = self.page.paginator.get_elided_page_range(self.page.number, on_each_side=2)
        return [number if isinstance(number, int) else None for number in numbers]


# -- the shape of threads ---------------------------------------------------------------

# id -> (parent id, created_at) of the comments of some threads the viewer may see.
Skeleton = dict[int, tuple[int | None, dt.datetime]]


def _skeleton(viewer: AnyUser, *, is_creator: bool, thread_roots: Sequence[int]) -> Skeleton:
    rows = (
        Comment.objects.filter(thread_root_id__in=list(thread_roots))
        .filter(visible_comments_q(viewer, is_creator=is_creator))
        .order_by()
        .values_list("pk", "parent_id", "created_at")
    )
    return {pk: (parent, created) for pk, parent, created in rows}


def _thread_of(comment: Comment) -> int:
    """The id of the thread's first comment (set on every comment once saved)."""
    return comment.thread_root_id or comment.pk


def _children(skeleton: Skeleton) -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for pk, (parent, _) in skeleton.items():
        if parent is not None:
            children.setdefault(parent, []).append(pk)
    for kids in children.values():
        kids.sort(key=lambda pk: (skeleton[pk][1], pk))
    return children


@dataclass(frozen=True)
class Shown:
    pk: int
    depth: int  # below the walk's first comment
    hidden: int  # comments below it behind "Continue this thread"


def _walk(children: dict[int, list[int]], first: int, *, max_shown: int | None) -> list[Shown]:
    """The comments a page shows of the thread below `first` (itself included), in reading
    order: down to THREAD_MAX_DEPTH, and at most `max_shown`; what is cut below a shown
    comment is counted in its `hidden` (all that the size cut leaves out, in the first's)."""
    order: list[tuple[int, int]] = []
    stack = [(first, 0)]
    while stack:
        pk, depth = stack.pop()
        order.append((pk, depth))
        stack.extend((kid, depth + 1) for kid in reversed(children.get(pk, [])))
    below = dict.fromkeys((pk for pk, _ in order), 0)
    parent_of = {kid: pk for pk, kids in children.items() for kid in kids}
    for pk, _ in reversed(order[1:]):
        below[parent_of[pk]] += 1 + below[pk]
    shown: list[Shown] = []
    cut_off = 0
    skip_until_depth: int | None = None
    for pk, depth in order:
        if skip_until_depth is not None:
            if depth > skip_until_depth:
                continue
            skip_until_depth = None
        if max_shown is not None and len(shown) >= max_shown:
            cut_off += 1 + below[pk]
            skip_until_depth = depth
            continue
        if depth == THREAD_MAX_DEPTH and below[pk]:
            shown.append(Shown(pk, depth, below[pk]))
            skip_until_depth = depth
            continue
        shown.append(Shown(pk, depth, 0))
    if cut_off:
        shown[0] = Shown(first, 0, cut_off)
    return shown


def _trees(shown: Sequence[Shown], chapters: dict[int, Chapter]) -> list[CommentNode]:
    """The shown comments as trees (their rows read in one query), in reading order."""
    rows = Comment.objects.select_related("pseud", "pseud__user", "user").in_bulk(
        [item.pk for item in shown]
    )
    # The chapters are one work's.
    work = next(iter(chapters.values())).work if chapters else None
    signed_anonymously = anonymous_creator_ids(work) if work is not None else frozenset()
    roots: list[CommentNode] = []
    path: list[CommentNode] = []
    gone_at: int | None = None  # a comment deleted since the skeleton was read
    for item in shown:
        if gone_at is not None and item.depth > gone_at:
            continue  # its replies went with it
        gone_at = None
        comment = rows.get(item.pk)
        if comment is None:
            gone_at = item.depth
            continue
        if comment.chapter_id in chapters:
            comment.chapter = chapters[comment.chapter_id]
        # Read by the template, which signs the creators' comments on an anonymous work.
        comment.anonymous_creator = comment.user_id in signed_anonymously  # type: ignore[attr-defined]
        node = CommentNode(comment, hidden=item.hidden)
        del path[item.depth :]
        (path[-1].replies if path else roots).append(node)
        path.append(node)
    return roots


# -- a reading page's comments ----------------------------------------------------------


def _thread_roots(viewer: AnyUser, chapters: Sequence[Chapter], *, is_creator: bool) -> Q:
    return Q(chapter_id__in=[c.pk for c in chapters], parent__isnull=True) & visible_comments_q(
        viewer, is_creator=is_creator
    )


def _page_number(number: object) -> int:
    """?page= as a page number: past the end is the last page (Paginator), anything
    else that is not a positive number the first."""
    try:
        return max(1, int(str(number)))
    except ValueError:
        return 1


def comment_page(
    viewer: AnyUser,
    chapters: Sequence[Chapter],
    *,
    is_creator: bool,
    number: object,
) -> CommentPage:
    """Page `number` (any value: out of range or nonsense gives the nearest page) of the
    comment threads on `chapters`, in chapter order, then oldest first."""
    order = (
        ("created_at", "pk") if len(chapters) == 1 else ("chapter__position", "created_at", "pk")
    )
    roots = (
        Comment.objects.filter(_thread_roots(viewer, chapters, is_creator=is_creator))
        .order_by(*order)
        .values_list("pk", flat=True)
    )
    page = Paginator(roots, THREADS_PER_PAGE).get_page(_page_number(number))
    root_ids = list(page.object_list)
    by_id = {chapter.pk: chapter for chapter in chapters}
    groups: list[tuple[Chapter, list[CommentNode]]] = []
    if root_ids:
        skeleton = _skeleton(viewer, is_creator=is_creator, thread_roots=root_ids)
        children = _children(skeleton)
        shown = [
            item for root in root_ids for item in _walk(children, root, max_shown=THREAD_MAX_SHOWN)
        ]
        for node in _trees(shown, by_id):
            chapter = by_id[node.comment.chapter_id]
            if groups and groups[-1][0] == chapter:
                groups[-1][1].append(node)
            else:
                groups.append((chapter, [node]))
    count = Comment.objects.filter(
        chapter_id__in=list(by_id), state=CommentState.PUBLISHED, deleted=False
    ).count()
    return CommentPage(page=page, groups=groups, count=count)


def thread_of(viewer: AnyUser, comment: Comment, *, is_creator: bool) -> CommentNode:
    """`comment` and the replies below it, for its "Continue this thread" page."""
    skeleton = _skeleton(viewer, is_creator=is_creator, thread_roots=[_thread_of(comment)])
    skeleton.setdefault(comment.pk, (comment.parent_id, comment.created_at))
    shown = _walk(_children(skeleton), comment.pk, max_shown=None)
    return _trees(shown, {comment.chapter_id: comment.chapter})[0]


# -- where a comment is -----------------------------------------------------------------


def comment_link(comment_id: int) -> str:
    """The comment's own address, which finds its page when followed (mail, the inbox)."""
    return reverse("engagement:comment", args=[comment_id])


def comment_exists(comment_id: int) -> bool:
    return Comment.objects.filter(pk=comment_id).exists()


def _ancestors(skeleton: Skeleton, pk: int) -> list[int]:
    """The path from the thread's first comment down to `pk` (empty when a comment on
    the way is not one the viewer may see)."""
    path = [pk]
    while (parent := skeleton[path[-1]][0]) is not None:
        if parent not in skeleton:
            return []
        path.append(parent)
    return path[::-1]


def _page_url(base: str, query: dict[str, str], anchor: str) -> str:
    params = "&".join(f"{key}={value}" for key, value in query.items())
    return f"{base}{'?' + params if params else ''}#{anchor}"


def comment_location(
    viewer: AnyUser,
    comment: Comment,
    *,
    is_creator: bool,
    chapters: Sequence[Chapter] | None = None,
    work: Work | None = None,
) -> str:
    """The page that shows `comment` to `viewer`, with its anchor: the chapter's page (or,
    given the chapters of the entire work and the `work`, that view) at the thread's page
    number, or the "Continue this thread" page where the thread was cut above it."""
    skeleton = _skeleton(viewer, is_creator=is_creator, thread_roots=[_thread_of(comment)])
    skeleton.setdefault(comment.pk, (comment.parent_id, comment.created_at))
    path = _ancestors(skeleton, comment.pk)
    anchor = f"comment_{comment.pk}"
    scope = list(chapters) if chapters is not None else [comment.chapter]
    if work is not None and chapters is not None:
        base, query = work.get_absolute_url(), {"view_full_work": "true"}
    else:
        base, query = comment.chapter.get_absolute_url(), {}
    if not path or all(c.pk != comment.chapter_id for c in scope):
        return _page_url(base, query, "comments")
    root = path[0]
    listed = {
        item.pk: item for item in _walk(_children(skeleton), root, max_shown=THREAD_MAX_SHOWN)
    }
    depth = len(path) - 1
    if comment.pk in listed:
        # A thread's comments share its chapter; its first one's date is in the skeleton.
        first = Comment(pk=root, chapter_id=comment.chapter_id, created_at=skeleton[root][1])
        number = _thread_page_number(viewer, scope, first, is_creator=is_creator)
        if number > 1:
            query["page"] = str(number)
        return _page_url(base, query, anchor)
    start = THREAD_MAX_DEPTH if depth > THREAD_MAX_DEPTH and path[THREAD_MAX_DEPTH] in listed else 0
    while depth - start > THREAD_MAX_DEPTH:
        start += THREAD_MAX_DEPTH
    return _page_url(reverse("engagement:comment_thread", args=[path[start]]), {}, anchor)


def _thread_page_number(
    viewer: AnyUser,
    scope: Sequence[Chapter],
    root: Comment,
    *,
    is_creator: bool,
) -> int:
    """Which page of `scope`'s threads holds the thread begun by `root`."""
    position = {chapter.pk: chapter.position for chapter in scope}
    earlier = [pk for pk, at in position.items() if at < position[root.chapter_id]]
    same = Q(chapter_id=root.chapter_id)
    before = (
        Comment.objects.filter(_thread_roots(viewer, scope, is_creator=is_creator))
        .filter(
            Q(chapter_id__in=earlier)
            | (same & Q(created_at__lt=root.created_at))
            | (same & Q(created_at=root.created_at, pk__lt=root.pk))
        )
        .count()
    )
    return before // THREADS_PER_PAGE + 1
