"""Reads of the discovery app: find works through the catalogue index, mutes, saved filters,
and the listings read straight from the database with the reader's mutes applied."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.contrib.auth.models import AnonymousUser
from django.db.models import BooleanField, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from fanarchive.discovery.index.catalogue import Filter, Viewer
from fanarchive.discovery.index.facets import MAIN_RELATIONSHIP
from fanarchive.discovery.index.live import reading
from fanarchive.discovery.models import (
    ListingPreference,
    MutedCreator,
    MutedTag,
    SavedFilter,
    SavedFilterAlert,
)
from fanarchive.discovery.search import Query, backend
from fanarchive.discovery.search.passages import blurb_passages
from fanarchive.engagement.bookmark_selectors import bookmarks_of_user
from fanarchive.engagement.models import Bookmark
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import filter_closure_ids
from fanarchive.works.age_gate import GUEST_CONTEXT, AgeGateContext
from fanarchive.works.models import (
    Creatorship,
    Gift,
    Series,
    SeriesWork,
    Work,
    WorkQuerySet,
    WorkTag,
)
from fanarchive.works.selectors import (
    adult_text_withheld,
    anonymous_works_q,
    named_works_q,
    with_blurb_data,
    with_listing_data,
)
from fanarchive.works.series_selectors import (
    series_of_user,
    series_with_anonymous_works,
    series_works_for,
)

if TYPE_CHECKING:
    from fanarchive.accounts.models import Pseud, User

    AnyUser = User | AnonymousUser


@dataclass
class FacetTag:
    tag: Tag
    count: int


@dataclass
class Listing:
    """One page of a filtered listing, its total, and the sidebar's counts."""

    works: list[Work]
    total: int
    number: int
    per_page: int
    facets: dict[str, list[FacetTag]] = field(default_factory=dict)
    snippets: dict[int, str] = field(default_factory=dict)
    # Works matched by a text query whose own words the reader has not agreed to see:
    # their passages come only from what their blurbs show.
    withheld: set[int] = field(default_factory=set)

    @property
    def rows(self) -> list[tuple[Work, str, bool]]:
        """The page's works, each with its matching passage ("" without a text query, or
        when the match is in words withheld from this reader) and whether it was withheld."""
        return [(w, self.snippets.get(w.pk, ""), w.pk in self.withheld) for w in self.works]

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages


Scoped = tuple[tuple[int, tuple[int, ...]], ...]


@dataclass(frozen=True)
class Mutes:
    """A reader's mutes: tags and creators muted everywhere, and those muted only within
    fandoms (id, canonical fandom ids)."""

    tags: tuple[int, ...] = ()
    creators: tuple[int, ...] = ()
    scoped_tags: Scoped = ()
    scoped_creators: Scoped = ()


def _split_scopes(rows: list[tuple[int, int | None]]) -> tuple[tuple[int, ...], Scoped]:
    """(targets muted everywhere, (target, fandoms) muted only within fandoms) of (target,
    scope fandom or None) rows. A tag and its synonym are one target: muted everywhere by
    either, it is muted everywhere whatever scope the other mute has."""
    everywhere: set[int] = set()
    scopes: dict[int, set[int]] = {}
    for target, fandom in rows:
        if fandom is None:
            everywhere.add(target)
        else:
            scopes.setdefault(target, set()).add(fandom)
    scoped = tuple(
        (t, tuple(sorted(fandoms))) for t, fandoms in sorted(scopes.items()) if t not in everywhere
    )
    return tuple(sorted(everywhere)), scoped


# A muted tag and a scope's fandom as the filter reads tags: a synonym stands for its
# canonical tag (as `muted_works_q` reads them through `filter_closure_ids`).
_MUTED_TAG = Coalesce(F("tag__synonym_of_id"), F("tag_id"))
_SCOPE_FANDOM = Coalesce(F("fandoms__synonym_of_id"), F("fandoms"))


