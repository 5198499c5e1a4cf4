"""Subscription notices in the background, and the hooks that queue them.

The hooks run inside the works services' transaction (called by `work_events` when works
announces a new work, chapter or series part): one indexed look, and one task queued on
commit if anybody follows. The task writes the notices (`subscription_services`).
Every task is idempotent: a reader already told of a work is not told again.
"""

from __future__ import annotations

from functools import partial

from django.db import transaction
from django.db.models import Q

from fanarchive.accounts.models import User
from fanarchive.core.tasks import retrying_task
from fanarchive.engagement import subscription_services
from fanarchive.engagement.models import Subscription, SubscriptionKind
from fanarchive.works.models import Chapter, Series, SeriesWork, Work


@retrying_task()
def subscription_work_posted(work_id: int) -> int:
    return subscription_services.subscription_notices_for_work(work_id=work_id)


@retrying_task()
def subscription_chapter_posted(chapter_id: int) -> int:
    return subscription_services.subscription_notices_for_chapter(chapter_id=chapter_id)


@retrying_task()
def subscription_series_work_added(series_id: int, work_id: int) -> int:
    return subscription_services.subscription_notices_for_series(
        series_id=series_id, work_id=work_id
    )


# -- hooks (inside the works services' transaction) ------------------------------------------


def subscriptions_work_posted(*, work: Work, new_by: User | None = None) -> None:
    """A work was posted: tell its creators' and its series' subscribers, after commit.

    `new_by`: the work was created and posted at once by this user, so it has no other
    creator and is in no series yet (`series_work_add` tells a series' subscribers).
    """
    # One indexed look first, so posting to an archive nobody follows queues nothing.
    if new_by is not None:
        followed = Q(kind=SubscriptionKind.CREATOR, creator=new_by)
    else:
        creators = work.creatorships.values("pseud__user_id")
        series = SeriesWork.objects.filter(work=work).values("series_id")
        followed = Q(kind=SubscriptionKind.CREATOR, creator_id__in=creators) | Q(
            kind=SubscriptionKind.SERIES, series_id__in=series
        )
    if Subscription.objects.filter(followed).exists():
        transaction.on_commit(partial(subscription_work_posted.enqueue, work.pk), robust=True)


def subscriptions_chapter_posted(*, chapter: Chapter) -> None:
    """A chapter of a posted work was posted: tell the work's subscribers, after commit."""
    if Subscription.objects.filter(kind=SubscriptionKind.WORK, work_id=chapter.work_id).exists():
        transaction.on_commit(partial(subscription_chapter_posted.enqueue, chapter.pk), robust=True)


def subscriptions_series_work_added(*, series: Series, work: Work) -> None:
    """A work joined a series: tell the series' subscribers (if it is posted), after commit."""
    if (
        work.posted
        and Subscription.objects.filter(kind=SubscriptionKind.SERIES, series=series).exists()
    ):
        transaction.on_commit(
            partial(subscription_series_work_added.enqueue, series.pk, work.pk), robust=True
        )
