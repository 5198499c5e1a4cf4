"""Deleting an account, by its owner (the password again) or by an admin (with a reason).

The person chooses what becomes of their works and their comments (`DeletionChoices`):

- works only theirs are orphaned (to the orphan account, keeping each pseud's name
  or not, as `works.creator_services.work_orphan` does) or deleted (`work_delete`);
  drafts are always deleted, since nobody could ever post them; co-created works stay
  with the other creators (`creator_remove_self`); series left with nobody else as
  creator are deleted, their works staying as they are;
- comments on works stay, shown as "(deleted account)" (`Comment.author_deleted`, the
  link to the account and pseud gone), or are deleted as their author would delete
  them (`comment_delete`: a placeholder while replies hang from them); news comments
  likewise stay as "(account deleted)" or are deleted (`news_comment_delete`).

Everything else goes with the account row by the database's cascade: pseuds,
preferences, bookmarks, kudos, history, the reading list, subscriptions, the inbox, API tokens,
autosaves, two-factor log-in, blocks, mutes, appeals. Gifts to their pseuds are
deleted, so the works stay and are gifts to nobody. Every work whose listing data or
counts change is logged to the catalogue in the same transaction, so listings,
search, feeds and counts follow at once. Sessions end because a session whose user row
is gone resolves to nobody (`accounts.backends`); the page logs the current one out.
Reports they made stay, without their reporter.
"""

from __future__ import annotations

import enum
import shutil
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts import login_services
from fanarchive.accounts.limits import ORPHAN_USERNAME
from fanarchive.accounts.models import User
from fanarchive.collections.services import collections_hand_over
from fanarchive.core.audit_services import audit_record
from fanarchive.core.ratelimit import RateLimited
from fanarchive.core.reasons import moderation_text
from fanarchive.engagement.comment_services import comment_delete
from fanarchive.engagement.models import Bookmark, Comment, Kudos
from fanarchive.news.models import NewsComment
from fanarchive.news.services import news_comment_delete
from fanarchive.portability.deletion_selectors import (
    DeletionSummary,
    deletion_summary,
    own_works,
    shared_works,
)
from fanarchive.portability.export_selectors import exports_dir
from fanarchive.works.catalogue_services import catalogue_counts_changed
from fanarchive.works.creator_services import (
    creator_remove_self,
    orphan_account_ensure,
    work_orphan,
)
from fanarchive.works.models import Gift, Series, Work
from fanarchive.works.refresh_services import work_refresh
from fanarchive.works.series_services import series_delete
from fanarchive.works.services import work_delete

WRONG_PASSWORD_MESSAGE = gettext_lazy("That is not your password. Nothing was deleted.")
PASSWORD_MAX = 4096


class WorksChoice(enum.StrEnum):
    ORPHAN_KEEP_PSEUDS = "orphan_keep_pseuds"
    ORPHAN = "orphan"
    DELETE = "delete"


class CommentsChoice(enum.StrEnum):
    KEEP = "keep"
    DELETE = "delete"


WORKS_LABELS = {
    WorksChoice.ORPHAN_KEEP_PSEUDS: gettext_lazy(
        'Orphan them, keeping my pseuds\' names on them ("name (orphan_account)")'
    ),
    WorksChoice.ORPHAN: gettext_lazy('Orphan them as "orphan_account", without my pseuds\' names'),
    WorksChoice.DELETE: gettext_lazy("Delete them"),
}
COMMENTS_LABELS = {
    CommentsChoice.KEEP: gettext_lazy('Leave them, shown as by "(deleted account)"'),
    CommentsChoice.DELETE: gettext_lazy("Delete them"),
}


@dataclass(frozen=True)
class DeletionChoices:
    works: str
    comments: str


@dataclass(frozen=True)
class DeletionResult:
    username: str
    works_orphaned: int
    works_deleted: int
    works_left_to_others: int
    comments_kept: int
    comments_deleted: int


def _checked(choices: DeletionChoices) -> tuple[WorksChoice, CommentsChoice]:
    errors: dict[str, list[str]] = {}
    works = comments = None
    try:
        works = WorksChoice(choices.works)
    except ValueError:
        errors["works"] = [_("Choose what becomes of your works: orphan them or delete them.")]
    try:
        comments = CommentsChoice(choices.comments)
    except ValueError:
        errors["comments"] = [_("Choose what becomes of your comments: leave them or delete them.")]
    if errors or works is None or comments is None:
        raise ValidationError(errors)
    return works, comments


def _require_deletable(user: User) -> None:
    if user.username.lower() == ORPHAN_USERNAME:
        raise PermissionDenied(_("The orphan account cannot be deleted: it holds orphaned works."))


def _reauthenticate(*, user: User, password: str, address: str) -> None:
    """The owner's password again, counted like a log-in (as two-factor's changes are)."""
    try:
        login_services.login_throttle_check(identifier=user.username, address=address)
    except RateLimited as limited:
        raise ValidationError({"password": [str(limited)]}) from None
    if not password or len(password) > PASSWORD_MAX or not user.check_password(password):
        login_services.login_failure_record(identifier=user.username, address=address)
        raise ValidationError({"password": [WRONG_PASSWORD_MESSAGE]})