def mutes_of(user: AnyUser) -> Mutes:
    """`user`'s mutes (none for a guest), in one query (every listing asks)."""
    if not user.is_authenticated:
        return Mutes()
    is_tag = Value(True, output_field=BooleanField())
    is_creator = Value(False, output_field=BooleanField())
    rows = (
        MutedTag.objects.filter(user=user)
        .values_list(is_tag, _MUTED_TAG, _SCOPE_FANDOM)
        .union(
            MutedCreator.objects.filter(user=user).values_list(
                is_creator, F("creator_id"), _SCOPE_FANDOM
            ),
            all=True,
        )
    )
    tag_rows: list[tuple[int, int | None]] = []
    creator_rows: list[tuple[int, int | None]] = []
    for tag_row, target, fandom in rows:
        (tag_rows if tag_row else creator_rows).append((target, fandom))
    tags, scoped_tags = _split_scopes(tag_rows)
    creators, scoped_creators = _split_scopes(creator_rows)
    return Mutes(tags, creators, scoped_tags, scoped_creators)


def listing_preference_of(user: User) -> ListingPreference:
    """`user`'s standing listing preferences (the defaults, unsaved, until they set one)."""
    return ListingPreference.objects.filter(user=user).first() or ListingPreference(user=user)


def viewer_for(user: AnyUser, *, apply_mutes: bool = True) -> Viewer:
    """What the index needs to know of a reader: logged in or not, their mutes and their
    standing listing preferences (hide anonymous works, hide crossovers)."""
    if not user.is_authenticated:
        return Viewer()
    if not apply_mutes:
        return Viewer(authenticated=True)
    mutes = mutes_of(user)
    preference = listing_preference_of(user)
    return Viewer(
        authenticated=True,
        muted_tags=mutes.tags,
        muted_creators=mutes.creators,
        scoped_tags=mutes.scoped_tags,
        scoped_creators=mutes.scoped_creators,
        hide_anonymous=preference.hide_anonymous,
        hide_crossovers=preference.hide_crossovers,
    )


def works_find(
    *,
    viewer: Viewer,
    spec: Filter,
    page: int = 1,
    per_page: int = 20,
    text: Query | None = None,
    facets: bool = True,
    reader: AgeGateContext = GUEST_CONTEXT,
    passages: bool = True,
) -> Listing:
    """A page of the works `viewer` may see that match `spec` (and the text query, if any).

    Passages matched by the text query come from the works' own words only where
    `reader` (the request's `age_gate_context`; a guest by default) may read them under
    the adult-content rule (none at all without `passages`: feeds and the API show none).
    Pages past the end give the last page.
    Costs a fixed few queries whatever the page.
    """
    search = backend() if text is not None else None
    exact = True
    if search is not None and text is not None:
        # Every hit, unranked; the filter first, then only the survivors are checked
        # (when the candidates were a superset) and scored.
        spec.text_ids, exact = search.candidates(text)
    with reading() as catalogue:
        works = catalogue.matching(spec, viewer)
        if search is not None and text is not None and not exact:
            works = catalogue.narrowed(works, search.confirm(text, catalogue.ids(works)))
        total = len(works)
        pages = max(1, math.ceil(total / per_page))
        number = min(max(page, 1), pages)
        offset = (number - 1) * per_page
        if search is not None and text is not None and spec.sort == "relevance":
            # Best match first: ranked by the database, only what is left after the filter.
            ids = search.ranked_page(text, catalogue.ids(works), offset, per_page)
        else:
            ids = catalogue.page(works, spec, offset, per_page)
        counts = catalogue.facets(works) if facets else {}
    rows = with_listing_data(Work.objects.filter(id__in=ids)).in_bulk(ids)
    listing = Listing(
        works=[rows[i] for i in ids if i in rows],
        total=total,
        number=number,
        per_page=per_page,
    )
    if counts:
        listing.facets = _facet_tags(counts)
    if search is not None and text is not None and passages:
        listing.withheld = adult_text_withheld(viewer=reader, works=listing.works)
        readable = [i for i in ids if i not in listing.withheld]
        listing.snippets = {
            **search.snippets(text, readable),
            **blurb_passages(text, sorted(listing.withheld)),
        }
    return listing


def _facet_tags(counts: dict[str, list[tuple[int, int]]]) -> dict[str, list[FacetTag]]:
    wanted = {tag_id for pairs in counts.values() for tag_id, _ in pairs}
    tags = Tag.objects.in_bulk(wanted)
    result: dict[str, list[FacetTag]] = {}
    for tag_type in TagType:
        pairs = [(tags[t], c) for t, c in counts.get(tag_type.value, []) if t in tags]
        if tag_type.value in {TagType.RATING, TagType.WARNING, TagType.CATEGORY}:
            pairs.sort(key=lambda pair: pair[0].sort_order)
        result[tag_type.value] = [FacetTag(tag, count) for tag, count in pairs]
    if MAIN_RELATIONSHIP in counts:
        result[MAIN_RELATIONSHIP] = [
            FacetTag(tags[t], c) for t, c in counts[MAIN_RELATIONSHIP] if t in tags
        ]
    return result


