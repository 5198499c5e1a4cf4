"""A work's reading pages: the work, one chapter, or the entire work, with its kudos and
comments below the text. Opening one counts a hit and the reader's history.

They join the "works" URL namespace (reading_urls, composed in config/urls.py); writing
and changing works stays in the works app. Thin: parse, call selectors and one
service, render.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.core.page_cache import guest_page_cached
from fanarchive.core.views import authenticated_user
from fanarchive.engagement.forms import CommentForm
from fanarchive.engagement.hit_services import hit_record_of_cached_page
from fanarchive.engagement.reading import reading_context
from fanarchive.engagement.reading_services import work_opened
from fanarchive.engagement.selectors import guest_gave_kudos
from fanarchive.engagement.visitors import guest_key, visitor_key
from fanarchive.tags.selectors import wrangling_version
from fanarchive.works import selectors, series_selectors
from fanarchive.works.age_gate import asks_consent
from fanarchive.works.models import Work
from fanarchive.works.views import adult_gate


def _reading_page(
    request: HttpRequest, work_id: int, chapter_id: int | None = None
) -> HttpResponse:
    work = selectors.access_work(request.user, work_id)
    work = selectors.with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    gate = adult_gate(request, work)
    if gate:
        return gate
    place = selectors.reading_place(
        request.user,
        work,
        chapter_id=chapter_id,
        view_full=request.GET.get("view_full_work") == "true",
    )
    creator = selectors.is_creator(request.user, work)
    preference = getattr(request.user, "preference", None)
    work_opened(
        work=work,
        user=authenticated_user(request) if request.user.is_authenticated else None,
        visitor=visitor_key(request),
        chapter_id=None if place.full else place.current.pk,
        keep_history=preference is None or preference.keep_history,
        only_chapter_id=place.chapters[0].pk if len(place.chapters) == 1 else None,
    )
    return render(
        request,
        "works/detail.html",
        {
            **reading_context(
                request.user,
                work,
                place.shown,
                is_creator=creator,
                guest_key=guest_key(request),
                comments_page=request.GET.get("page"),
            ),
            "comment_form": CommentForm(user=request.user),
            "work": work,
            "chapters": place.chapters,
            "shown": place.shown,
            "full": place.full,
            "current": place.current,
            "previous": place.previous,
            "next": place.following,
            "is_last": place.is_last,
            "is_creator": creator,
            "preference": preference,
            "series_places": series_selectors.series_navigation(request.user, work),
            "gifts": selectors.shown_gifts(work),
            "my_gifts": selectors.gifts_to(request.user, work),
        },
    )


# Guests' reading pages come from the shared page cache (`core.page_cache`), keyed by what
# the page shows: the work's (and its series') change log and the tags' wrangling, not
# every change in the archive. A guest who left kudos on the work (its kudos button says
# so), or whose request is their "Yes, continue" (the session must record it), gets a page
# of their own, rendered each time and kept by no cache. Served from the
# cache, a page still counts the guest's hit.


def _page_version(request: HttpRequest, work_id: int, **_: object) -> object:
    return (selectors.work_page_version(work_id), wrangling_version())


def _own_page(request: HttpRequest, work_id: int, **_: object) -> bool:
    """This guest's page is theirs alone: they left kudos, or this request is their "Yes,
    continue" (which a page from the cache would not record in their session)."""
    return asks_consent(request) or guest_gave_kudos(work_id, guest_key(request))


def _count_hit(request: HttpRequest, work_id: int, **_: object) -> None:
    hit_record_of_cached_page(work_id=work_id, visitor=visitor_key(request))


_guests_cached = guest_page_cached(_own_page, changes_with=_page_version, on_hit=_count_hit)


@_guests_cached
def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    return _reading_page(request, work_id)


@_guests_cached
def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _reading_page(request, work_id, chapter_id)
