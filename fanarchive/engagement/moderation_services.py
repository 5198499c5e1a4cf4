"""What moderators do to comments and bookmarks: hide a comment (its author still sees
it, with the reason), show it again, delete a comment or a bookmark. Each change keeps
the catalogue's counts in step and leaves an audit entry; the moderation queue and the
Django admin pages call these."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.models import AuditEntry
from fanarchive.core.reasons import moderation_text
from fanarchive.core.text import html_to_text
from fanarchive.engagement.comment_services import comment_delete
from fanarchive.engagement.models import Bookmark, Comment, CommentState
from fanarchive.works.catalogue_services import catalogue_counts_changed

HIDE_ACTION = "comment.hide"


def _comment_values(comment: Comment) -> dict[str, object]:
    return {
        "state": comment.state,
        "hidden_reason": comment.hidden_reason,
        "text": html_to_text(comment.text),
    }


def comment_set_hidden(*, user: User, comment: Comment, hidden: bool, reason: str = "") -> Comment:
    """Hide a comment from everyone but its author and moderators (or show it again, in
    the state it had: published, still awaiting the creators' approval, or held)."""
    require_moderator(
        user, gettext("Only moderators and administrators can hide or show comments.")
    )
    reason = moderation_text(reason, required=None)
    is_hidden = comment.state == CommentState.HIDDEN
    if is_hidden == hidden:
        return comment
    before = _comment_values(comment)
    with transaction.atomic():
        if hidden:
            comment.state = CommentState.HIDDEN
            comment.hidden_reason = reason
        else:
            comment.state = _state_before_hiding(comment)
            comment.hidden_reason = ""
        comment.save(update_fields=["state", "hidden_reason"])
        catalogue_counts_changed(work_ids=[comment.work_id])
        audit_record(
            actor=user,
            action=HIDE_ACTION if hidden else "comment.show",
            target=comment,
            reason=reason,
            before=before,
            after=_comment_values(comment),
            subject=comment.user,
        )
    return comment


def _state_before_hiding(comment: Comment) -> str:
    """The state the audit log recorded when the comment was last hidden."""
    entry = (
        AuditEntry.objects.filter(
            action=HIDE_ACTION, target_type=comment._meta.label_lower, target_id=comment.pk
        )
        .order_by("-created_at", "-id")
        .first()
    )
    state = entry.before.get("state") if entry else None
    if state in (CommentState.PUBLISHED, CommentState.PENDING, CommentState.HELD):
        return str(state)
    return CommentState.PUBLISHED


def comment_remove(*, user: User, comment: Comment, reason: str = "") -> None:
    """A moderator deletes a comment (threads keep their replies, as `comment_delete`)."""
    require_moderator(
        user, gettext("Only moderators and administrators can delete others' comments.")
    )
    with transaction.atomic():
        audit_record(
            actor=user,
            action="comment.delete",
            target=comment,
            reason=moderation_text(reason, required=None),
            before=_comment_values(comment),
            after={"deleted": True},
            subject=comment.user,
        )
        comment_delete(user=user, comment=comment)


def bookmark_remove(*, user: User, bookmark: Bookmark, reason: str = "") -> None:
    """A moderator deletes someone's bookmark; the work's public count follows."""
    require_moderator(
        user, gettext("Only moderators and administrators can delete others' bookmarks.")
    )
    with transaction.atomic():
        audit_record(
            actor=user,
            action="bookmark.delete",
            target=bookmark,
            reason=moderation_text(reason, required=None),
            before={
                "work_id": bookmark.work_id,
                "series_id": bookmark.series_id,
                "notes": html_to_text(bookmark.notes),
                "private": bookmark.private,
            },
            after={"deleted": True},
            subject=bookmark.user,
        )
        work_id = bookmark.work_id
        bookmark.delete()
        if work_id is not None:
            catalogue_counts_changed(work_ids=[work_id])


def comments_set_hidden_of(
    *, user: User, owner: User, reason: str, restore: dict[str, list[int]] | None = None
) -> dict[str, list[int]]:
    """Hide every comment `owner` wrote, at once (one update, the catalogue's counts
    changed once, one audit entry), or, with `restore` (what an earlier call answered:
    ids by the state they had), show those that are still hidden in their old states.

    Answers the ids changed, by the state they had before."""
    require_moderator(
        user, gettext("Only moderators and administrators can hide or show comments.")
    )
    reason = moderation_text(reason, required=None)
    mine = Comment.objects.filter(user=owner, deleted=False)
    changed: dict[str, list[int]] = {}
    work_ids: set[int] = set()
    with transaction.atomic():
        if restore is None:
            rows = mine.exclude(state=CommentState.HIDDEN).select_for_update()
            for pk, state, work_id in rows.order_by("pk").values_list("pk", "state", "work_id"):
                changed.setdefault(str(state), []).append(pk)
                work_ids.add(work_id)
            for ids in _chunks([pk for group in changed.values() for pk in group]):
                mine.filter(pk__in=ids).update(state=CommentState.HIDDEN, hidden_reason=reason)
        else:
            for state, wanted in restore.items():
                if state not in CommentState.values or state == CommentState.HIDDEN:
                    continue
                for ids in _chunks([int(pk) for pk in wanted]):
                    rows = mine.filter(pk__in=ids, state=CommentState.HIDDEN)
                    found = list(rows.values_list("pk", "work_id"))
                    rows.update(state=state, hidden_reason="")
                    changed.setdefault(state, []).extend(pk for pk, _ in found)
                    work_ids.update(work_id for _, work_id in found)
        if work_ids:
            catalogue_counts_changed(work_ids=sorted(work_ids))
        audit_record(
            actor=user,
            action="comment.hide_all" if restore is None else "comment.show_all",
            target=owner,
            reason=reason,
            before=comment_ids_flat(changed) if restore is None else {},
            after={} if restore is None else comment_ids_flat(changed),
            subject=owner,
        )
    return changed


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    # Bounded IN lists: SQLite takes at most so many parameters in one statement.
    return [ids[i : i + size] for i in range(0, len(ids), size)]


def comment_ids_flat(by_state: dict[str, list[int]]) -> dict[str, list[int]]:
    """Ids by state as the audit log keeps them (one flat list per state)."""
    return {f"comment_ids_{state}": ids for state, ids in by_state.items()}


def comment_ids_by_state(values: dict[str, object]) -> dict[str, list[int]]:
    """`comment_ids_flat` read back from an audit entry's values."""
    found: dict[str, list[int]] = {}
    for state in CommentState.values:
        ids = values.get(f"comment_ids_{state}")
        if isinstance(ids, list):
            found[state] = [int(pk) for pk in ids if isinstance(pk, int)]
    return found
