"""Comments: threaded, on chapters, under the work's comment policy (shared REFERENCE).

Rules: the work's policy (everyone, registered users only, no one); moderated works
hold new comments until a creator approves them; frozen threads take no replies;
commenters edit and delete their own comments, creators delete any on their works;
new accounts and guests may post `limits.comment_rate()` comments per window; users a
creator blocked cannot comment. The spam rules (`spam_selectors.hold_reason`) hold
some comments for a moderator ("held"): nobody is told and nothing is counted until a
moderator approves them (`spam_services`), which publishes them as `comment_release`.
Migrations keep old comments with `comment_import`, which skips the rules for new ones.
"""

from __future__ import annotations

import datetime as dt
import math
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.moderators import is_moderator
from fanarchive.accounts.selectors import is_blocked
from fanarchive.core.ratelimit import rate_limit_hold
from fanarchive.core.text import TextFormat, clean_line, clean_text, render
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement import limits, notices, spam_selectors
from fanarchive.engagement.models import Comment, CommentState
from fanarchive.engagement.permissions import refuse_unless, work_permissions
from fanarchive.engagement.selectors import commenter_name, creator_users
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.models import Chapter, Work
from fanarchive.works.selectors import is_creator, require_creator

DELETED_TEXT = "(Previous comment deleted.)"


def _rate_limit_error(*, user: User | None, guest_key: str) -> str | None:
    """The rate-limit message for new accounts and guests, or None when they may post.

    Call it in the transaction that inserts the comment: it holds the commenter's key
    until that transaction ends, so comments sent at once are counted one after another
    (20 at once post exactly the first number of `limits.comment_rate()`).
    """
    now = timezone.now()
    if user is not None:
        if not spam_selectors.is_new_account(user, now=now):
            return None
        recent = Comment.objects.filter(user=user)
        who = _("while your account is new")
        commenter = f"user:{user.pk}"
    else:
        recent = Comment.objects.filter(user__isnull=True, guest_key=guest_key)
        who = _("as a guest")
        commenter = f"guest:{guest_key}"
    count, seconds = limits.comment_rate()
    window = timedelta(seconds=seconds)
    rate_limit_hold(scope="comment", key=commenter, seconds=seconds)
    times = list(
        recent.filter(created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:count]
    )
    if len(times) < count:
        return None
    wait = max(1, math.ceil((times[-1] + window - now).total_seconds() / 60))
    return ngettext(
        "You can post %(rate)s %(who)s. Try again in %(wait)s minute.",
        "You can post %(rate)s %(who)s. Try again in %(wait)s minutes.",
        wait,
    ) % {"rate": limits.per_window(count, seconds, "comment"), "who": who, "wait": wait}


def _clean_text(text: str) -> str:
    """The comment as stored: control characters removed, checked, sanitised HTML."""
    text = clean_text(text).strip()
    if not text:
        raise ValidationError({"text": [_("Please write a comment.")]})
    if len(text) > limits.COMMENT_MAX:
        raise ValidationError(
            {
                "text": [
                    _(
                        "A comment can be at most %(COMMENT_MAX)s characters long; this one has "
                        "%(length)s."
                    )
                    % {"COMMENT_MAX": f"{limits.COMMENT_MAX:,}", "length": f"{len(text):,}"}
                ]
            }
        )
    html = render(text, TextFormat.HTML)
    if not html.strip():
        raise ValidationError({"text": [_("Please write a comment.")]})
    return html


def _url(site_url: str, comment: Comment) -> str:
    # The comment's own address: it finds the page of threads that shows it when followed.
    return f"{site_url.rstrip('/')}{reverse('engagement:comment', args=[comment.pk])}"


