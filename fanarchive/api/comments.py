"""/api/v1 comments: a chapter's threads, posting, replying, editing, deleting, moderating.

Every rule is the engagement app's: `comment_threads` and `comment_for` decide which
comments a caller sees (pending ones only to the work's creators and their author, held
ones only to their author and moderators;
a deleted comment with replies stays as a placeholder without author or text), and
`comment_services` applies the work's comment policy, moderation, frozen threads,
blocks and the new-account/guest rate limit. Reading comments of an adult work needs
the same consent as its chapters (`?adult=true`, the preference, or being a
creator); posting needs none, as on the site, where the comment form does not ask.
Guests post without a token; they are told apart by the keyed hash of their IP.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fanarchive.accounts.models import Pseud, User
from fanarchive.api.auth import GUEST, WRITE, Caller, caller_of, require_write
from fanarchive.api.errors import ApiProblem, problem_responses
from fanarchive.api.pagination import keyset_page, page_size
from fanarchive.api.params import Count, Id
from fanarchive.api.works import ADULT_HELP, gate
from fanarchive.core.views import site_url
from fanarchive.engagement import comment_services, selectors
from fanarchive.engagement.models import Comment
from fanarchive.engagement.selectors import CommentNode, by_anonymous_creator
from fanarchive.engagement.visitors import guest_key
from fanarchive.works import selectors as works
from fanarchive.works.models import Chapter, Work

router = Router(tags=["comments"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)


class CommentAuthorOut(Schema):
    pseud: str
    username: str
    byline: str


class CommentOut(Schema):
    """One comment. A deleted one keeps its place in the thread, without author or text."""

    id: int
    work_id: int
    chapter_id: int
    parent_id: int | None
    thread_id: int | None
    depth: int = Field(description="0 for a comment on the chapter, 1 for a reply to it, ...")
    author: CommentAuthorOut | None = Field(description="The account's pseud; null for guests")
    guest_name: str | None
    author_deleted: bool = Field(
        description="Its author deleted their account: shown as (deleted account), "
        "author and guest_name are null"
    )
    anonymous_creator: bool = Field(
        description='By a creator of this anonymous work: shown as "Anonymous creator", '
        "author is null"
    )
    text: str = Field(description="Sanitised HTML; empty when deleted")
    state: str = Field(
        description='"published", "pending" (awaiting the creator), "held" (held for '
        'moderation by the spam rules: only you and moderators see it) or "hidden"'
    )
    frozen: bool
    deleted: bool
    created_at: datetime
    edited_at: datetime | None


class CommentPageOut(Schema):
    items: list[CommentOut] = Field(
        description="The page's threads, newest thread first; each thread in reading order "
        "(a comment, then its replies, depth first)"
    )
    next: str | None


class CommentIn(Schema):
    text: str = Field(description="The comment: HTML, sanitised as the site does")
    pseud: str | None = Field(None, description="One of your pseuds' names (default pseud)")
    name: str | None = Field(None, description="Guests only: the name shown")
    email: str | None = Field(None, description="Guests only: never shown")


class CommentPatchIn(Schema):
    text: str


def comment_out(comment: Comment, *, depth: int = 0) -> dict[str, Any]:
    deleted = comment.deleted
    # Set on the comments of a page (comment_pages); read here for a single one.
    anonymous_creator = getattr(comment, "anonymous_creator", None)
    if anonymous_creator is None:
        anonymous_creator = by_anonymous_creator(comment)
    author = None
    if comment.pseud is not None and not deleted and not anonymous_creator:
        author = {
            "pseud": comment.pseud.name,
            "username": comment.pseud.user.username,
            "byline": comment.pseud.byline,
        }
    guest = (
        comment.user_id is None
        and comment.pseud is None
        and not deleted
        and not comment.author_deleted
    )
    return {
        "id": comment.pk,
        "work_id": comment.work_id,
        "chapter_id": comment.chapter_id,
        "parent_id": comment.parent_id,
        "thread_id": comment.thread_root_id,
        "depth": depth,
        "author": author,
        "guest_name": (comment.guest_name or "Anonymous") if guest else None,
        "author_deleted": comment.author_deleted and not deleted,
        "anonymous_creator": anonymous_creator and not deleted,
        "text": "" if deleted else comment.text,
        "state": comment.state,
        "frozen": comment.frozen,
        "deleted": deleted,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def _flatten(node: CommentNode, depth: int, out: list[dict[str, Any]]) -> None:
    out.append(comment_out(node.comment, depth=depth))
    for reply in node.replies:
        _flatten(reply, depth + 1, out)


def _readable_chapter(caller: Caller, work: Work, chapter_id: int) -> Chapter:
    chapter = next(
        (c for c in works.readable_chapters(caller.user, work) if c.pk == chapter_id), None
    )
    if chapter is None:
        raise ApiProblem(404, _("No such chapter in this work."), name="not-found")
    return chapter


def _commenter(caller: Caller) -> User | None:
    require_write(caller)
    return caller.account if caller.user.is_authenticated else None


def _create(
    request: HttpRequest,
    caller: Caller,
    payload: CommentIn,
    *,
    chapter: Chapter,
    parent: Comment | None,
) -> Comment:
    user = _commenter(caller)
    pseud = None
    if user is not None and payload.pseud:
        pseud = Pseud.objects.filter(user=user, name__iexact=payload.pseud).first()
        if pseud is None:
            raise ApiProblem(
                422,
                _("Some fields need attention: see errors."),
                name="validation-error",
                errors={"pseud": [_("You have no pseud of that name.")]},
            )
    return comment_services.comment_create(
        chapter=chapter,
        user=user,
        text=payload.text,
        pseud=pseud,
        guest_name=payload.name or "",
        guest_email=payload.email or "",
        guest_key=guest_key(request) if user is None else "",
        parent=parent,
        site_url=site_url(request),
    )


@router.get(
    "/works/{work_id}/chapters/{chapter_id}/comments",
    response={200: CommentPageOut, **READ_ERRORS},
    auth=GUEST,
    url_name="chapter_comments",
    summary="A chapter's comment threads, as the work page shows them to you",
    description=ADULT_HELP,
)
def chapter_comments(
    request: HttpRequest,
    work_id: Id,
    chapter_id: Id,
    adult: bool = False,
    cursor: str | None = None,
    limit: Count | None = None,
) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    gate(request, caller, work, adult)
    chapter = _readable_chapter(caller, work, chapter_id)
    creator = works.is_creator(caller.user, work)
    roots, next_cursor = keyset_page(
        Comment.objects.filter(chapter=chapter, parent__isnull=True).filter(
            selectors.visible_comments_q(caller.user, is_creator=creator)
        ),
        cursor=cursor,
        limit=page_size(limit),
        field="created_at",
    )
    threads = selectors.comment_threads(caller.user, work, [chapter], is_creator=creator)
    by_id = {node.comment.pk: node for node in threads.get(chapter.pk, [])}
    items: list[dict[str, Any]] = []
    for root in roots:
        if root.pk in by_id:
            _flatten(by_id[root.pk], 0, items)
    return {"items": items, "next": next_cursor}


@router.post(
    "/works/{work_id}/chapters/{chapter_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=GUEST,
    summary="Comment on a chapter, as the token's account or (with no token) as a guest",
)
def comment_create(
    request: HttpRequest, work_id: Id, chapter_id: Id, payload: CommentIn
) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    require_write(caller)
    work = works.access_work(caller.user, work_id)
    chapter = _readable_chapter(caller, work, chapter_id)
    comment = _create(request, caller, payload, chapter=chapter, parent=None)
    return Status(201, comment_out(comment))


@router.get(
    "/comments/{comment_id}",
    response={200: CommentOut, **READ_ERRORS},
    auth=GUEST,
    url_name="comment_detail",
    summary="One comment",
    description=ADULT_HELP,
)
def comment_detail(request: HttpRequest, comment_id: Id, adult: bool = False) -> dict[str, Any]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    gate(request, caller, comment.work, adult)
    return comment_out(comment)


@router.post(
    "/comments/{comment_id}/replies",
    response={201: CommentOut, **WRITE_ERRORS},
    auth=GUEST,
    summary="Reply to a comment, as the token's account or (with no token) as a guest",
)
def comment_reply(
    request: HttpRequest, comment_id: Id, payload: CommentIn
) -> Status[dict[str, Any]]:
    caller = caller_of(request)
    require_write(caller)
    parent = selectors.comment_for(caller.user, comment_id)
    comment = _create(request, caller, payload, chapter=parent.chapter, parent=parent)
    return Status(201, comment_out(comment))


@router.patch(
    "/comments/{comment_id}",
    response={200: CommentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Edit your own comment",
)
def comment_update(request: HttpRequest, comment_id: Id, payload: CommentPatchIn) -> dict[str, Any]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    comment = comment_services.comment_update(
        user=caller.account, comment=comment, text=payload.text
    )
    return comment_out(comment)


@router.delete(
    "/comments/{comment_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
    summary="Delete your own comment, or any comment on your work",
)
def comment_delete(request: HttpRequest, comment_id: Id) -> Status[None]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    comment_services.comment_delete(user=caller.account, comment=comment)
    return Status(204, None)


@router.post(
    "/comments/{comment_id}/approve",
    response={200: CommentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Publish a comment held for moderation (creators of the work)",
)
def comment_approve(request: HttpRequest, comment_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    comment = comment_services.comment_approve(
        user=caller.account, comment=comment, site_url=site_url(request)
    )
    return comment_out(comment)


@router.post(
    "/comments/{comment_id}/freeze",
    response={200: CommentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Freeze a thread: no replies or edits (creators of the work)",
)
def comment_freeze(request: HttpRequest, comment_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    return comment_out(comment_services.comment_freeze(user=caller.account, comment=comment))


@router.post(
    "/comments/{comment_id}/unfreeze",
    response={200: CommentOut, **WRITE_ERRORS},
    auth=WRITE,
    summary="Unfreeze a thread (creators of the work)",
)
def comment_unfreeze(request: HttpRequest, comment_id: Id) -> dict[str, Any]:
    caller = caller_of(request)
    comment = selectors.comment_for(caller.user, comment_id)
    return comment_out(comment_services.comment_unfreeze(user=caller.account, comment=comment))
