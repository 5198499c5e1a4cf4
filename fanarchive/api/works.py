"""/api/v1/works: find, read, post and edit works and chapters.

Finding goes through the discovery app's own filter form and catalogue index
(`FilterForm`, `works_find`), so the API filters, sorts, counts facets and
searches exactly as /works/ does. Reading asks `access_work` and
`needs_adult_consent`; writing calls the works services with `WorkInput` and
`ChapterInput`, so a work posted here is stored as the posting form stores it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, Query, Router, Schema

from fanarchive.api.auth import GUEST, Caller, caller_of
from fanarchive.api.errors import ApiProblem, problem_responses
from fanarchive.api.pagination import cursor_decode, cursor_encode, page_size
from fanarchive.api.params import Count, Id
from fanarchive.api.schemas import (
    ChapterOut,
    ChapterRef,
    TagRef,
    WorkDetailOut,
    WorkOut,
    chapter_out,
    chapter_ref,
    tag_ref,
    work_out,
)
from fanarchive.discovery import selectors as discovery
from fanarchive.discovery.forms import SORTS, FilterForm
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.selectors import DownloadRefused, downloadable_work
from fanarchive.tags.models import Tag
from fanarchive.works import age_gate
from fanarchive.works import selectors as works
from fanarchive.works.models import Work
from fanarchive.works.stats import work_stats

router = Router(tags=["works"])

READ_ERRORS = problem_responses(401, 403, 404, 422, 429)
WRITE_ERRORS = problem_responses(400, 401, 403, 404, 413, 422, 429)
# Parameters of the API's own, not of the filter form.
API_PARAMETERS = {"cursor", "limit", "facets", "adult", "page"}
ADULT_HELP = (
    "Consent to adult content (Not Rated, Mature, Explicit) for this request, as "
    '"Yes, continue" does on the site. Not needed when the account has the '
    '"show adult content" preference. Under the archive\'s "adults" or "verified" '
    "age-gate policy it changes nothing: the token's account must be confirmed or "
    "verified (the adult-consent-required problem's `reason` says which)."
)


# -- finding ------------------------------------------------------------------------


class WorkFilters(Schema):
    """The filters of /works/, by the same names (see the filter form)."""

    q: str | None = Field(
        None, description="Full-text search: phrases, AND/OR/NOT, title:, creator:"
    )
    include: list[Id] = Field([], description="Tag ids every work must have")
    exclude: list[Id] = Field([], description="Tag ids no work may have")
    rating: list[Id] = Field([], description="Rating tag ids, any of them")
    fandom_names: str | None = Field(None, description="Comma-separated fandom names to include")
    relationship_names: str | None = None
    main_relationship: bool | None = Field(
        None, description="The included relationships must be among a work's main ones"
    )
    character_names: str | None = None
    freeform_names: str | None = None
    exclude_names: str | None = Field(None, description="Comma-separated tag names to exclude")
    complete: str | None = Field(None, description='"T": complete only, "F": in progress only')
    crossover: str | None = Field(None, description='"exclude" or "only"')
    single_chapter: bool | None = None
    language: str | None = Field(None, description="Language code, e.g. en")
    words_from: Count | None = None
    words_to: Count | None = None
    kudos_from: Count | None = None
    kudos_to: Count | None = None
    hits_from: Count | None = None
    hits_to: Count | None = None
    comments_from: Count | None = None
    comments_to: Count | None = None
    bookmarks_from: Count | None = None
    bookmarks_to: Count | None = None
    date_from: date | None = Field(None, description="Updated on or after (YYYY-MM-DD)")
    date_to: date | None = Field(None, description="Updated on or before (YYYY-MM-DD)")
    sort: str | None = Field(None, description="One of: " + ", ".join(v for v, _, _ in SORTS))
    order: str | None = Field(None, description='"asc" or "desc"')
    facets: bool = Field(True, description="Count the results' tags (the sidebar's facets)")
    adult: bool = Field(False, description=ADULT_HELP)
    cursor: str | None = Field(None, description="The `next` cursor of the previous page")
    limit: int | None = Field(None, ge=1, le=100, description="Works per page (default 20)")


class FacetOut(Schema):
    tag: TagRef
    count: int


class WorkListOut(Schema):
    items: list[WorkOut]
    total: int
    next: str | None
    facets: dict[str, list[FacetOut]]


def consented(request: HttpRequest, caller: Caller, adult: bool) -> bool:
    """This request's consent: `?adult=true`, or the site's session (a reader's or a
    guest's) after "Yes, continue". A token's requests have no session."""
    if adult:
        return True
    return caller.via != "token" and age_gate.consented_in_session(request.session)


def adult_viewer(request: HttpRequest, caller: Caller, adult: bool) -> age_gate.AgeGateContext:
    """The caller as the adult-content rule sees them: with a token, the token's account
    (its confirmation or verification); otherwise the session's, or a guest."""
    return age_gate.age_gate_context(
        request, user=caller.user, consented=consented(request, caller, adult)
    )


def needs_consent(request: HttpRequest, caller: Caller, work: Work, adult: bool) -> bool:
    return works.needs_adult_consent(viewer=adult_viewer(request, caller, adult), work=work)


def works_out(
    request: HttpRequest, caller: Caller, items: list[Work], adult: bool
) -> list[dict[str, Any]]:
    stats = work_stats([w.pk for w in items])
    withheld = works.adult_text_withheld(viewer=adult_viewer(request, caller, adult), works=items)
    viewer = works.BylineViewer.of(caller.user)
    return [
        work_out(
            request,
            work,
            stats=stats[work.pk],
            text_requires_consent=work.pk in withheld,
            viewer=viewer,
        )
        for work in items
    ]


def _form_query(request: HttpRequest) -> QueryDict:
    query = request.GET.copy()
    for key in API_PARAMETERS:
        query.pop(key, None)
    return query


def find(request: HttpRequest, filters: WorkFilters, *, tag: Tag | None = None) -> dict[str, Any]:
    """One page of the filtered works, through the site's filter form and index."""
    caller = caller_of(request)
    size, page = page_size(filters.limit), 1
    position = cursor_decode(filters.cursor, keys={"page", "size"})
    if position is not None:
        page, size = position["page"], position["size"]
        if not (isinstance(page, int) and isinstance(size, int) and page >= 1 and size >= 1):
            raise ValidationError({"cursor": [_("This cursor is not one this listing gave out.")]})
        size = page_size(size)
    form = FilterForm(_form_query(request), fixed_tag=tag)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    listing = discovery.works_find(
        viewer=discovery.viewer_for(caller.user),
        spec=form.to_filter(),
        page=page,
        per_page=size,
        text=form.text_query,
        facets=filters.facets,
        passages=False,
    )
    past_end = listing.number != page
    items = [] if past_end else listing.works
    return {
        "items": works_out(request, caller, items, adult=filters.adult),
        "total": listing.total,
        "next": cursor_encode({"page": page + 1, "size": size})
        if listing.has_next and not past_end
        else None,
        "facets": {
            kind: [{"tag": tag_ref(f.tag), "count": f.count} for f in facets]
            for kind, facets in listing.facets.items()
        },
    }


@router.get(
    "/works",
    response={200: WorkListOut, **READ_ERRORS},
    auth=GUEST,
    url_name="works",
    summary="Find works: every filter, sort, search and facet of /works/",
)
def works_list(request: HttpRequest, filters: Query[WorkFilters]) -> dict[str, Any]:
    return find(request, filters)


# -- reading ------------------------------------------------------------------------


def work_detail_out(
    request: HttpRequest, caller: Caller, work: Work, adult: bool
) -> dict[str, Any]:
    work = works.with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    requires = needs_consent(request, caller, work, adult)
    data = work_out(
        request,
        work,
        stats=work_stats([work.pk])[work.pk],
        text_requires_consent=requires,
        viewer=caller.user,
    )
    chapters = works.readable_chapters(caller.user, work)
    downloads: list[dict[str, str]] = []
    unavailable = None
    try:
        downloadable_work(caller.user, work.pk)
    except DownloadRefused as refusal:
        unavailable = str(refusal)
    else:
        suffix = "?view_adult=true" if works.is_adult(work) and not requires else ""
        downloads = [
            {
                "format": name,
                "url": request.build_absolute_uri(
                    reverse("formats:download", args=[work.pk, name]) + suffix
                ),
            }
            for name in FORMATS
        ]
    data.update(
        # The work's own words, as its chapters: withheld until the reader agrees.
        notes=None if requires else work.notes,
        endnotes=None if requires else work.endnotes,
        chapters=[chapter_ref(request, c) for c in chapters],
        downloads=downloads,
        downloads_unavailable=unavailable,
        skin_css=work.skin_css,
    )
    return data


@router.get(
    "/works/{work_id}",
    response={200: WorkDetailOut, **READ_ERRORS},
    auth=GUEST,
    url_name="work_detail",
    summary="A work's metadata, chapter list and download links",
)
def work_detail(request: HttpRequest, work_id: Id, adult: bool = False) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    return work_detail_out(request, caller, work, adult)


# What the adult-content problem tells a client to do, by the policy's reason.
GATE_ADVICE = {
    age_gate.Reason.CONSENT: gettext_lazy(
        "Repeat the request with ?adult=true, or set the account's "
        '"show adult content" preference.'
    ),
    age_gate.Reason.CONFIRMATION: gettext_lazy(
        "This archive shows adult works' text only to accounts that confirmed they are "
        "18 or over: send the token of such an account."
    ),
    age_gate.Reason.VERIFICATION: gettext_lazy(
        "This archive shows adult works' text only to age-verified accounts: send the "
        "token of such an account."
    ),
    age_gate.Reason.COUNTRY: gettext_lazy("Adult works are not available in your country."),
}


def gate(request: HttpRequest, caller: Caller, work: Work, adult: bool) -> None:
    """Refuse a work's text to a caller the adult-content rule does not allow yet: the
    problem's `reason` says what would allow it (`age_gate.Reason`)."""
    viewer = adult_viewer(request, caller, adult)
    if works.needs_adult_consent(viewer=viewer, work=work):
        reason = works.adult_access(viewer).reason
        raise ApiProblem(
            403,
            _("This work is rated for adults (or not rated): its text needs consent.")
            + " "
            + str(GATE_ADVICE[reason]),
            name="adult-consent-required",
            extra={"reason": str(reason)},
        )


@router.get(
    "/works/{work_id}/chapters",
    response={200: list[ChapterOut], **READ_ERRORS},
    auth=GUEST,
    url_name="work_chapters",
    summary="A work's chapters with their sanitised HTML",
    description=ADULT_HELP,
)
def work_chapters(request: HttpRequest, work_id: Id, adult: bool = False) -> list[dict[str, Any]]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    work = works.with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    gate(request, caller, work, adult)
    return [chapter_out(request, c) for c in works.readable_chapters(caller.user, work)]


@router.get(
    "/works/{work_id}/chapters/{chapter_id}",
    response={200: ChapterOut, **READ_ERRORS},
    auth=GUEST,
    url_name="chapter_detail",
    summary="One chapter with its sanitised HTML",
    description=ADULT_HELP,
)
def chapter_detail(
    request: HttpRequest, work_id: Id, chapter_id: Id, adult: bool = False
) -> dict[str, Any]:
    caller = caller_of(request)
    work = works.access_work(caller.user, work_id)
    work = works.with_blurb_data(Work.objects.filter(pk=work.pk)).get()
    gate(request, caller, work, adult)
    chapter = next(
        (c for c in works.readable_chapters(caller.user, work) if c.pk == chapter_id), None
    )
    if chapter is None:
        raise ApiProblem(404, _("No such chapter in this work."), name="not-found")
    return chapter_out(request, chapter)


__all__ = ["ChapterRef", "WorkFilters", "find", "router", "work_detail_out", "works_out"]
