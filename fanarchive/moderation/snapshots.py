"""What a report is about: the target found as the reporter may see it, the person it is
about, and a snapshot of it as it was (title, an excerpt, rating, tags, author, address),
kept on the report so moderators see what was reported even after edits or deletion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.limits import ORPHAN_USERNAME
from fanarchive.accounts.models import Pseud, User
from fanarchive.collections.models import Collection, CollectionParticipant, ParticipantRole
from fanarchive.core.errors import LoginRequired
from fanarchive.core.text import html_to_text
from fanarchive.engagement.bookmark_selectors import bookmark_for
from fanarchive.engagement.comment_pages import comment_link
from fanarchive.engagement.models import Bookmark, Comment
from fanarchive.engagement.selectors import comment_for
from fanarchive.moderation.models import ReportTarget
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Chapter, Work
from fanarchive.works.selectors import access_work, creator_users_of, is_creator, tag_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

EXCERPT_LENGTH = 1500
UNSEEN = gettext_lazy("There is nothing to report there, or you cannot see it.")


@dataclass(frozen=True)
class Target:
    """A reported thing: the row, who it is about, and its snapshot."""

    thing: models.Model
    subject: User | None
    snapshot: dict[str, Any]


def excerpt(html: str) -> str:
    text = html_to_text(html).strip()
    return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH].rstrip() + "…"


def _work_fields(work: Work) -> dict[str, Any]:
    tags = list(work.work_tags.select_related("tag").order_by("position"))
    creators = creator_users_of(work)
    return {
        "title": work.title,
        "summary": excerpt(work.summary),
        "rating": next((wt.tag.name for wt in tags if wt.tag.type == TagType.RATING), ""),
        "warnings": [wt.tag.name for wt in tags if wt.tag.type == TagType.WARNING],
        "tags": [
            wt.tag.name for wt in tags if wt.tag.type not in (TagType.RATING, TagType.WARNING)
        ],
        "author": ", ".join(p.byline for p in work.pseuds.all()) or "",
        "author_users": [u.username for u in creators],
    }


def _work(viewer: User | AnonymousUser, target_id: int) -> Target:
    work = access_work(viewer, target_id)
    chapter = work.chapters.filter(posted=True).order_by("position").first()
    snapshot = {
        **_work_fields(work),
        "text": excerpt(chapter.content) if chapter else "",
        "url": work.get_absolute_url(),
    }
    creators = creator_users_of(work)
    return Target(work, creators[0] if creators else None, snapshot)


def _chapter(viewer: User | AnonymousUser, target_id: int) -> Target:
    chapter = Chapter.objects.select_related("work").filter(pk=target_id).first()
    if chapter is None:
        raise Http404(UNSEEN)
    work = access_work(viewer, chapter.work_id)
    if not chapter.posted and not is_creator(viewer, work):
        raise Http404(UNSEEN)
    snapshot = {
        **_work_fields(work),
        "chapter": chapter.position,
        "chapter_title": chapter.title,
        "text": excerpt(chapter.content),
        "url": reverse("works:chapter", args=[work.pk, chapter.pk]),
    }
    creators = creator_users_of(work)
    return Target(chapter, creators[0] if creators else None, snapshot)


def _comment(viewer: User | AnonymousUser, target_id: int) -> Target:
    comment = comment_for(viewer, target_id)
    if comment.deleted:
        raise Http404(UNSEEN)
    snapshot = {
        "title": f"Comment on {comment.work.title}",
        "text": excerpt(comment.text),
        "author": comment.author_name,
        "work_id": comment.work_id,
        "url": comment_link(comment.pk),
    }
    return Target(comment, comment.user, snapshot)


def _bookmark(viewer: User | AnonymousUser, target_id: int) -> Target:
    bookmark = bookmark_for(viewer, target_id)
    item = bookmark.work or bookmark.series
    snapshot = {
        "title": f"Bookmark of {item.title if item else 'a work'}",
        "text": excerpt(bookmark.notes),
        "tags": [t.name for t in bookmark.tags.all()],
        "author": bookmark.pseud.byline,
        "url": reverse("social:user_bookmarks", args=[bookmark.user.username]),
    }
    return Target(bookmark, bookmark.user, snapshot)


def _user(viewer: User | AnonymousUser, target_id: int) -> Target:
    user = User.objects.filter(pk=target_id, is_active=True).first()
    if user is None or user.username.lower() == ORPHAN_USERNAME:
        raise Http404(UNSEEN)
    snapshot = {
        "title": user.username,
        "text": excerpt(user.about),
        "author": user.username,
        "url": reverse("accounts:profile", args=[user.username]),
    }
    return Target(user, user, snapshot)


def _pseud(viewer: User | AnonymousUser, target_id: int) -> Target:
    pseud = Pseud.objects.select_related("user").filter(pk=target_id).first()
    if pseud is None or not pseud.user.is_active or pseud.user.username.lower() == ORPHAN_USERNAME:
        raise Http404(UNSEEN)
    snapshot = {
        "title": pseud.byline,
        "text": excerpt(pseud.description),
        "author": pseud.user.username,
        "url": reverse("accounts:pseud", args=[pseud.user.username, pseud.name]),
    }
    return Target(pseud, pseud.user, snapshot)


def _tag(viewer: User | AnonymousUser, target_id: int) -> Target:
    tag: Tag = tag_for(viewer, target_id)
    snapshot = {
        "title": tag.name,
        "text": "",
        "tags": [str(tag.get_type_display())],
        "url": reverse("tags:works", args=[tag.pk]),
    }
    return Target(tag, None, snapshot)


def _collection(viewer: User | AnonymousUser, target_id: int) -> Target:
    """A collection's profile (its title, header, description and rules): about its first
    owner. Every collection's profile is public, even an unrevealed one's."""
    collection = Collection.objects.filter(pk=target_id).first()
    if collection is None:
        raise Http404(UNSEEN)
    owner = (
        CollectionParticipant.objects.filter(collection=collection, role=ParticipantRole.OWNER)
        .select_related("pseud__user")
        .order_by("pk")
        .first()
    )
    parts = (collection.header_text, excerpt(collection.description), excerpt(collection.rules))
    text = "\n\n".join(part for part in parts if part)
    snapshot = {
        "title": collection.title,
        "name": collection.name,
        "text": excerpt(text),
        "author": owner.pseud.byline if owner else "",
        "url": collection.get_absolute_url(),
    }
    return Target(collection, owner.pseud.user if owner else None, snapshot)


_FINDERS = {
    ReportTarget.WORK: _work,
    ReportTarget.CHAPTER: _chapter,
    ReportTarget.COMMENT: _comment,
    ReportTarget.BOOKMARK: _bookmark,
    ReportTarget.USER: _user,
    ReportTarget.PSEUD: _pseud,
    ReportTarget.TAG: _tag,
    ReportTarget.COLLECTION: _collection,
}


def find_target(viewer: User | AnonymousUser, target_type: str, target_id: int) -> Target:
    """The reported thing as `viewer` may see it, or a ValidationError keyed `target`."""
    finder = _FINDERS.get(target_type)  # type: ignore[call-overload]
    if finder is None:
        raise ValidationError({"target": [_("Please say what kind of thing you are reporting.")]})
    try:
        return finder(viewer, target_id)  # type: ignore[no-any-return]
    except (Http404, PermissionDenied, LoginRequired) as refusal:
        raise ValidationError({"target": [UNSEEN]}) from refusal


MODELS: dict[str, type[models.Model]] = {
    ReportTarget.WORK: Work,
    ReportTarget.CHAPTER: Chapter,
    ReportTarget.COMMENT: Comment,
    ReportTarget.BOOKMARK: Bookmark,
    ReportTarget.USER: User,
    ReportTarget.PSEUD: Pseud,
    ReportTarget.TAG: Tag,
    ReportTarget.COLLECTION: Collection,
}


def target_row(target_type: str, target_id: int) -> models.Model | None:
    """The reported thing as it is now, whoever looks (None when it is gone)."""
    model = MODELS.get(target_type)
    if model is None:
        return None
    return model._default_manager.filter(pk=target_id).first()
