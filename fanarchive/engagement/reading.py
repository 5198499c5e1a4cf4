"""What a work's reading page shows below the text: kudos, comments, and what the reader
may do there (from the one permission object)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from fanarchive.engagement.comment_pages import comment_page
from fanarchive.engagement.permissions import work_permissions
from fanarchive.engagement.selectors import has_given_kudos, kudos_list, pending_comments

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User
    from fanarchive.works.models import Chapter, Work

    AnyUser = User | AnonymousUser


def reading_context(
    viewer: AnyUser,
    work: Work,
    shown: Sequence[Chapter],
    *,
    is_creator: bool,
    guest_key: str,
    comments_page: object = None,
) -> dict[str, object]:
    """What the work page shows of kudos and comments below the text it shows: one page
    (`comments_page`, the ?page= of the address) of the shown chapters' comment threads."""
    permissions = work_permissions(viewer, work)
    return {
        "permissions": permissions,
        "may_comment": permissions.may_comment,
        "kudos": kudos_list(work),
        "kudos_given": has_given_kudos(work, user=viewer, guest_key=guest_key),
        "comments": comment_page(viewer, shown, is_creator=is_creator, number=comments_page),
        "comments_by_chapter": len(shown) > 1,
        "comment_chapter": shown[-1] if shown else None,
        "pending_count": pending_comments(work).count() if is_creator else 0,
    }