def tags_by_ids(ids: list[int]) -> list[Tag]:
    found = Tag.objects.in_bulk(ids)
    return [found[i] for i in ids if i in found]


def muted_tags_of(user: User) -> list[MutedTag]:
    """`user`'s muted tags by name, each with its scope (`fandoms`, empty: everywhere)."""
    return list(
        MutedTag.objects.filter(user=user)
        .select_related("tag")
        .prefetch_related("fandoms")
        .order_by("tag__name")
    )


def muted_creators_of(user: User) -> list[MutedCreator]:
    return list(
        MutedCreator.objects.filter(user=user)
        .select_related("creator")
        .prefetch_related("fandoms")
        .order_by("creator__username")
    )


def saved_filters_of(user: User) -> list[SavedFilter]:
    """`user`'s saved filters, each with `alerts_on`: whether they subscribe to it."""
    alert = SavedFilterAlert.objects.filter(saved_filter=OuterRef("pk"))
    return list(SavedFilter.objects.filter(user=user).annotate(alerts_on=Exists(alert)))


def saved_filter_get(user: User, filter_id: int) -> SavedFilter | None:
    return SavedFilter.objects.filter(user=user, pk=filter_id).first()


def muted_works_q(user: AnyUser) -> Q | None:
    """The works `user` muted, as a condition for database listings (profiles, pseuds).

    The index applies mutes to filtered listings itself; this is the same rule
    for the listings read straight from the database: a muted tag hides works
    filed under it (its synonyms and subtags too), a muted creator their works;
    a mute scoped to fandoms only such works filed under one of the fandoms.
    "Hide anonymous works" hides every anonymous work, as the index does (which
    cannot tell whose they are). ("Hide crossovers" is applied by the index only:
    these listings have no crossover flag to read.)
    """
    if not user.is_authenticated:
        return None
    mutes = mutes_of(user)
    hide_anonymous = listing_preference_of(user).hide_anonymous
    conditions: list[Q] = []
    if mutes.tags:
        conditions.append(_filed_under(mutes.tags))
    if mutes.creators:
        conditions.append(_by_creators(mutes.creators))
    # One condition per distinct scope: mutes usually share a few fandom sets.
    for fandoms, tag_ids in _by_scope(mutes.scoped_tags).items():
        conditions.append(_filed_under(tag_ids) & _filed_under(fandoms))
    for fandoms, creator_ids in _by_scope(mutes.scoped_creators).items():
        conditions.append(_by_creators(creator_ids) & _filed_under(fandoms))
    if hide_anonymous:
        conditions.append(anonymous_works_q())
    if not conditions:
        return None
    condition = Q(pk__in=[])
    for part in conditions:
        condition |= part
    return condition


def _by_scope(scoped: Scoped) -> dict[tuple[int, ...], list[int]]:
    grouped: dict[tuple[int, ...], list[int]] = {}
    for target, fandoms in scoped:
        grouped.setdefault(fandoms, []).append(target)
    return grouped


def _filed_under(tag_ids: Iterable[int]) -> Q:
    """Works filed under any of these tags (their synonyms and subtags too)."""
    closure = filter_closure_ids(list(tag_ids))
    return Q(Exists(WorkTag.objects.filter(work_id=OuterRef("pk"), tag_id__in=closure)))


def _by_creators(creator_ids: Iterable[int]) -> Q:
    # Not anonymous works: hiding them would tell whose they are (as the index does).
    return ~anonymous_works_q() & Q(
        Exists(
            Creatorship.objects.filter(work_id=OuterRef("pk"), pseud__user_id__in=list(creator_ids))
        )
    )


# -- works listed straight from the database (profiles, pseuds, gifts) ---------------------


def unmuted_works(user: AnyUser) -> WorkQuerySet:
    """The works `user` may list and did not mute (the rule of every browsing listing)."""
    works = Work.objects.visible_to(user)
    muted = muted_works_q(user)
    return works if muted is None else works.exclude(muted)


