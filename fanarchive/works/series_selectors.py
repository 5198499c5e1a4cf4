"""Reads of series: who made them, their parts as a reader may see them, navigation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.moderators import is_moderator
from fanarchive.works.models import (
    Series,
    SeriesCreatorship,
    SeriesWork,
    Work,
)
from fanarchive.works.selectors import anonymous_works_q, with_blurb_data

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


# -- series ---------------------------------------------------------------------------


def is_series_creator(user: AnyUser, series: Series) -> bool:
    if not user.is_authenticated:
        return False
    return series.creatorships.filter(pseud__user=user).exists()


def series_titled(user: User, title: str) -> Series | None:
    """The user's own series with this title (any case; the oldest if several), or None."""
    return (
        Series.objects.filter(creatorships__pseud__user=user, title__iexact=title.strip())
        .order_by("id")
        .first()
    )


def series_works_for(viewer: AnyUser, series: Series) -> list[SeriesWork]:
    """The series' works `viewer` may see, in order; creators also see their own drafts."""
    visible = Work.objects.visible_to(viewer).values("id")
    entries = series.series_works.select_related("work").order_by("position", "id")
    if viewer.is_authenticated:
        mine = Work.objects.by_user(viewer).values("id")
        entries = entries.filter(Q(work__in=visible) | Q(work__in=mine))
    else:
        entries = entries.filter(work__in=visible)
    works = with_blurb_data(Work.objects.filter(id__in=[e.work_id for e in entries]))
    by_id = {work.pk: work for work in works}
    result = []
    for entry in entries:
        entry.work = by_id[entry.work_id]
        result.append(entry)
    return result


def series_get(viewer: AnyUser, series_id: int) -> Series:
    """A series `viewer` may open: it has a work they may see, or they made it."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None:
        raise Http404(gettext("No such series."))
    if is_series_creator(viewer, series):
        return series
    visible = Work.objects.visible_to(viewer).values("id")
    if not series.series_works.filter(work__in=visible).exists():
        raise Http404(gettext("No such series."))
    return series


def series_creators(series: Series) -> list[Pseud]:
    return [
        sc.pseud
        for sc in SeriesCreatorship.objects.filter(series=series)
        .select_related("pseud", "pseud__user")
        .order_by("id")
    ]


def series_creators_for(viewer: AnyUser, series: Series) -> list[Pseud]:
    """The series' creators as `viewer` may see them: none ("Anonymous") to others when
    the series holds an anonymous work, which its named creators would give away; its
    creators and moderators see them all."""
    pseuds = series_creators(series)
    if is_moderator(viewer) or any(
        viewer.is_authenticated and pseud.user_id == viewer.pk for pseud in pseuds
    ):
        return pseuds
    if series.series_works.filter(anonymous_works_q("work__")).exists():
        return []
    return pseuds


def series_with_anonymous_works() -> QuerySet[SeriesWork, int]:
    """The ids of the series holding an anonymous work (or one in an anonymous
    collection), as a subquery."""
    return SeriesWork.objects.filter(anonymous_works_q("work__")).values_list(
        "series_id", flat=True
    )


def series_of_user(user: User) -> QuerySet[Series]:
    return (
        Series.objects.filter(
            id__in=SeriesCreatorship.objects.filter(pseud__user=user).values("series_id")
        )
        .distinct()
        .order_by("title", "id")
    )


@dataclass
class SeriesStats:
    works: int
    words: int


def series_stats(entries: list[SeriesWork]) -> SeriesStats:
    return SeriesStats(works=len(entries), words=sum(entry.work.word_count for entry in entries))


@dataclass
class SeriesPlace:
    """AO3's "← Previous Work  Part 2 of The Harbour Cycle  Next Work →"."""

    series: Series
    part: int
    previous: Work | None
    next: Work | None


def series_navigation(viewer: AnyUser, work: Work) -> list[SeriesPlace]:
    """Where `work` stands in each series it belongs to, among the works `viewer` may see."""
    places = []
    for entry in work.series_works.select_related("series").order_by("series_id"):
        entries = series_works_for(viewer, entry.series)
        ids = [e.work_id for e in entries]
        if work.pk not in ids:
            continue
        index = ids.index(work.pk)
        places.append(
            SeriesPlace(
                series=entry.series,
                part=entry.position,
                previous=entries[index - 1].work if index > 0 else None,
                next=entries[index + 1].work if index + 1 < len(entries) else None,
            )
        )
    return places


def series_total_words(series: Series) -> int:
    return series.series_works.aggregate(total=Sum("work__word_count"))["total"] or 0
