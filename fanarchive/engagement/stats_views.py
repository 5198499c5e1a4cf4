"""A creator's statistics page (with CSV downloads) and a reader's year in reading, both
under /users/<name>/ in the "accounts" namespace (profile_urls) and for the account's
owner only. Thin: parse the choosers, call the selectors, render."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import MONTHS as MONTH_NAMES
from django.utils.translation import gettext, ngettext

from fanarchive.accounts.selectors import own_account
from fanarchive.engagement import reading_year_selectors, stats_selectors
from fanarchive.engagement.stats_forms import CreatorStatsForm, ReadingYearForm
from fanarchive.engagement.svg_chart import bar_chart

MEASURE_LABELS = dict(stats_selectors.MEASURES)
# The months' names, translated (Django's own catalogue has them).
MONTHS = tuple(MONTH_NAMES[number] for number in range(1, 13))


def _refused(request: HttpRequest, form: CreatorStatsForm | ReadingYearForm) -> None:
    if form.is_bound and form.errors:
        fields = ", ".join(str(form.fields[name].label or name) for name in form.errors)
        messages.error(
            request,
            gettext("Showing the default for %(fields)s: that choice is not offered.")
            % {"fields": fields},
        )


def _stats_choices(request: HttpRequest, owner_years: list[int]) -> CreatorStatsForm:
    return CreatorStatsForm(request.GET or None, years=owner_years)


@login_required
def creator_stats(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    form = _stats_choices(request, stats_selectors.stats_years(owner))
    _refused(request, form)
    sort = form.choice("sort", "hits")
    descending = form.choice("order", "desc") == "desc"
    stats = stats_selectors.creator_stats(
        owner, year=form.year_chosen(), sort=sort, descending=descending
    )
    measure = form.choice("measure", "kudos")
    days = form.choice("days", 30)
    series = stats_selectors.daily_series(
        owner, measure=measure, days=days, today=timezone.now().date()
    )
    label = MEASURE_LABELS[measure]
    chart = bar_chart(
        [(day.isoformat(), count) for day, count in series],
        title=ngettext(
            "%(measure)s by day, last %(days)s day",
            "%(measure)s by day, last %(days)s days",
            days,
        )
        % {"measure": label, "days": days},
        description=gettext(
            "%(measure)s: %(total)s in all, %(most)s on the busiest day; "
            "the table below lists every day."
        )
        % {
            "measure": label,
            "total": sum(c for _, c in series),
            "most": max((c for _, c in series), default=0),
        },
        chart_id="stats-chart",
    )
    return render(
        request,
        "engagement/creator_stats.html",
        {
            "owner": owner,
            "is_owner": True,
            "form": form,
            "stats": stats,
            "headers": _headers(request, sort, descending),
            "sort": sort,
            "descending": descending,
            "measure": measure,
            "measure_label": label,
            "days": days,
            "series": series,
            "chart": chart,
            "query": request.GET.urlencode(),
        },
    )


def _headers(request: HttpRequest, sort: str, descending: bool) -> list[dict[str, str]]:
    """The table's column headings, each a link that sorts by it (again: the other way)."""
    headers = []
    for key, label in stats_selectors.COLUMNS:
        query = request.GET.copy()
        current = key == sort
        # Numbers and dates start with the biggest, titles with A; a second click reverses.
        first = "asc" if key == "title" else "desc"
        query["sort"] = key
        query["order"] = ("asc" if descending else "desc") if current else first
        aria = ("descending" if descending else "ascending") if current else ""
        headers.append(
            {"key": key, "label": str(label), "url": "?" + query.urlencode(), "aria": aria}
        )
    return headers


def _safe_cell(value: object) -> object:
    """A spreadsheet must not run a title as a formula (=, +, -, @ and control starts)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(filename: str, header: Sequence[str], rows: Iterable[Sequence[object]]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe_cell(value) for value in row])
    return response


@login_required
def creator_stats_works_csv(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    form = _stats_choices(request, stats_selectors.stats_years(owner))
    year = form.year_chosen()
    stats = stats_selectors.creator_stats(
        owner,
        year=year,
        sort=form.choice("sort", "hits"),
        descending=form.choice("order", "desc") == "desc",
    )
    rows = [
        [
            row.work_id,
            row.title,
            row.date.date().isoformat() if row.date else "",
            row.words,
            row.hits,
            row.kudos,
            row.comments,
            row.bookmarks,
            row.subscriptions,
        ]
        for row in stats.rows
    ]
    header = ["work id", *(label.lower() for _, label in stats_selectors.COLUMNS)]
    return _csv(f"{owner.username}-works-{year or 'all'}.csv", header, rows)


@login_required
def creator_stats_days_csv(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    form = _stats_choices(request, stats_selectors.stats_years(owner))
    measure = form.choice("measure", "kudos")
    series = stats_selectors.daily_series(
        owner, measure=measure, days=form.choice("days", 30), today=timezone.now().date()
    )
    rows = [[day.isoformat(), count] for day, count in series]
    return _csv(f"{owner.username}-{measure}-by-day.csv", ["day", measure], rows)


@login_required
def year_in_reading(request: HttpRequest, username: str) -> HttpResponse:
    owner = own_account(request.user, username)
    years = reading_year_selectors.reading_years(owner)
    this_year = timezone.now().year
    form = ReadingYearForm(request.GET or None, years=years)
    _refused(request, form)
    chosen = form.cleaned_data.get("year") if form.is_bound and form.is_valid() else ""
    year = int(chosen) if chosen else (years[0] if years else this_year)
    summary = reading_year_selectors.year_in_reading(owner, year)
    return render(
        request,
        "engagement/year_in_reading.html",
        {
            "owner": owner,
            "is_owner": True,
            "form": form,
            "years": years,
            "summary": summary,
            "months": list(zip(MONTHS, summary.months, strict=True)),
            "busiest": MONTHS[summary.busiest_month - 1] if summary.busiest_month else "",
        },
    )