def listed_works(user: AnyUser) -> WorkQuerySet:
    """Works for listings, newest update first, without the works `user` muted."""
    return with_blurb_data(unmuted_works(user)).order_by("-revised_at", "-id")


def works_by_user_for(viewer: AnyUser, owner: User) -> WorkQuerySet:
    """The works of `owner` that `viewer` may see in a listing, newest first: not their
    anonymous works, but to the owner (`works.selectors.named_works_q`)."""
    return listed_works(viewer).filter(
        named_works_q(viewer, owner.pk), id__in=Work.objects.by_user(owner).values("id")
    )


def works_by_pseud_for(viewer: AnyUser, pseud: Pseud) -> WorkQuerySet:
    """The works posted under `pseud` that `viewer` may see in a listing, newest first
    (anonymous ones only to the pseud's owner)."""
    return listed_works(viewer).filter(
        named_works_q(viewer, pseud.user_id), id__in=Work.objects.by_pseud(pseud).values("id")
    )


def gifts_received_by(viewer: AnyUser, owner: User, *, refused: bool = False) -> WorkQuerySet:
    """Works given to `owner`'s pseuds that `viewer` may see; refused ones only when asked."""
    gifts = Gift.objects.filter(pseud__user=owner, refused=refused).values("work_id")
    return listed_works(viewer).filter(id__in=gifts)


# -- series and bookmarks, with the reader's mutes ------------------------------------------
#
# A series is listed (in a user's series, as a bookmark) while it has a work the reader
# may list and did not mute; its page lists only such works. A series' creators see
# their own works whatever they muted, since they manage the series.


def series_works_listed(viewer: AnyUser, series: Series) -> list[SeriesWork]:
    """The parts of `series` that `viewer` may see (`series_works_for`), less the works they
    muted unless they are their own."""
    entries = series_works_for(viewer, series)
    muted = muted_works_q(viewer)
    if muted is None or not entries or isinstance(viewer, AnonymousUser):
        return entries
    hidden = set(
        Work.objects.filter(id__in=[entry.work_id for entry in entries])
        .filter(muted)
        .exclude(id__in=Work.objects.by_user(viewer).values("id"))
        .values_list("id", flat=True)
    )
    return [entry for entry in entries if entry.work_id not in hidden]


def _series_listing(works: WorkQuerySet) -> QuerySet[SeriesWork, int]:
    """The ids of the series that hold one of these works, as a subquery."""
    return SeriesWork.objects.filter(work__in=works.values("id")).values_list(
        "series_id", flat=True
    )


def series_by_user_for(viewer: AnyUser, owner: User) -> list[Series]:
    """`owner`'s series as `viewer` finds them: all of them for the owner, otherwise those
    with a work the viewer may list and did not mute, and no anonymous work (which the
    series would name its creator)."""
    series = series_of_user(owner)
    if not (viewer.is_authenticated and viewer.pk == owner.pk):
        series = series.filter(id__in=_series_listing(unmuted_works(viewer))).exclude(
            id__in=series_with_anonymous_works()
        )
    return list(series)


def bookmarks_unmuted(viewer: AnyUser, owner: User) -> QuerySet[Bookmark]:
    """`owner`'s bookmarks as `viewer` sees them (`bookmarks_of_user`); in another reader's
    list, less those of works the viewer muted and of series with nothing else left. One's
    own bookmarks are one's own choice and keep everything. The page and the API."""
    bookmarks = bookmarks_of_user(viewer, owner)
    muted = muted_works_q(viewer)
    if viewer.pk != owner.pk and muted is not None:
        listable = Work.objects.visible_to(viewer).exclude(muted)
        bookmarks = bookmarks.filter(
            Q(work__in=listable.values("id")) | Q(series__in=_series_listing(listable))
        )
    return bookmarks


def bookmarks_listed(viewer: AnyUser, owner: User) -> QuerySet[Bookmark]:
    """`bookmarks_unmuted`, their works ready for blurbs."""
    bookmarks = bookmarks_unmuted(viewer, owner)
    # Each bookmarked work is shown with its blurb: loaded as the listings load theirs.
    return (
        bookmarks.select_related(None)
        .select_related("pseud", "pseud__user", "series")
        .prefetch_related(Prefetch("work", queryset=with_listing_data(Work.objects.all())))
    )
