"""Spam rules for comments (README, "Spam"): which comments are held for moderation.

Held (state "held", seen only by their author and moderators until a moderator
approves them, `spam_services`):

- a guest's or a new account's comment with a link (an `<a href>`, or an address
  starting http://, https:// or www.);
- anyone's comment whose text (tags stripped, lower case, spaces collapsed) the same
  commenter (the account, or the guest's key) posted on `repeated_comment_works() - 1`
  other works in the last day: the third and later copies, by default.

A creator's comment on their own work is never held (`comment_services` asks). Who is a
new account is the works app's one definition (`works.new_accounts.is_new_account`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_module
import re

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import require_moderator
from fanarchive.engagement import limits
from fanarchive.engagement.models import Comment, CommentState
from fanarchive.works.models import Work
from fanarchive.works.new_accounts import is_new_account as is_new_account

# An <a> element with an href (sanitised HTML: every "<a" is a real tag, closed by ">").
_LINK_TAG = re.compile(r"<a\b[^<>]*\bhref\s*=", re.IGNORECASE)
# A written address: http://, https:// or www. followed by something.
_ADDRESS = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s.]", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Any tag; "[^<>]" keeps it linear even on text that is not well-formed HTML.
_TAG = re.compile(r"<[^<>]*>")

# Reasons are stored in English (moderators' records stay as written) and shown in the
# reader's language by `held_reason_text`.
REASON_LINK_GUEST = gettext_noop("A link in a guest's comment")
REASON_LINK_NEW = gettext_noop("A link in a new account's comment")
REASON_REPEATED = "The same comment on {works} works within a day"
_REPEATED = re.compile(r"^The same comment on (\d+) works within a day$")


def published_comments_of(user: User) -> int:
    """A person's published comments (works' definition of a new account counts them)."""
    return Comment.objects.filter(user=user, state=CommentState.PUBLISHED, deleted=False).count()


def _text(html: str) -> str:
    """The words of sanitised HTML: tags become spaces, entities characters."""
    return html_module.unescape(_TAG.sub(" ", html))


def has_link(html: str) -> bool:
    """Whether sanitised comment HTML holds a link or a written web address."""
    return bool(_LINK_TAG.search(html) or _ADDRESS.search(_text(html)))


def normalised(html: str) -> str:
    """The comment's words as compared for repeats: tags stripped, lower case, spaces collapsed."""
    return _SPACES.sub(" ", _text(html)).strip().lower()


def fingerprint(html: str) -> str:
    return hashlib.sha256(normalised(html).encode("utf-8")).hexdigest()


def _repeated_works(
    *, work: Work, user: User | None, guest_key: str, print_: str, now: dt.datetime
) -> int:
    """Other works the same commenter left this text on in the last day."""
    mine = (
        Comment.objects.filter(user=user)
        if user is not None
        else Comment.objects.filter(user__isnull=True, guest_key=guest_key)
    )
    since = now - dt.timedelta(hours=limits.REPEATED_COMMENT_HOURS)
    return (
        mine.filter(fingerprint=print_, created_at__gt=since)
        .exclude(work=work)
        .order_by()
        .values("work_id")
        .distinct()
        .count()
    )


def hold_reason(
    *,
    work: Work,
    user: User | None,
    guest_key: str,
    html: str,
    now: dt.datetime | None = None,
) -> str:
    """Why this new comment is held, or "" when it is not (the caller exempts creators)."""
    now = now or timezone.now()
    if has_link(html):
        if user is None:
            return REASON_LINK_GUEST
        if is_new_account(user, now=now):
            return REASON_LINK_NEW
    if user is None and not guest_key:
        return ""
    needed = limits.repeated_comment_works()
    others = _repeated_works(
        work=work, user=user, guest_key=guest_key, print_=fingerprint(html), now=now
    )
    if others >= needed - 1:
        return REASON_REPEATED.format(works=others + 1)
    return ""


def held_reason_text(reason: str) -> str:
    """A stored hold reason in the language of the moment (an unknown one as stored)."""
    repeated = _REPEATED.match(reason)
    if repeated:
        works = int(repeated.group(1))
        return ngettext(
            "The same comment on %(works)d work within a day",
            "The same comment on %(works)d works within a day",
            works,
        ) % {"works": works}
    if reason in (REASON_LINK_GUEST, REASON_LINK_NEW):
        return _(reason)
    return reason


def link_hold_reason(*, user: User, html: str) -> str:
    """For an edited comment: held when a new account adds a link."""
    if has_link(html) and is_new_account(user):
        return REASON_LINK_NEW
    return ""


def held_comments(moderator: User) -> QuerySet[Comment]:
    """Comments held by the spam rules, oldest first (moderators only)."""
    require_moderator(moderator, _("Only moderators and administrators can see held comments."))
    return (
        Comment.objects.filter(state=CommentState.HELD, deleted=False)
        .select_related("work", "chapter", "pseud", "pseud__user", "user")
        .order_by("created_at", "id")
    )


def held_count() -> int:
    return Comment.objects.filter(state=CommentState.HELD, deleted=False).count()
