"""A creator's statistics: per work counts, totals, and counts by day (the stats page).

Only ever for the creator's own eyes (the views check ownership), so their anonymous,
unrevealed and hidden works are all included: it is their own work. The numbers per
work are the ones readers see on blurbs (`works.stats.work_stats`: published comments,
public bookmarks), plus subscriptions to the work.

Like AO3's stats page, choosing a year keeps the works with a chapter published that
year and counts only those chapters' words; the engagement counts stay each work's
totals. Counts by day come from the rows' own timestamps; hits, whose marks are
pruned once counted, from the per-day counts the flush keeps (`WorkHitDay`, from the
day it was added) plus the marks not yet counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Max, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.utils.translation import gettext_lazy

from fanarchive.accounts.models import User
from fanarchive.engagement.models import (
    Bookmark,
    Comment,
    CommentState,
    HitMark,
    Kudos,
    Subscription,
    SubscriptionKind,
    WorkHitDay,
)
from fanarchive.works.models import Chapter, Work
from fanarchive.works.stats import work_stats

# Columns of the per-work table: (key, label). "title" and "date" sort as text and time.
COLUMNS = (
    ("title", gettext_lazy("Title")),
    ("date", gettext_lazy("Date")),
    ("words", gettext_lazy("Word count")),
    ("hits", gettext_lazy("Hits")),
    ("kudos", gettext_lazy("Kudos")),
    ("comments", gettext_lazy("Comments")),
    ("bookmarks", gettext_lazy("Bookmarks")),
    ("subscriptions", gettext_lazy("Subscriptions")),
)
COUNTED = ("words", "hits", "kudos", "comments", "bookmarks", "subscriptions")
# Measures that have a series by day: (key, label).
MEASURES = (
    ("kudos", gettext_lazy("Kudos")),
    ("comments", gettext_lazy("Comments")),
    ("bookmarks", gettext_lazy("Bookmarks")),
    ("subscriptions", gettext_lazy("Subscriptions")),
    ("hits", gettext_lazy("Hits")),
)
DAY_CHOICES = (7, 30, 90, 365)


@dataclass(frozen=True)
class WorkRow:
    work_id: int
    title: str
    date: datetime | None  # when last revised (or, for a year, its last chapter that year)
    words: int
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    subscriptions: int


@dataclass(frozen=True)
class CreatorStats:
    rows: list[WorkRow]
    totals: dict[str, int]
    years: list[int]  # years with a published chapter, newest first


def _own_works(owner: User) -> QuerySet[Work]:
    """The creator's posted works, in any state (their own page, so nothing is hidden)."""
    return Work.objects.by_user(owner).filter(posted=True)


def stats_years(owner: User) -> list[int]:
    dates = Chapter.objects.filter(
        work__in=_own_works(owner), posted=True, published_at__isnull=False
    ).values_list("published_at", flat=True)
    return sorted({moment.year for moment in dates if moment}, reverse=True)


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC))


def _subscriptions(work_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Subscription.objects.filter(kind=SubscriptionKind.WORK, work_id__in=list(work_ids))
        .values("work_id")
        .annotate(n=Count("id"))
        .values_list("work_id", "n")
    )
    return dict(rows)


def creator_stats(
    owner: User, *, year: int | None = None, sort: str = "hits", descending: bool = True
) -> CreatorStats:
    """Every posted work of `owner` with its counts, sorted; `year`: see the module."""
    works = _own_works(owner)
    words: dict[int, int] = {}
    dates: dict[int, datetime | None] = {}
    if year is None:
        for work_id, all_words, revised in works.values_list("id", "word_count", "revised_at"):
            words[work_id], dates[work_id] = all_words, revised
    else:
        start, end = _year_bounds(year)
        rows = (
            Chapter.objects.filter(
                work__in=works, posted=True, published_at__gte=start, published_at__lt=end
            )
            .values("work_id")
            .annotate(words=Sum("word_count"), last=Max("published_at"))
            .values_list("work_id", "words", "last")
        )
        for work_id, year_words, last in rows:
            words[work_id], dates[work_id] = year_words or 0, last
    titles = dict(Work.objects.filter(pk__in=list(words)).values_list("id", "title"))
    counts = work_stats(list(words))
    subscriptions = _subscriptions(words)
    found = [
        WorkRow(
            work_id=work_id,
            title=titles[work_id],
            date=dates[work_id],
            words=words[work_id],
            hits=counts[work_id].hits,
            kudos=counts[work_id].kudos,
            comments=counts[work_id].comments,
            bookmarks=counts[work_id].bookmarks,
            subscriptions=subscriptions.get(work_id, 0),
        )
        for work_id in words
    ]
    found.sort(key=lambda row: _sort_key(row, sort), reverse=descending)
    totals = {name: sum(getattr(row, name) for row in found) for name in COUNTED}
    return CreatorStats(rows=found, totals=totals, years=stats_years(owner))


def _sort_key(row: WorkRow, sort: str) -> tuple[object, int]:
    if sort == "title":
        return (row.title.casefold(), row.work_id)
    if sort == "date":
        return (row.date or datetime.min.replace(tzinfo=UTC), row.work_id)
    name = sort if sort in COUNTED else "hits"
    return (getattr(row, name), row.work_id)


def _per_day(queryset: QuerySet[Any], field: str) -> dict[date, int]:
    rows = (
        queryset.order_by()
        .annotate(day=TruncDate(field, tzinfo=UTC))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    return dict(rows)


def daily_series(owner: User, *, measure: str, days: int, today: date) -> list[tuple[date, int]]:
    """How many `measure` (kudos, comments, ...) `owner`'s works got on each of the last
    `days` days up to `today` (UTC), zeros included, oldest first."""
    first = today - timedelta(days=days - 1)
    start = datetime.combine(first, time.min, tzinfo=UTC)
    works = _own_works(owner).values("id")
    if measure == "hits":
        counted = dict(
            HitMark.objects.filter(work__in=works, day__gte=first, day__lte=today, counted=False)
            .order_by()
            .values("day")
            .annotate(n=Count("pk"))
            .values_list("day", "n")
        )
        for day, hits in (
            WorkHitDay.objects.filter(work__in=works, day__gte=first, day__lte=today)
            .order_by()
            .values("day")
            .annotate(n=Sum("hits"))
            .values_list("day", "n")
        ):
            counted[day] = counted.get(day, 0) + hits
    else:
        rows: QuerySet[Any]
        if measure == "kudos":
            rows = Kudos.objects.filter(work__in=works)
        elif measure == "comments":
            rows = Comment.objects.filter(
                work__in=works, state=CommentState.PUBLISHED, deleted=False
            )
        elif measure == "bookmarks":
            rows = Bookmark.objects.filter(work__in=works, private=False)
        elif measure == "subscriptions":
            rows = Subscription.objects.filter(kind=SubscriptionKind.WORK, work__in=works)
        else:
            raise ValueError(f"Unknown measure {measure!r}.")
        counted = _per_day(rows.filter(created_at__gte=start), "created_at")
    return [(day, counted.get(day, 0)) for day in (first + timedelta(n) for n in range(days))]
