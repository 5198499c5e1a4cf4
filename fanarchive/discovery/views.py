"""Finding works: the filter pages, mutes, saved filters and the index's health. Thin views."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fanarchive.accounts import selectors as account_selectors
from fanarchive.core.page_cache import guest_page_cached
from fanarchive.core.views import authenticated_user, form_error_from, posted
from fanarchive.discovery import selectors, services
from fanarchive.discovery.forms import (
    RANGES,
    FilterForm,
    ListingPreferenceForm,
    MuteCreatorForm,
    MuteScopeForm,
    MuteTagForm,
    SavedFilterForm,
)
from fanarchive.discovery.index.facets import MAIN_RELATIONSHIP
from fanarchive.discovery.index.live import health
from fanarchive.discovery.scopes import Scope
from fanarchive.discovery.selectors import Listing
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import can_wrangle, fixed_tags, tag_relations
from fanarchive.works.age_gate import age_gate_context
from fanarchive.works.selectors import tag_for

FACET_GROUPS = [
    (TagType.RATING, "Ratings"),
    (TagType.WARNING, "Warnings"),
    (TagType.CATEGORY, "Categories"),
    (TagType.FANDOM, "Fandoms"),
    (TagType.CHARACTER, "Characters"),
    (TagType.RELATIONSHIP, "Relationships"),
    (MAIN_RELATIONSHIP, "Main relationships"),
    (TagType.FREEFORM, "Additional tags"),
]


def _without(query: QueryDict, key: str, value: str | None = None) -> QueryDict:
    copy = query.copy()
    if value is None:
        copy.pop(key, None)
    else:
        copy.setlist(key, [v for v in copy.getlist(key) if v != value])
    return copy


def _linker(query: QueryDict) -> Any:
    """A maker of facet links: this query without its page, plus include= or exclude= a tag."""
    pairs = [(k, v) for k, values in query.lists() if k != "page" for v in values]

    def link(key: str, value: str) -> str:
        kept = [(k, v) for k, v in pairs if not (k in ("include", "exclude") and v == value)]
        return urlencode([*kept, (key, value)])

    return link


def find_works(
    request: HttpRequest,
    *,
    tag: Tag | None = None,
    scope: Scope | None = None,
    template: str = "discovery/works.html",
) -> HttpResponse:
    """/works/ and /tags/<id>/works/: the filter form, the results and the facet sidebar.
    With a `scope` (a collection's works page), the same narrowed to its groups."""
    form = FilterForm(request.GET, fixed_tag=tag)
    listing: Listing | None = None
    # The sort the results are in, for the sort box: "Best match" when a search leaves it unsaid.
    current_sort = request.GET.get("sort", "")
    if form.is_valid():
        spec = form.to_filter()
        current_sort = spec.sort
        if scope is not None:
            spec.groups = scope.groups
        listing = selectors.works_find(
            viewer=selectors.viewer_for(request.user),
            spec=spec,
            page=form.cleaned_data.get("page") or 1,
            per_page=settings.WORKS_PER_PAGE,
            text=form.text_query,
            reader=age_gate_context(request),
        )
    query = _without(request.GET, "page")
    facets = []
    if listing is not None:
        link = _linker(request.GET)
        included = {str(i) for i in form.cleaned_data["include"]}
        excluded = {str(i) for i in form.cleaned_data["exclude"]}
        main_only = bool(form.cleaned_data.get("main_relationship"))
        for tag_type, label in FACET_GROUPS:
            group = str(tag_type)  # a TagType's value, or MAIN_RELATIONSHIP
            # A main relationship's link includes it with "main relationship only".
            main = group == MAIN_RELATIONSHIP
            entries = [
                {
                    "tag": facet.tag,
                    "count": facet.count,
                    "included": (str(facet.tag.pk) in included or tag_id_is(tag, facet.tag))
                    and (main_only or not main),
                    "excluded": str(facet.tag.pk) in excluded,
                    "include_query": link("include", str(facet.tag.pk))
                    + ("&main_relationship=on" if main and not main_only else ""),
                    "exclude_query": link("exclude", str(facet.tag.pk)),
                }
                for facet in listing.facets.get(group, [])
            ]
            facets.append({"type": group, "label": label, "entries": entries})
    context: dict[str, Any] = {
        "form": form,
        "listing": listing,
        "page": listing,
        "facets": facets,
        "query": query.urlencode(),
        "tag": tag,
        "scope": scope,
        **(scope.context if scope is not None else {}),
        "tag_relations": tag_relations(tag) if tag is not None and not tag.is_fixed else None,
        "can_wrangle": tag is not None and can_wrangle(request.user, tag),
        "heading": _("Works"),
        "current_sort": current_sort,
        "ratings": fixed_tags(TagType.RATING),
        "warnings": fixed_tags(TagType.WARNING),
        "categories": fixed_tags(TagType.CATEGORY),
        "chosen_include": form.selected("include") if form.is_bound and not form.errors else [],
        "chosen_exclude": form.selected("exclude") if form.is_bound and not form.errors else [],
        "chosen": _chosen(form),
        "range_fields": [
            form[f"{name}_{end}"] for name in (*RANGES, "date") for end in ("from", "to")
        ],
        "saved_filter_form": SavedFilterForm(initial={"query": query.urlencode()}),
        "feed_query": _feed_query(query),
    }
    return render(request, template, context)


def tag_id_is(tag: Tag | None, other: Tag) -> bool:
    return tag is not None and other.pk == tag.pk


def _feed_query(query: QueryDict) -> str:
    """The page's filter and search for its feed link, without the empty fields a submitted
    form leaves, and without sort and order: a feed is always newest first."""
    pairs = [
        (key, value)
        for key, values in query.lists()
        if key not in ("sort", "order")
        for value in values
        if value.strip()
    ]
    return urlencode(pairs)


def _chosen(form: FilterForm) -> dict[str, set[str]]:
    data = form.data
    if not isinstance(data, QueryDict):
        return {"include": set(), "exclude": set(), "rating": set()}
    return {
        "include": set(data.getlist("include")),
        "exclude": set(data.getlist("exclude")),
        "rating": set(data.getlist("rating")),
    }


def searched(request: HttpRequest, **_: object) -> bool:
    """A full-text search: its hits follow the search documents, which a big wrangling
    rewrites in the background, after the versions a cached page is keyed by."""
    return bool(request.GET.get("q", "").strip())


@guest_page_cached(unless=searched)
def works_index(request: HttpRequest) -> HttpResponse:
    """/works/: every work, filtered (`find_works`)."""
    return find_works(request)


@guest_page_cached(unless=searched)
def tag_works(request: HttpRequest, tag_id: int) -> HttpResponse:
    tag = tag_for(request.user, tag_id)
    if tag.synonym_of_id:
        # As on AO3, a synonym's page is its canonical's, whose works include its own.
        url = reverse("tags:works", args=[tag.synonym_of_id])
        query = request.GET.urlencode()
        return redirect(f"{url}?{query}" if query else url)
    return find_works(request, tag=tag)


def tag_about(request: HttpRequest, tag_id: int) -> HttpResponse:
    """A tag with its wrangling: canonical, synonyms, metatags, subtags, fandoms."""
    tag = tag_for(request.user, tag_id)
    return render(
        request,
        "tags/wrangling/about.html",
        {
            "tag": tag,
            "relations": tag_relations(tag),
            "can_wrangle": can_wrangle(request.user, tag),
        },
    )


# -- mutes --------------------------------------------------------------------


@login_required
def mutes(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    creator_form = MuteCreatorForm(posted(request))
    if request.method == "POST" and creator_form.is_valid():
        try:
            services.mute_creator_add(
                user=authenticated_user(request),
                owner=owner,
                username=creator_form.cleaned_data["username"],
            )
        except ValidationError as error:
            form_error_from(creator_form, error)
        else:
            messages.success(request, _("Muted. Their works no longer appear for you."))
            return redirect("discovery:mutes", owner.username)
    preference = selectors.listing_preference_of(owner)
    return render(
        request,
        "discovery/mutes.html",
        {
            "owner": owner,
            "is_owner": True,
            "creator_form": creator_form,
            "muted_tags": selectors.muted_tags_of(owner),
            "muted_creators": selectors.muted_creators_of(owner),
            "preference_form": ListingPreferenceForm(
                initial={
                    "hide_anonymous": preference.hide_anonymous,
                    "hide_crossovers": preference.hide_crossovers,
                }
            ),
        },
    )


@login_required
@require_POST
def mute_scope(
    request: HttpRequest, username: str, tag_id: int = 0, creator_id: int = 0
) -> HttpResponse:
    """Limit a tag's or a creator's mute to some fandoms (none: everywhere)."""
    owner = account_selectors.own_account(request.user, username)
    form = MuteScopeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("fandoms", [])))
        return redirect("discovery:mutes", owner.username)
    try:
        muted = services.mute_scope_set(
            user=authenticated_user(request),
            owner=owner,
            fandom_names=form.names(),
            tag_id=tag_id,
            creator_id=creator_id,
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("discovery:mutes", owner.username)
    fandoms = ", ".join(sorted(tag.name for tag in muted.fandoms.all()))
    messages.success(
        request,
        _("Now muted only in %(fandoms)s.") % {"fandoms": fandoms}
        if fandoms
        else _("Now muted everywhere."),
    )
    return redirect("discovery:mutes", owner.username)


@login_required
@require_POST
def listing_preferences(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    form = ListingPreferenceForm(request.POST)
    form.is_valid()  # two tick boxes: anything else reads as unticked
    services.listing_preference_set(
        user=authenticated_user(request),
        owner=owner,
        hide_anonymous=bool(form.cleaned_data.get("hide_anonymous")),
        hide_crossovers=bool(form.cleaned_data.get("hide_crossovers")),
    )
    messages.success(request, _("Saved your listing preferences."))
    return redirect("discovery:mutes", owner.username)


@login_required
@require_POST
def mute_tag(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    form = MuteTagForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a tag to mute."))
        return redirect("discovery:mutes", owner.username)
    try:
        muted = services.mute_tag_add(
            user=authenticated_user(request), owner=owner, tag_id=form.cleaned_data["tag"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("discovery:mutes", owner.username)
    messages.success(
        request,
        _("Muted %(name)s: works with it no longer appear for you.") % {"name": muted.tag.name},
    )
    return redirect("discovery:mutes", owner.username)


@login_required
@require_POST
def unmute_tag(request: HttpRequest, username: str, tag_id: int) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    services.mute_tag_remove(user=authenticated_user(request), owner=owner, tag_id=tag_id)
    messages.success(request, _("The tag is no longer muted."))
    return redirect("discovery:mutes", owner.username)


@login_required
@require_POST
def unmute_creator(request: HttpRequest, username: str, creator_id: int) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    services.mute_creator_remove(
        user=authenticated_user(request), owner=owner, creator_id=creator_id
    )
    messages.success(request, _("The creator is no longer muted."))
    return redirect("discovery:mutes", owner.username)


# -- saved filters ------------------------------------------------------------


@login_required
def saved_filters(request: HttpRequest, username: str) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    form = SavedFilterForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.saved_filter_create(
                user=authenticated_user(request),
                owner=owner,
                name=form.cleaned_data["name"],
                query_string=form.cleaned_data["query"],
            )
        except ValidationError as error:
            form_error_from(form, error)
        else:
            messages.success(request, _('Saved the filter "%(name)s".') % {"name": saved.name})
            return redirect("discovery:saved_filters", owner.username)
    return render(
        request,
        "discovery/saved_filters.html",
        {
            "owner": owner,
            "is_owner": True,
            "form": form,
            "saved_filters": selectors.saved_filters_of(owner),
        },
    )


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, username: str, filter_id: int) -> HttpResponse:
    owner = account_selectors.own_account(request.user, username)
    saved = selectors.saved_filter_get(owner, filter_id)
    if saved is None:
        raise Http404(_("No such filter."))
    services.saved_filter_delete(user=authenticated_user(request), saved=saved)
    messages.success(request, _('Deleted the filter "%(name)s".') % {"name": saved.name})
    return redirect("discovery:saved_filters", owner.username)


# -- the index's health -------------------------------------------------------


@staff_member_required
def index_health(request: HttpRequest) -> HttpResponse:
    return render(request, "discovery/health.html", {"health": health()})