def comment_create(
    *,
    chapter: Chapter,
    user: User | None,
    text: str,
    pseud: Pseud | None = None,
    guest_name: str = "",
    guest_email: str = "",
    guest_key: str = "",
    parent: Comment | None = None,
    site_url: str = "",
) -> Comment:
    """A new comment on `chapter` (or a reply to `parent`) by `user`, or by a guest.

    Moderated works keep it pending until a creator approves it (creators' own
    comments never wait). Creators are notified, and the parent's author of a reply.
    """
    work: Work = chapter.work
    if parent is not None and parent.work_id != work.pk:
        raise ValidationError({"text": [_("That comment is not on this work.")]})
    refuse_unless(work_permissions(user or AnonymousUser(), work).comment_refusal, key="text")
    if not chapter.posted:
        raise ValidationError({"text": [_("You cannot comment on a draft chapter.")]})
    if parent is not None:
        if parent.deleted or parent.state != CommentState.PUBLISHED:
            raise ValidationError({"text": [_("You cannot reply to this comment.")]})
        if parent.frozen:
            raise ValidationError(
                {"text": [_("This comment thread is frozen. No new replies can be made.")]}
            )
        if user is not None and parent.user is not None and is_blocked(parent.user, user):
            raise ValidationError({"text": [_("You cannot reply to this comment.")]})
    errors: dict[str, list[str]] = {}
    if user is None:
        guest_name = clean_line(guest_name).strip()
        guest_email = guest_email.strip()
        if not guest_name:
            errors.setdefault("name", []).append(_("Please enter your name."))
        elif len(guest_name) > limits.GUEST_NAME_MAX:
            errors.setdefault("name", []).append(
                _("A name can be at most %(GUEST_NAME_MAX)s characters long.")
                % {"GUEST_NAME_MAX": limits.GUEST_NAME_MAX}
            )
        if guest_email:
            try:
                validate_email(guest_email)
            except ValidationError:
                errors.setdefault("email", []).append(_("Please enter a valid e-mail address."))
        if not guest_key:
            raise ValueError("a guest's comment needs a guest key")
    else:
        if pseud is None:
            pseud = user.default_pseud
        elif pseud.user_id != user.pk:
            errors.setdefault("pseud", []).append(_("You can only comment under your own pseuds."))
    try:
        html = _clean_text(text)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    creator = user is not None and is_creator(user, work)
    pending = work.moderated_comments and not creator
    with transaction.atomic():
        held = ""
        if not creator:
            limited = _rate_limit_error(user=user, guest_key=guest_key)
            if limited:
                raise ValidationError({"text": [limited]})
            # After the rate limit's hold: copies sent at once are counted one by one.
            held = spam_selectors.hold_reason(work=work, user=user, guest_key=guest_key, html=html)
        state = CommentState.PENDING if pending else CommentState.PUBLISHED
        if held:
            state = CommentState.HELD
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            parent=parent,
            thread_root=parent.thread_root if parent is not None else None,
            user=user,
            pseud=pseud if user is not None else None,
            guest_name=guest_name if user is None else "",
            guest_email=guest_email if user is None else "",
            guest_key=guest_key if user is None else "",
            text=html,
            state=state,
            held_reason=held,
            fingerprint=spam_selectors.fingerprint(html),
        )
        if parent is None:
            comment.thread_root = comment
            comment.save(update_fields=["thread_root"])
        if not held:
            _release(comment, site_url=site_url)
    return comment


def comment_release(comment: Comment, *, site_url: str = "") -> None:
    """A held comment goes on as a new one would have: awaiting the creators' approval
    on a moderated work, else published (notices sent, counts changed). For
    `spam_services`, in its transaction, after its moderator check."""
    comment.state = (
        CommentState.PENDING
        if comment.work.moderated_comments
        and not (comment.user is not None and is_creator(comment.user, comment.work))
        else CommentState.PUBLISHED
    )
    comment.held_reason = ""
    comment.save(update_fields=["state", "held_reason"])
    _release(comment, site_url=site_url)


