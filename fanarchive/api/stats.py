"""/api/v1 statistics: a creator's counts per work and by day, and a reader's year in
reading; each only for the account's owner, as the site's pages (`engagement.stats_views`).
The numbers come from the same selectors as the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from pydantic import field_validator

from fanarchive.accounts import selectors as accounts
from fanarchive.api.auth import ACCOUNT, caller_of
from fanarchive.api.errors import problem_responses
from fanarchive.engagement import reading_year_selectors, stats_selectors

router = Router(tags=["statistics"])
ERRORS = problem_responses(401, 403, 404, 422, 429)
Sort = Literal["title", "date", "words", "hits", "kudos", "comments", "bookmarks", "subscriptions"]
Measure = Literal["kudos", "comments", "bookmarks", "subscriptions", "hits"]


class StatsQuery(Schema):
    year: int | None = Field(None, ge=1, le=9998, description="Default: all years")
    sort: Sort = "hits"
    order: Literal["asc", "desc"] = "desc"


class SeriesQuery(Schema):
    measure: Measure = "kudos"
    days: int = Field(30, description="One of: 7, 30, 90, 365")

    @field_validator("days")
    @classmethod
    def _offered(cls, value: int) -> int:
        if value not in stats_selectors.DAY_CHOICES:
            raise ValueError(gettext("Choose 7, 30, 90 or 365 days."))
        return value


class YearQuery(Schema):
    year: int | None = Field(None, ge=1, le=9998, description="Default: your latest year")


class WorkStatsOut(Schema):
    work_id: int
    title: str
    date: datetime | None = Field(description="Last revised, or its last chapter in `year`")
    words: int
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    subscriptions: int


class CreatorStatsOut(Schema):
    years: list[int] = Field(description="Years with a chapter published, newest first")
    totals: dict[str, int]
    works: list[WorkStatsOut]


class DayOut(Schema):
    day: date
    count: int


class SeriesOut(Schema):
    measure: str
    days: list[DayOut] = Field(description="Oldest first, UTC days, zeros included")


class NamedCount(Schema):
    name: str
    works: int


class YearInReadingOut(Schema):
    year: int
    works: int
    words: int
    unavailable: int = Field(description="Read that year, no longer visible: not counted")
    top: dict[str, list[NamedCount]]
    ratings: list[NamedCount]
    months: list[int] = Field(description="Works last read in each month, January first")
    busiest_month: int | None


@router.get(
    "/users/{username}/stats",
    response={200: CreatorStatsOut, **ERRORS},
    auth=ACCOUNT,
    summary="Your works' statistics (only your own), as /users/<name>/stats/",
)
def creator_stats(request: HttpRequest, username: str, query: Query[StatsQuery]) -> dict[str, Any]:
    owner = accounts.own_account(caller_of(request).user, username)
    stats = stats_selectors.creator_stats(
        owner, year=query.year, sort=query.sort, descending=query.order == "desc"
    )
    return {"years": stats.years, "totals": stats.totals, "works": stats.rows}


@router.get(
    "/users/{username}/stats/days",
    response={200: SeriesOut, **ERRORS},
    auth=ACCOUNT,
    summary="Your works' counts by day (only your own)",
)
def creator_stats_days(
    request: HttpRequest, username: str, query: Query[SeriesQuery]
) -> dict[str, Any]:
    owner = accounts.own_account(caller_of(request).user, username)
    series = stats_selectors.daily_series(
        owner, measure=query.measure, days=query.days, today=timezone.now().date()
    )
    return {"measure": query.measure, "days": [{"day": d, "count": n} for d, n in series]}


@router.get(
    "/users/{username}/year-in-reading",
    response={200: YearInReadingOut, **ERRORS},
    auth=ACCOUNT,
    summary="Your year in reading (only your own), from your history",
)
def year_in_reading(request: HttpRequest, username: str, query: Query[YearQuery]) -> dict[str, Any]:
    owner = accounts.own_account(caller_of(request).user, username)
    year = query.year
    if year is None:
        years = reading_year_selectors.reading_years(owner)
        year = years[0] if years else timezone.now().year
    summary = reading_year_selectors.year_in_reading(owner, year)

    def named(pairs: list[tuple[str, int]]) -> list[dict[str, Any]]:
        return [{"name": name, "works": count} for name, count in pairs]

    return {
        "year": summary.year,
        "works": summary.works,
        "words": summary.words,
        "unavailable": summary.unavailable,
        "top": {label: named(pairs) for label, pairs in summary.top.items()},
        "ratings": named(summary.ratings),
        "months": summary.months,
        "busiest_month": summary.busiest_month,
    }
