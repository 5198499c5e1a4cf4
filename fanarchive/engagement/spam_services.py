"""What moderators do with comments the spam rules held (`spam_selectors`): approve one
(it goes on as a new comment would have, notices and counts included) or delete it as
spam. Each leaves an audit entry; the page `/moderation/held/` calls these."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.reasons import moderation_text
from fanarchive.core.text import html_to_text
from fanarchive.engagement.comment_services import comment_delete, comment_release
from fanarchive.engagement.models import Comment, CommentState


def _held(comment_id: int) -> Comment:
    """The comment, locked, while it is still held (else a ValidationError)."""
    comment = (
        Comment.objects.select_for_update()
        .select_related("work", "chapter")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None or comment.state != CommentState.HELD or comment.deleted:
        raise ValidationError(_("This comment is no longer held for moderation."))
    return comment


def held_comment_approve(*, moderator: User, comment: Comment, site_url: str = "") -> Comment:
    """Let a held comment through: published (the creators and the parent's author are
    told, counts change), or awaiting the creators' approval on a moderated work."""
    require_moderator(moderator, _("Only moderators and administrators can approve held comments."))
    with transaction.atomic():
        comment = _held(comment.pk)
        before = {"state": comment.state, "held_reason": comment.held_reason}
        comment_release(comment, site_url=site_url)
        audit_record(
            actor=moderator,
            action="comment.approve_held",
            target=comment,
            before=before,
            after={"state": comment.state},
            subject=comment.user,
        )
    return comment


def held_comment_spam(*, moderator: User, comment: Comment, reason: str = "") -> None:
    """Delete a held comment as spam (nobody was ever told of it)."""
    require_moderator(moderator, _("Only moderators and administrators can delete held comments."))
    cleaned = moderation_text(reason, required=None) or "Spam"
    with transaction.atomic():
        comment = _held(comment.pk)
        audit_record(
            actor=moderator,
            action="comment.spam",
            target=comment,
            reason=cleaned,
            before={
                "state": comment.state,
                "held_reason": comment.held_reason,
                "text": html_to_text(comment.text),
            },
            after={"deleted": True},
            subject=comment.user,
        )
        comment_delete(user=moderator, comment=comment)