def _release(comment: Comment, *, site_url: str) -> None:
    """Tell whom a new comment concerns: the creators of a pending one, or everyone
    `_announce` tells of a published one (and the catalogue's counts change)."""
    work = comment.work
    if comment.state == CommentState.PENDING:
        notices.notify(
            recipients=creator_users(work),
            kind="comment_pending",
            subject=lazy_format(
                gettext_lazy('A comment on "%(title)s" awaits your approval'), title=work.title
            ),
            body=lazy_format(
                gettext_lazy(
                    '%(name)s left a comment on %(chapter)s of "%(title)s". It will appear '
                    "once you approve it."
                ),
                name=lazy_text(commenter_name, comment),
                chapter=lazy_text(lambda: comment.chapter.heading),
                title=work.title,
            ),
            url=_url(site_url, comment),
            work=work,
            comment_id=comment.pk,
            actor=comment.user,
        )
    else:
        _announce(comment, site_url=site_url)
        catalogue_counts_changed(work_ids=[work.pk])


def _announce(comment: Comment, *, site_url: str) -> None:
    """Tell the creators about a published comment, and the parent's author about a reply."""
    work = comment.work
    creators = creator_users(work)
    notices.notify(
        recipients=creators,
        kind="comment",
        subject=lazy_format(gettext_lazy('New comment on "%(title)s"'), title=work.title),
        body=lazy_format(
            gettext_lazy('%(name)s commented on %(chapter)s of "%(title)s".'),
            name=lazy_text(commenter_name, comment),
            chapter=lazy_text(lambda: comment.chapter.heading),
            title=work.title,
        ),
        url=_url(site_url, comment),
        work=work,
        comment_id=comment.pk,
        actor=comment.user,
    )
    parent = comment.parent
    if parent is not None and parent.user is not None and parent.user not in creators:
        notices.notify(
            recipients=[parent.user],
            kind="reply",
            subject=lazy_format(
                gettext_lazy('Reply to your comment on "%(title)s"'), title=work.title
            ),
            body=lazy_format(
                gettext_lazy('%(name)s replied to your comment on "%(title)s".'),
                name=lazy_text(commenter_name, comment),
                title=work.title,
            ),
            url=_url(site_url, comment),
            work=work,
            comment_id=comment.pk,
            actor=comment.user,
        )


def comment_update(*, user: User, comment: Comment, text: str) -> Comment:
    """The author edits their own comment (not a deleted or frozen one)."""
    if comment.user_id != user.pk:
        raise PermissionDenied(_("Only the person who wrote this comment can edit it."))
    if comment.deleted:
        raise ValidationError({"text": [_("This comment was deleted.")]})
    if comment.frozen:
        raise ValidationError({"text": [_("This comment thread is frozen and cannot be edited.")]})
    html = _clean_text(text)
    with transaction.atomic():
        comment.text = html
        comment.edited_at = timezone.now()
        comment.fingerprint = spam_selectors.fingerprint(html)
        fields = ["text", "edited_at", "fingerprint"]
        was_counted = comment.state == CommentState.PUBLISHED
        if comment.state in (CommentState.PUBLISHED, CommentState.PENDING) and not is_creator(
            user, comment.work
        ):
            # A new account adding a link to a comment already shown: held as a new one.
            held = spam_selectors.link_hold_reason(user=user, html=html)
            if held:
                comment.state = CommentState.HELD
                comment.held_reason = held
                fields += ["state", "held_reason"]
        comment.save(update_fields=fields)
        if was_counted:
            # Its count went down (held), or its text changed on the work's page: either
            # way the page guests are served from the cache is stale (`work_page_version`).
            catalogue_counts_changed(work_ids=[comment.work_id])
    return comment


def comment_delete(*, user: User, comment: Comment) -> None:
    """The author, a creator of the work, or an administrator deletes a comment.

    With replies it stays as "(Previous comment deleted.)" so the thread holds together;
    without, it goes, and so do deleted ancestors left without replies.
    """
    if comment.user_id != user.pk and not is_creator(user, comment.work) and not is_moderator(user):
        raise PermissionDenied(_("Only the comment's author or the work's creators can delete it."))
    if comment.deleted:
        return
    with transaction.atomic():
        if comment.replies.exists():
            comment.deleted = True
            comment.text = ""
            comment.save(update_fields=["deleted", "text"])
        else:
            parent = comment.parent
            comment.delete()
            while parent is not None and parent.deleted and not parent.replies.exists():
                grandparent = parent.parent
                parent.delete()
                parent = grandparent
        catalogue_counts_changed(work_ids=[comment.work_id])


