"""Subscriptions: to a work (new chapters), a creator (new works) or a series (new parts).

When the works services announce a new work, chapter or series part (`works.events`),
`subscription_tasks` queues one background task on commit, which writes the notices
here (`subscription_notices_for_*`, through `notices.notify`). Nobody hears of drafts
or hidden works, and creators never hear of their own work.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils.translation import gettext, gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.core.translation import lazy_format, lazy_text
from fanarchive.engagement.models import Notice, NoticeKind, Subscription, SubscriptionKind
from fanarchive.engagement.notices import notify
from fanarchive.works.models import Chapter, Series, SeriesWork, Work
from fanarchive.works.selectors import access_work, public_byline
from fanarchive.works.series_selectors import series_get


def subscription_create(
    *,
    user: User,
    work: Work | None = None,
    creator: User | None = None,
    series: Series | None = None,
) -> Subscription:
    """Subscribe `user` to exactly one of a work, a creator or a series; twice is once."""
    targets = [t for t in (work, creator, series) if t is not None]
    if len(targets) != 1:
        raise ValidationError(gettext("Subscribe to one work, creator or series at a time."))
    if work is not None:
        access_work(user, work.pk)  # 404/403 for works the user may not see
        if not work.posted:
            raise ValidationError({"work": [gettext("You cannot subscribe to a draft.")]})
        lookup: dict[str, Any] = {"kind": SubscriptionKind.WORK, "work": work}
    elif creator is not None:
        if creator.pk == user.pk:
            raise ValidationError({"creator": [gettext("You cannot subscribe to yourself.")]})
        lookup = {"kind": SubscriptionKind.CREATOR, "creator": creator}
    elif series is not None:
        series_get(user, series.pk)  # 404 for series the user may not open
        lookup = {"kind": SubscriptionKind.SERIES, "series": series}
    try:
        with transaction.atomic():
            subscription, _ = Subscription.objects.get_or_create(user=user, **lookup)
    except IntegrityError:  # a double click raced us
        subscription = Subscription.objects.get(user=user, **lookup)
    return subscription


def subscription_delete(*, user: User, subscription: Subscription) -> None:
    """Unsubscribe; only the subscriber may."""
    if subscription.user_id != user.pk:
        raise ValidationError(gettext("This is not your subscription."))
    with transaction.atomic():
        subscription.delete()


# -- the notices (run by the background tasks) --------------------------------------------


def _noticeable(work: Work) -> bool:
    # An unrevealed work (a collection's, before its reveal) must not reach any inbox.
    return work.posted and not work.hidden_by_admin and not work.unrevealed


def _creator_user_ids(work: Work) -> set[int]:
    return set(work.creatorships.values_list("pseud__user_id", flat=True))


def _subscribers(condition: Q, work: Work) -> QuerySet[User]:
    """Active subscribers matching `condition`, never the work's own creators."""
    return (
        User.objects.filter(
            id__in=Subscription.objects.filter(condition).values("user_id"), is_active=True
        )
        .exclude(id__in=_creator_user_ids(work))
        .order_by("id")
    )


def _not_told_of_work(recipients: QuerySet[User], work: Work) -> list[User]:
    """Drop readers who already heard of this new work (through a creator or a series)."""
    told = Notice.objects.filter(
        kind=NoticeKind.SUBSCRIPTION, work=work, url=work.get_absolute_url()
    ).values("recipient_id")
    return list(recipients.exclude(id__in=told))


def _byline(work: Work) -> str:
    """As everyone may read it: "Anonymous" for an anonymous work."""
    return public_byline(work)


def subscription_notices_for_work(*, work_id: int) -> int:
    """Notices of a newly posted work, to subscribers of its creators and its series."""
    work = Work.objects.filter(pk=work_id).first()
    if work is None or not _noticeable(work):
        return 0
    series_ids = SeriesWork.objects.filter(work=work).values("series_id")
    wanted = Q(kind=SubscriptionKind.SERIES, series_id__in=series_ids)
    # Telling a creator's subscribers would name the creator of an anonymous work.
    if not (work.anonymous or work.anonymous_by_collection):
        wanted |= Q(kind=SubscriptionKind.CREATOR, creator_id__in=_creator_user_ids(work))
    recipients = _not_told_of_work(_subscribers(wanted, work), work)
    notify(
        recipients=recipients,
        kind=NoticeKind.SUBSCRIPTION,
        subject=lazy_format(gettext_lazy("New work: %(title)s"), title=work.title),
        body=lazy_format(
            gettext_lazy("%(byline)s posted a new work, %(title)s."),
            byline=lazy_text(_byline, work),
            title=work.title,
        ),
        url=work.get_absolute_url(),
        work=work,
    )
    return len(recipients)


def subscription_notices_for_chapter(*, chapter_id: int) -> int:
    """Notices of a newly posted chapter, to the work's subscribers."""
    chapter = Chapter.objects.select_related("work").filter(pk=chapter_id).first()
    if chapter is None or not chapter.posted or not _noticeable(chapter.work):
        return 0
    work = chapter.work
    recipients = list(_subscribers(Q(kind=SubscriptionKind.WORK, work=work), work))
    notify(
        recipients=recipients,
        kind=NoticeKind.SUBSCRIPTION,
        subject=lazy_format(gettext_lazy("New chapter of %(title)s"), title=work.title),
        body=lazy_format(
            gettext_lazy("%(chapter)s of %(title)s by %(byline)s is posted."),
            chapter=lazy_text(lambda: chapter.heading),
            title=work.title,
            byline=lazy_text(_byline, work),
        ),
        url=chapter.get_absolute_url(),
        work=work,
    )
    return len(recipients)


def subscription_notices_for_series(*, series_id: int, work_id: int) -> int:
    """Notices of a posted work joining a series, to the series' subscribers."""
    entry = (
        SeriesWork.objects.select_related("series", "work")
        .filter(series_id=series_id, work_id=work_id)
        .first()
    )
    if entry is None or not _noticeable(entry.work):
        return 0
    work, series = entry.work, entry.series
    recipients = _not_told_of_work(
        _subscribers(Q(kind=SubscriptionKind.SERIES, series=series), work), work
    )
    notify(
        recipients=recipients,
        kind=NoticeKind.SUBSCRIPTION,
        subject=lazy_format(
            gettext_lazy("New work in %(series)s: %(title)s"), series=series.title, title=work.title
        ),
        body=lazy_format(
            gettext_lazy("%(title)s by %(byline)s is part %(position)s of %(series)s."),
            title=work.title,
            byline=lazy_text(_byline, work),
            position=entry.position,
            series=series.title,
        ),
        url=work.get_absolute_url(),
        work=work,
    )
    return len(recipients)
