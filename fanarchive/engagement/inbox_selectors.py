"""Reads of the inbox and of subscriptions and history pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from fanarchive.accounts.models import Preference, User
from fanarchive.engagement.models import (
    Comment,
    CommentState,
    Notice,
    ReadingHistory,
    Subscription,
    SubscriptionKind,
)
from fanarchive.works.age_gate import AgeGateContext
from fanarchive.works.models import Work, WorkTag
from fanarchive.works.selectors import adult_text_withheld

INBOX_FILTERS = ("all", "unread", "read")


def work_shown_to(user: User) -> Q:
    """The rows (notices, subscriptions) whose work `user` may still see: listed for
    them, or theirs. A work hidden by an admin, or made a draft again, vanishes from
    their pages (and comes back if it is shown again)."""
    return (
        Q(work_id__isnull=True)
        | Exists(Work.objects.visible_to(user).filter(pk=OuterRef("work_id")))
        | Exists(Work.objects.by_user(user).filter(pk=OuterRef("work_id")))
    )


def inbox_of(user: User, *, show: str = "all") -> QuerySet[Notice]:
    notices = Notice.objects.filter(work_shown_to(user), recipient=user)
    if show == "unread":
        notices = notices.filter(read_at__isnull=True)
    elif show == "read":
        notices = notices.filter(read_at__isnull=False)
    return notices.select_related("actor", "work").order_by("-created_at", "-id")


def notice_comment_texts(notices: Iterable[Notice], *, reader: AgeGateContext) -> dict[int, str]:
    """The stored (sanitised) text of the comments these notices are about, by comment id,
    for the inbox to show beside its reply box: published comments only, and none on a
    work whose own words the reader may not see yet (the adult-content rule)."""
    comment_ids = {notice.comment_id for notice in notices if notice.comment_id is not None}
    if not comment_ids:
        return {}
    comments = list(
        Comment.objects.filter(pk__in=comment_ids, state=CommentState.PUBLISHED, deleted=False)
        .select_related("work")
        .prefetch_related(
            Prefetch("work__work_tags", queryset=WorkTag.objects.select_related("tag"))
        )
    )
    withheld = adult_text_withheld(
        viewer=reader, works={c.work_id: c.work for c in comments}.values()
    )
    return {c.pk: c.text for c in comments if c.work_id not in withheld}


def unread_count(user: User | AnonymousUser) -> int:
    """The header's number: one indexed COUNT on (recipient, read_at)."""
    if not user.is_authenticated:
        return 0
    return Notice.objects.filter(
        work_shown_to(user), recipient_id=user.pk, read_at__isnull=True
    ).count()


def subscriptions_of(user: User) -> QuerySet[Subscription]:
    """`user`'s subscriptions; `work_shown` says whether a work's title may be shown (a
    subscription to a work hidden since stays, so that it can be ended)."""
    return (
        Subscription.objects.filter(user=user)
        .select_related("work", "creator", "series")
        .annotate(work_shown=work_shown_to(user))
    )


def subscription_of(
    user: User | AnonymousUser, *, kind: str, target_id: int
) -> Subscription | None:
    """`user`'s subscription to the work, creator or series `target_id`, or None."""
    if not user.is_authenticated:
        return None
    field = {
        SubscriptionKind.WORK: "work_id",
        SubscriptionKind.CREATOR: "creator_id",
        SubscriptionKind.SERIES: "series_id",
    }[SubscriptionKind(kind)]
    return Subscription.objects.filter(user=user, kind=kind, **{field: target_id}).first()


def history_of(user: User, *, marked_only: bool = False) -> QuerySet[ReadingHistory]:
    """The works `user` read (or marked), newest first, only those they may still see."""
    entries = ReadingHistory.objects.filter(
        user=user, work__in=Work.objects.visible_to(user).values("id")
    )
    if marked_only:
        entries = entries.filter(marked_for_later=True)
    else:
        entries = entries.filter(last_read_at__isnull=False) | entries.filter(marked_for_later=True)
    return entries.select_related("work").order_by(F("last_read_at").desc(nulls_last=True), "-id")


def history_entry(user: User | AnonymousUser, work: Work) -> ReadingHistory | None:
    if not user.is_authenticated:
        return None
    return ReadingHistory.objects.filter(user=user, work=work).first()


def uses_marked_for_later(user: User) -> bool:
    """Whether `user` keeps "Marked for later" on (`Preference.use_marked_for_later`)."""
    preference = Preference.objects.filter(user=user).only("use_marked_for_later").first()
    return preference is None or preference.use_marked_for_later