def comment_approve(*, user: User, comment: Comment, site_url: str = "") -> Comment:
    """A creator publishes a comment held for moderation."""
    require_creator(user, comment.work, to=_("approve comments on it"))
    if comment.state == CommentState.PUBLISHED:
        return comment
    if comment.state == CommentState.HIDDEN:
        raise PermissionDenied(_("A moderator hid this comment; it cannot be approved."))
    if comment.state == CommentState.HELD:
        raise PermissionDenied(_("This comment is held for a moderator; it cannot be approved."))
    with transaction.atomic():
        comment.state = CommentState.PUBLISHED
        comment.save(update_fields=["state"])
        _announce(comment, site_url=site_url)
        catalogue_counts_changed(work_ids=[comment.work_id])
    return comment


def _set_frozen(*, user: User, comment: Comment, frozen: bool) -> Comment:
    require_creator(user, comment.work, to=_("freeze comment threads on it"))
    with transaction.atomic():
        # The comment and every reply below it, level by level.
        ids = [comment.pk]
        level = [comment.pk]
        while level:
            level = list(Comment.objects.filter(parent_id__in=level).values_list("id", flat=True))
            ids += level
        Comment.objects.filter(id__in=ids).update(frozen=frozen)
        catalogue_counts_changed(work_ids=[comment.work_id])  # the work's page changed
    comment.frozen = frozen
    return comment


def comment_freeze(*, user: User, comment: Comment) -> Comment:
    """A creator freezes a thread: the comment and its replies take no replies or edits."""
    return _set_frozen(user=user, comment=comment, frozen=True)


def comment_unfreeze(*, user: User, comment: Comment) -> Comment:
    return _set_frozen(user=user, comment=comment, frozen=False)


def comment_import(
    *,
    chapter: Chapter,
    text: str,
    created_at: dt.datetime | None = None,
    user: User | None = None,
    pseud: Pseud | None = None,
    guest_name: str = "",
) -> Comment:
    """A comment migrated from another archive (the eFiction migration's reviews).

    Only for migrations: it keeps the old date and skips what makes no sense for
    history, namely the work's current comment policy, moderation (it is published),
    the rate limit, blocks and notifications (nobody is told). It still validates the
    text (sanitised like any comment, at most `limits.COMMENT_MAX` characters), the
    links (a posted chapter of a posted work, the pseud one of the user's) and the
    date (not in the future). Without `user` it is a guest's comment under
    `guest_name` ("Anonymous" when empty).
    """
    work: Work = chapter.work
    errors: dict[str, list[str]] = {}
    if not work.posted or not chapter.posted:
        errors.setdefault("chapter", []).append(_("Only a posted chapter can have comments."))
    if user is not None:
        if pseud is None:
            pseud = user.default_pseud
        elif pseud.user_id != user.pk:
            errors.setdefault("pseud", []).append(_("The pseud is not one of the user's."))
        guest_name = ""
    else:
        pseud = None
        guest_name = clean_line(guest_name).strip()[: limits.GUEST_NAME_MAX].strip()
    if created_at is not None and created_at > timezone.now():
        errors.setdefault("created_at", []).append(_("A date in the future cannot be kept."))
    try:
        html = _clean_text(text)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            errors.setdefault(key, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        comment = Comment.objects.create(
            work=work,
            chapter=chapter,
            user=user,
            pseud=pseud,
            guest_name=guest_name,
            text=html,
            state=CommentState.PUBLISHED,
        )
        comment.thread_root = comment
        comment.save(update_fields=["thread_root"])
        if created_at is not None:
            # created_at is auto_now_add: the old date is set after the insert.
            Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
            comment.created_at = created_at
        catalogue_counts_changed(work_ids=[work.pk])
    return comment
