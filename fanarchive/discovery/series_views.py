"""Series pages that list works, with the reader's mutes applied: a series and a user's
series. They join the "works" URL namespace (listing_urls, composed in config/urls.py);
writing series stays `works.series_views`. Thin: parse, call selectors, render."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.accounts.selectors import user_get
from fanarchive.discovery.selectors import series_by_user_for, series_works_listed
from fanarchive.works import series_selectors


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = series_selectors.series_get(request.user, series_id)
    entries = series_works_listed(request.user, series)
    return render(
        request,
        "works/series_detail.html",
        {
            "series": series,
            "entries": entries,
            "stats": series_selectors.series_stats(entries),
            "creators": series_selectors.series_creators_for(request.user, series),
            "is_series_creator": series_selectors.is_series_creator(request.user, series),
        },
    )


def series_by_user(request: HttpRequest, username: str) -> HttpResponse:
    owner = user_get(username)
    return render(
        request,
        "works/series_list.html",
        {"owner": owner, "series_list": series_by_user_for(request.user, owner)},
    )
