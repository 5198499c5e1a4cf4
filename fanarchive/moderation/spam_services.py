"""Marking an account as a spammer, in one action, and undoing it ("Not a spammer").

Marking hides every comment the person wrote (`comments_set_hidden_of`, one batch),
hides every work they posted and suspends the account for good
(`user_suspend_hiding`), writes one "user.spammer" audit entry (beside those of the
services it calls) and tells the person. Undoing lifts the suspension, shows the works
it hid (`user_unsuspend`) and the comments in the states they had, audited as
"user.not_spammer". The spammer page and the Django admin's user list both call these.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.core.audit_services import audit_record
from fanarchive.core.reasons import moderation_text
from fanarchive.core.translation import lazy_format
from fanarchive.engagement.models import NoticeKind
from fanarchive.engagement.moderation_services import (
    comment_ids_by_state,
    comment_ids_flat,
    comments_set_hidden_of,
)
from fanarchive.engagement.notices import notify
from fanarchive.moderation.selectors import spammer_entry
from fanarchive.moderation.suspension_services import (
    suspension_check,
    user_suspend_hiding,
    user_unsuspend,
)

SPAMMER_ACTION = "user.spammer"
NOT_SPAMMER_ACTION = "user.not_spammer"


def user_mark_spammer(*, moderator: User, user: User, reason: str) -> User:
    """Hide all of `user`'s comments and works and suspend the account for good."""
    require_moderator(
        moderator, _("Only moderators and administrators can mark accounts as spammers.")
    )
    cleaned = suspension_check(
        moderator=moderator, user=user, reason=reason, days=None, forever=True
    )
    if spammer_entry(user) is not None:
        raise ValidationError(_("This account is already marked as a spammer."))
    with transaction.atomic():
        comments = comments_set_hidden_of(user=moderator, owner=user, reason=cleaned)
        works = user_suspend_hiding(
            moderator=moderator, user=user, reason=cleaned, forever=True, hide_works=True
        )
        audit_record(
            actor=moderator,
            action=SPAMMER_ACTION,
            target=user,
            reason=cleaned,
            before={},
            after={"hidden_work_ids": works, **comment_ids_flat(comments)},
            subject=user,
        )
        notify(
            recipients=[user],
            kind=NoticeKind.MODERATION,
            subject=gettext_lazy("A moderator's decision about your account"),
            body=lazy_format(
                gettext_lazy(
                    "Decision: your account was marked as a spammer. Your works and comments "
                    "are hidden and the account is suspended.\nReason: %(reason)s\n\n"
                    "If you think this is wrong, please contact the archive's moderators."
                ),
                reason=cleaned,
            ),
            url="",
        )
    return user


def user_unmark_spammer(*, moderator: User, user: User, reason: str = "") -> User:
    """Undo `user_mark_spammer`: the suspension lifted, the works and comments shown again
    (those a moderator has hidden since for another reason stay hidden)."""
    require_moderator(
        moderator, _("Only moderators and administrators can undo marking accounts as spammers.")
    )
    cleaned = moderation_text(reason, required=None)
    entry = spammer_entry(user)
    if entry is None:
        raise ValidationError(_("This account is not marked as a spammer."))
    restore = comment_ids_by_state(entry.after)
    with transaction.atomic():
        user_unsuspend(moderator=moderator, user=user, reason=cleaned, show_works=True)
        shown = comments_set_hidden_of(user=moderator, owner=user, reason=cleaned, restore=restore)
        audit_record(
            actor=moderator,
            action=NOT_SPAMMER_ACTION,
            target=user,
            reason=cleaned,
            before={"spammer_entry": entry.pk},
            after=comment_ids_flat(shown),
            subject=user,
        )
        notify(
            recipients=[user],
            kind=NoticeKind.MODERATION,
            subject=gettext_lazy("A moderator's decision about your account"),
            body=lazy_format(
                gettext_lazy(
                    "Decision: your account is not a spammer after all. Your works and "
                    "comments are shown again and the suspension is lifted.\nReason: %(reason)s"
                ),
                reason=cleaned,
            )
            if cleaned
            else gettext_lazy(
                "Decision: your account is not a spammer after all. Your works and "
                "comments are shown again and the suspension is lifted."
            ),
            url="",
        )
    return user
