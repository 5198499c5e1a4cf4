"""What one viewer may do with one work: one object, computed in one place.

`work_permissions(viewer, work)` answers read, comment, kudos, bookmark, download and
edit, each with the reason when the answer is no. The services refuse with that
reason, and views, templates and the API read the same object, so a button is shown
exactly when the service would accept it (blocks included).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from fanarchive.accounts.moderators import is_moderator
from fanarchive.engagement.selectors import blocked_by_creator
from fanarchive.works.models import CommentPolicy, Work
from fanarchive.works.selectors import is_creator

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser

BLOCKED_MESSAGE = gettext_noop(
    "Sorry, you have been blocked by one or more of this work's creators."
)


@dataclass(frozen=True)
class WorkPermissions:
    """Each `*_refusal` is "" when allowed, else the message a refusal gives."""

    read_refusal: str
    comment_refusal: str
    kudos_refusal: str
    bookmark_refusal: str
    download_refusal: str
    edit_refusal: str

    @property
    def may_read(self) -> bool:
        return not self.read_refusal

    @property
    def may_comment(self) -> bool:
        return not self.comment_refusal

    @property
    def may_give_kudos(self) -> bool:
        return not self.kudos_refusal

    @property
    def may_bookmark(self) -> bool:
        return not self.bookmark_refusal

    @property
    def may_download(self) -> bool:
        return not self.download_refusal

    @property
    def may_edit(self) -> bool:
        return not self.edit_refusal


# What each engagement is refused on a draft, on a hidden work and, for a guest, on a
# work restricted to registered users: whole sentences, one each, to translate.
_CLOSED = {
    "read": (
        gettext_lazy("You cannot read a draft."),
        gettext_lazy("You cannot read a work hidden by an administrator."),
        gettext_lazy("Only registered users can read this work. Please log in."),
    ),
    "comment": (
        gettext_lazy("You cannot comment on a draft."),
        gettext_lazy("You cannot comment on a work hidden by an administrator."),
        gettext_lazy("Only registered users can comment on this work. Please log in."),
    ),
    "kudos": (
        gettext_lazy("You cannot leave kudos on a draft."),
        gettext_lazy("You cannot leave kudos on a work hidden by an administrator."),
        gettext_lazy("Only registered users can leave kudos on this work. Please log in."),
    ),
    "bookmark": (
        gettext_lazy("You cannot bookmark a draft."),
        gettext_lazy("You cannot bookmark a work hidden by an administrator."),
        gettext_lazy("Only registered users can bookmark this work. Please log in."),
    ),
    "download": (
        gettext_lazy("You cannot download a draft."),
        gettext_lazy("You cannot download a work hidden by an administrator."),
        gettext_lazy("Only registered users can download this work. Please log in."),
    ),
}


def _closed(work: Work, viewer: AnyUser, engagement: str) -> str:
    """Why nobody (or not this viewer) may engage with the work at all, or ""."""
    draft, hidden, restricted = _CLOSED[engagement]
    if not work.posted:
        return str(draft)
    if work.hidden_by_admin:
        return str(hidden)
    if work.restricted and not viewer.is_authenticated:
        return str(restricted)
    return ""


def work_permissions(viewer: AnyUser, work: Work) -> WorkPermissions:
    """What `viewer` may do with `work` (two small queries: creators and blocks)."""
    creator = is_creator(viewer, work)
    blocked = bool(viewer.is_authenticated and not creator and blocked_by_creator(work, viewer))
    # Moderators read hidden works to review them (`access_work` lets them open one).
    reviewing = work.posted and work.hidden_by_admin and is_moderator(viewer)
    read = "" if creator or reviewing else _closed(work, viewer, "read")

    def engaging(engagement: str) -> str:
        return _closed(work, viewer, engagement) or (_(BLOCKED_MESSAGE) if blocked else "")

    comment = engaging("comment")
    if not comment and work.comment_policy == CommentPolicy.NOBODY:
        comment = _("Sorry, this work doesn't allow comments.")
    registered_only = work.comment_policy == CommentPolicy.REGISTERED
    if not comment and registered_only and not viewer.is_authenticated:
        comment = _("Sorry, this work only allows comments from registered users.")
    kudos = engaging("kudos")
    if not kudos and creator:
        kudos = _("You can't leave kudos on your own work.")
    bookmark = _closed(work, viewer, "bookmark")
    if not bookmark and not viewer.is_authenticated:
        bookmark = _("Please log in to bookmark works.")
    # Drafts and hidden works are never downloadable, not even by their creators.
    download = _closed(work, viewer, "download")
    if not work.posted:
        download = _("Drafts cannot be downloaded. Post the work first.")
    elif work.hidden_by_admin:
        download = _("This work has been hidden by an administrator.")
    return WorkPermissions(
        read_refusal=read,
        comment_refusal=comment,
        kudos_refusal=kudos,
        bookmark_refusal=bookmark,
        download_refusal=download,
        edit_refusal="" if creator else _("Only the creators of this work can change it."),
    )


def refuse_unless(allowed: str, *, key: str) -> None:
    """Raise the refusal `allowed` (a `*_refusal`), keyed `key` for the form, when set."""
    if allowed:
        raise ValidationError({key: [allowed]})