def account_delete(
    *, user: User, password: str, address: str, choices: DeletionChoices
) -> DeletionResult:
    """The owner deletes their own account, after their password."""
    _require_deletable(user)
    works, comments = _checked(choices)
    _reauthenticate(user=user, password=password, address=address)
    summary = deletion_summary(user)
    with transaction.atomic():
        # Kept for the admins (who asked, what went), like an admin's deletion.
        audit_record(
            actor=user,
            action="user.delete_own",
            target=user,
            before=_audited_summary(user, summary),
            after={"deleted": True, "works": str(works), "comments": str(comments)},
        )
        return _delete(user, works, comments)


def _audited_summary(user: User, summary: DeletionSummary) -> dict[str, object]:
    return {
        "username": user.username,
        "works": summary.works,
        "drafts": summary.drafts,
        "co-created works": summary.shared,
        "comments": summary.comments,
        "bookmarks": summary.bookmarks,
    }


def may_delete_by_admin(actor: User, user: User) -> bool:
    """Staff with the right to delete users; another admin only by a superuser."""
    if not (actor.is_active and actor.is_staff and actor.has_perm("accounts.delete_user")):
        return False
    if actor.pk == user.pk:
        return False
    return not ((user.is_staff or user.is_superuser) and not actor.is_superuser)


def account_delete_by_admin(
    *, actor: User, user: User, choices: DeletionChoices, reason: str
) -> DeletionResult:
    """An admin deletes someone's account with the same choices, and a reason in the audit log."""
    if not may_delete_by_admin(actor, user):
        raise PermissionDenied(
            _(
                "Only admins may delete accounts; another admin's only a superuser, "
                "and one's own account from its own page."
            )
        )
    _require_deletable(user)
    errors: dict[str, list[str]] = {}
    try:
        works, comments = _checked(choices)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        reason = moderation_text(reason)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    summary = deletion_summary(user)
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="user.delete",
            target=user,
            reason=reason,
            before=_audited_summary(user, summary),
            after={"deleted": True, "works": str(works), "comments": str(comments)},
        )
        return _delete(user, works, comments)


# -- the deletion itself ------------------------------------------------------------------


def _works_let_go(user: User, works: WorksChoice) -> tuple[int, int, int]:
    """(orphaned, deleted, left to others)."""
    orphaned = deleted = 0
    shared = list(shared_works(user))
    for work in shared:
        creator_remove_self(user=user, work=work)
    if works != WorksChoice.DELETE:
        orphan_account_ensure()
    # Drafts first, so the series of the last orphaned work see none of theirs left.
    for work in list(own_works(user).order_by("posted", "pk")):
        if work.posted and works != WorksChoice.DELETE:
            work_orphan(user=user, work=work, keep_pseud=works == WorksChoice.ORPHAN_KEEP_PSEUDS)
            orphaned += 1
        else:
            work_delete(user=user, work=work)
            deleted += 1
    for series in list(Series.objects.filter(creatorships__pseud__user=user).distinct()):
        if not series.creatorships.exclude(pseud__user=user).exists():
            series_delete(user=user, series=series)
    return orphaned, deleted, len(shared)


def _gifts_to_nobody(user: User) -> None:
    gifts = Gift.objects.filter(pseud__user=user)
    work_ids = sorted(set(gifts.values_list("work_id", flat=True)))
    gifts.delete()
    for work in Work.objects.filter(pk__in=work_ids):
        work_refresh(work=work)


def _comments_let_go(user: User, comments: CommentsChoice) -> tuple[int, int]:
    """(kept, deleted)."""
    if comments == CommentsChoice.KEEP:
        kept = Comment.objects.filter(user=user).update(author_deleted=True, user=None, pseud=None)
        # News comments keep their place as "(account deleted)" by the cascade.
        return kept, 0
    deleted = 0
    # Newest first: replies before what they answer, so fewer placeholders are left.
    for comment_id in list(
        Comment.objects.filter(user=user, deleted=False)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
    ):
        comment = Comment.objects.filter(pk=comment_id, deleted=False).first()
        if comment is not None:
            comment_delete(user=user, comment=comment)
            deleted += 1
    for news_comment in list(NewsComment.objects.filter(user=user, deleted=False)):
        news_comment_delete(user=user, comment=news_comment)
        deleted += 1
    # Placeholders left for their replies name nobody.
    Comment.objects.filter(user=user).update(user=None, pseud=None)
    return 0, deleted


def _delete(user: User, works: WorksChoice, comments: CommentsChoice) -> DeletionResult:
    username = user.username
    with transaction.atomic():
        # Lock the row: a second request deleting the same account waits, then finds none.
        User.objects.select_for_update().get(pk=user.pk)
        collections_hand_over(leaving=user)
        orphaned, deleted, shared = _works_let_go(user, works)
        _gifts_to_nobody(user)
        kept, comments_deleted = _comments_let_go(user, comments)
        # Kudos and bookmarks go with the account: the counts of what they were on change.
        counted = set(Kudos.objects.filter(user=user).values_list("work_id", flat=True))
        counted |= set(
            Bookmark.objects.filter(user=user, work__isnull=False).values_list("work_id", flat=True)
        )
        catalogue_counts_changed(work_ids=[pk for pk in counted if pk is not None])
        folder = exports_dir() / str(user.pk)
        user.delete()
        # Their data exports' zips go once the rows are gone for good.
        transaction.on_commit(lambda: shutil.rmtree(folder, ignore_errors=True), robust=True)
    return DeletionResult(
        username=username,
        works_orphaned=orphaned,
        works_deleted=deleted,
        works_left_to_others=shared,
        comments_kept=kept,
        comments_deleted=comments_deleted,
    )
