"""Reads of tags: the fixed sets, autocomplete, the wrangling graph, wranglers and the log.

Reads that need the works under a tag are above, in `works.tag_selectors` and
`fanarchive.wrangling` (the queues, the assistant's suggestions).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from fanarchive.accounts.models import User
from fanarchive.core.page_cache import newest_entry
from fanarchive.tags.models import (
    FANDOM_LINKED_TYPES,
    FIXED_TYPES,
    FandomLink,
    MetaTagLink,
    SuggestionDecision,
    Tag,
    TagType,
    TagWord,
    WranglerAssignment,
    WranglingLog,
    fold_name,
)

WRANGLERS_GROUP = "Wranglers"
AUTOCOMPLETE_LIMIT = 10
# Up to this many tags in the chosen fandoms, autocomplete starts from their ids.
_FEW_MEMBERS = 2000
# Beyond this many words with the typed prefix, autocomplete walks the tags in its order.
_MANY_MATCHES = 1000
# Autocomplete's order: canonical first, then by use (the columns of `tag_ranked_idx`).
_ORDER = ("-canonical", "-use_count", "name_folded", "id")
# Tag ids are 64-bit keys (BigAutoField).
TAG_ID_MAX = 2**63 - 1


def fixed_tags(tag_type: TagType | str) -> QuerySet[Tag]:
    return Tag.objects.filter(type=tag_type).order_by("sort_order")


@dataclass(frozen=True)
class FixedTags:
    """The three fixed sets, read in one query: posting checks and sets them on every work."""

    by_type: dict[str, dict[str, Tag]]

    @classmethod
    def load(cls) -> FixedTags:
        """The sets as stored, or as read once at the start of a `fixed_tags_kept` block."""
        return _kept_fixed_tags.get() or cls.read()

    @classmethod
    def read(cls) -> FixedTags:
        by_type: dict[str, dict[str, Tag]] = {str(t): {} for t in FIXED_TYPES}
        for tag in Tag.objects.filter(type__in=list(FIXED_TYPES)).order_by("sort_order"):
            by_type[tag.type][tag.name] = tag
        return cls(by_type)

    def pick(self, tag_type: TagType | str, names: list[str]) -> tuple[list[Tag], list[str]]:
        """The tags with these exact names, in AO3's order, and the names that are unknown."""
        known = self.by_type.get(str(tag_type), {})
        unknown = [name for name in names if name not in known]
        found = [tag for name, tag in known.items() if name in names]
        return found, unknown


_kept_fixed_tags: ContextVar[FixedTags | None] = ContextVar("kept_fixed_tags", default=None)


@contextmanager
def fixed_tags_kept() -> Iterator[None]:
    """Inside the block the fixed sets are read once, not once per work posted: for a
    batch of posts (an import of many files). They come from a data migration and no
    service changes them (they cannot be created, renamed or wrangled)."""
    token = _kept_fixed_tags.set(FixedTags.read())
    try:
        yield
    finally:
        _kept_fixed_tags.reset(token)


def fixed_tags_by_name(tag_type: TagType | str, names: list[str]) -> tuple[list[Tag], list[str]]:
    """The fixed tags with these exact names, in AO3's order, and the names that are unknown."""
    return FixedTags.load().pick(tag_type, names)


# -- the wrangling graph ------------------------------------------------------


# Beyond this many tags, the whole wrangling graph is read at once (an index rebuild).
_WHOLE_GRAPH_AT = 500


def _metatag_parents(tag_ids: set[int]) -> dict[int, set[int]]:
    """Direct metatags of these tags and of their metatags, up the graph."""
    parents: dict[int, set[int]] = {}
    if len(tag_ids) > _WHOLE_GRAPH_AT:
        for sub_id, meta_id in MetaTagLink.objects.values_list("sub_id", "meta_id"):
            parents.setdefault(sub_id, set()).add(meta_id)
        return parents
    seen: set[int] = set()
    frontier = set(tag_ids)
    while frontier:
        seen |= frontier
        links = MetaTagLink.objects.filter(sub_id__in=frontier).values_list("sub_id", "meta_id")
        for sub_id, meta_id in links:
            parents.setdefault(sub_id, set()).add(meta_id)
        frontier = {meta for metas in parents.values() for meta in metas} - seen
    return parents


def _metatags_closure(tag_ids: set[int]) -> dict[int, set[int]]:
    """For each tag, all its metatags transitively (not itself)."""
    parents = _metatag_parents(tag_ids)
    result: dict[int, set[int]] = {}
    for tag_id in tag_ids:
        found: set[int] = set()
        stack = list(parents.get(tag_id, ()))
        while stack:
            meta = stack.pop()
            if meta in found or meta == tag_id:
                continue
            found.add(meta)
            if meta in result:
                found |= result[meta]
            else:
                stack.extend(parents.get(meta, ()))
        result[tag_id] = found
    return result


def implied_tag_ids(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """The filter tags each tag stands for.

    A tag implies itself, its canonical tag when it is a synonym, and every metatag
    of that canonical, transitively. The discovery index files a work under the
    union of what its own tags imply (`discovery.tagging.filter_tag_ids`).
    """
    ids = set(tag_ids)
    synonyms = Tag.objects.filter(synonym_of__isnull=False)
    if len(ids) <= _WHOLE_GRAPH_AT:
        synonyms = synonyms.filter(pk__in=ids)
    synonym_of = dict(synonyms.values_list("pk", "synonym_of_id"))
    return _implied({tag_id: synonym_of.get(tag_id) for tag_id in ids})


def implied_by_tags(tags: Iterable[Tag]) -> dict[int, set[int]]:
    """`implied_tag_ids` for tags read in this transaction (so their `synonym_of` and
    `canonical` are current), for a work being posted: no synonym query, and no metatag
    query unless a tag can have metatags. Only canonical tags have them (the wrangling
    services refuse a metatag for any other tag, and refuse to take `canonical` away
    while it has one), and the fixed tags cannot be wrangled at all."""
    tags = list(tags)
    linked = {
        tag.synonym_of_id or tag.pk
        for tag in tags
        if tag.synonym_of_id or (tag.canonical and not tag.is_fixed)
    }
    return _implied({tag.pk: tag.synonym_of_id for tag in tags}, linked)


def _implied(
    synonym_of: dict[int, int | None], linked: set[int] | None = None
) -> dict[int, set[int]]:
    """What each tag implies, given its canonical (None: itself). Metatags are looked up
    for the canonical tags in `linked` (all of them when None)."""
    filter_ids = {canonical or tag_id for tag_id, canonical in synonym_of.items()}
    metas = _metatags_closure(filter_ids if linked is None else filter_ids & linked)
    result = {}
    for tag_id, canonical in synonym_of.items():
        canonical = canonical or tag_id
        result[tag_id] = {tag_id, canonical} | metas.get(canonical, set())
    return result


def subtag_ids(tag_id: int) -> set[int]:
    """Every subtag of the tag, transitively (not the tag itself)."""
    found: set[int] = set()
    frontier = {tag_id}
    while frontier:
        children = set(
            MetaTagLink.objects.filter(meta_id__in=frontier).values_list("sub_id", flat=True)
        )
        frontier = children - found - {tag_id}
        found |= frontier
    return found


def filter_closure_ids(tags: Iterable[Tag | int]) -> set[int]:
    """The tags whose works are found when filtering by these tags (or any of them).

    A synonym filters as its canonical; a canonical tag finds itself, its subtags
    transitively, and the synonyms of all of them.
    """
    ids = {tag if isinstance(tag, int) else tag.pk for tag in tags}
    canonical_ids = {
        synonym or pk
        for pk, synonym in Tag.objects.filter(pk__in=ids).values_list("pk", "synonym_of_id")
    }
    return family_ids(canonical_ids)


def family_ids(tag_ids: Iterable[int]) -> set[int]:
    """These tags, their subtags transitively, and the synonyms of all of them."""
    family = set(tag_ids)
    for tag_id in list(family):
        family |= subtag_ids(tag_id)
    family |= set(Tag.objects.filter(synonym_of_id__in=family).values_list("pk", flat=True))
    return family


@dataclass
class TagRelations:
    tag: Tag
    canonical: Tag | None
    synonyms: list[Tag]
    metatags: list[Tag]
    subtags: list[Tag]
    fandoms: list[Tag]
    members: list[Tag]


def tag_relations(tag: Tag) -> TagRelations:
    """What a tag page shows: the canonical tag with its synonyms, metatags, subtags, fandoms."""
    return TagRelations(
        tag=tag,
        canonical=tag.synonym_of,
        synonyms=list(tag.synonyms.order_by("name")),
        metatags=list(Tag.objects.filter(sub_links__sub=tag).order_by("name")),
        subtags=list(Tag.objects.filter(meta_links__meta=tag).order_by("name")),
        fandoms=list(Tag.objects.filter(member_links__tag=tag).order_by("name")),
        members=list(
            Tag.objects.filter(fandom_links__fandom=tag, canonical=True).order_by("type", "name")
        )
        if tag.type == TagType.FANDOM
        else [],
    )


# -- autocomplete -------------------------------------------------------------
#
# A tag is found by the start of any word of its name (`TagWord`), canonical tags first,
# then by use. A rare prefix (up to `_MANY_MATCHES` words) is answered from its words'
# tags, sorted; a common one (a letter or two, where sorting every match would cost
# most) by walking the tags of the type in that order (`tag_ranked_idx`) and asking each
# whether it has such a word, which finds ten matches after a few hundred steps. A limit
# to fandoms with few members starts from the members. bench/autocomplete.py measures
# all three at 200,000 tags.


def _prefix(field: str, prefix: str) -> Q:
    if connection.vendor == "postgresql":
        # LIKE 'x%' uses the pattern-opclass index whatever the database's locale.
        return Q(**{f"{field}__startswith": prefix})
    # A binary range is an index range scan in SQLite (its LIKE ignores indexes).
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": prefix + "\U0010ffff"})


def fandom_ids_named(names: Iterable[str]) -> list[int]:
    """Ids of the fandom tags with these names, as canonical tags where wrangled."""
    folded = [fold_name(name) for name in names if name.strip()]
    if not folded:
        return []
    rows = Tag.objects.filter(type=TagType.FANDOM, name_folded__in=folded).values_list(
        "pk", "synonym_of_id"
    )
    return sorted({synonym or pk for pk, synonym in rows})


def is_tag_id(value: int) -> bool:
    """Whether the database can hold `value` as a tag's id (a 64-bit key above zero)."""
    return 0 < value <= TAG_ID_MAX


def autocomplete_tags(
    *,
    tag_type: str,
    query: str,
    fandom_ids: Iterable[int] = (),
    limit: int = AUTOCOMPLETE_LIMIT,
) -> list[Tag]:
    """Tags of one type with a word whose folded form, with the rest of the name, starts
    with the folded query ("lib" finds "The Ninth Library").

    Canonical tags first, then by use. Characters and relationships are limited to
    the given fandoms when there are any (through their fandom links, or their
    canonical's); an id no tag can have is an unknown fandom. Unwrangleable tags are
    left out.
    """
    folded = fold_name(query)
    if not folded or tag_type not in TagType.values:
        return []
    tags = Tag.objects.filter(type=tag_type, unwrangleable=False)
    words = TagWord.objects.filter(_prefix("word", folded), type=tag_type)
    asked = [int(pk) for pk in fandom_ids]
    if asked and tag_type in (TagType.CHARACTER, TagType.RELATIONSHIP):
        fandoms = [pk for pk in asked if is_tag_id(pk)]
        # Links point at canonical fandoms: a synonym fandom stands for its canonical
        # (asked in the same query: each round trip is a good part of the 5 ms).
        canonicals = (
            Tag.objects.filter(pk__in=fandoms)
            .annotate(canonical_id=Coalesce("synonym_of_id", "pk"))
            .values("canonical_id")
        )
        links = FandomLink.objects.filter(fandom_id__in=canonicals).values_list("tag_id", flat=True)
        few = list(links[: _FEW_MEMBERS + 1])
        if len(few) <= _FEW_MEMBERS:
            # Most fandoms have few members: each, and each synonym of one, is asked
            # whether it has such a word (found by id, rows and all: no scan of the type).
            return list(_members(tags, few).filter(_has_word(words)).order_by(*_ORDER)[:limit])
        tags = tags.filter(Q(pk__in=links) | Q(synonym_of_id__in=links))
    matching = list(words.values_list("tag_id", flat=True)[: _MANY_MATCHES + 1])
    if len(matching) <= _MANY_MATCHES:
        # The ids themselves, not a subquery: PostgreSQL then knows how few they are
        # (its guess for a prefix can be far off) and looks each up, reading the rows
        # anyway, so they come in the same query.
        return list(tags.filter(_one_of("pk", set(matching))).order_by(*_ORDER)[:limit])
    # Ids first: the walk then reads the indexes alone (PostgreSQL would rather scan and
    # sort the whole type than fetch each row it walks past), then the few rows.
    walked = tags.filter(_has_word(words)).order_by(*_ORDER).values_list("pk", flat=True)
    ids = list(walked[:limit])
    found = Tag.objects.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def _one_of(field: str, ids: Collection[int]) -> Q:
    """`field` is one of these ids. PostgreSQL takes them as one array: a thousand
    placeholders cost it more to parse and plan than the query costs to run."""
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__in": RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])})
    return Q(**{f"{field}__in": ids})


def _members(tags: QuerySet[Tag], member_ids: list[int]) -> QuerySet[Tag]:
    """These tags and their synonyms, found through their indexes (no scan of the type).
    Each database takes a different spelling of it: PostgreSQL joins two index scans as
    bitmaps, but seq-scans for a subquery in an OR; SQLite scans the type for an OR of two
    columns, but looks both ids up for an OR of two id lists."""
    if connection.vendor == "postgresql":
        # Each id list as one array parameter: 2,000 placeholders twice would cost more
        # to send and parse than the two index scans cost to run.
        either = RawSQL(
            '("tags_tag"."id" = ANY(%s::bigint[])'
            ' OR "tags_tag"."synonym_of_id" = ANY(%s::bigint[]))',
            [member_ids, member_ids],
            output_field=BooleanField(),
        )
        return tags.filter(either)
    synonyms = Tag.objects.filter(synonym_of_id__in=member_ids).order_by().values("pk")
    return tags.filter(Q(pk__in=member_ids) | Q(pk__in=synonyms))


def _has_word(words: QuerySet[TagWord]) -> Exists:
    """Asked of each tag: has it one of these words (by its id: `tagword_tag_idx` alone)."""
    return Exists(words.filter(tag_id=OuterRef("pk")))


# -- wranglers ----------------------------------------------------------------


def is_admin(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_staff))


def is_wrangler(user: User | AnonymousUser) -> bool:
    """Admins, and members of the Wranglers group."""
    if is_admin(user):
        return True
    return bool(
        user.is_authenticated
        and user.is_active
        and user.groups.filter(name=WRANGLERS_GROUP).exists()
    )


def assigned_fandom_ids(user: User) -> set[int]:
    return set(WranglerAssignment.objects.filter(user=user).values_list("fandom_id", flat=True))


def tag_fandom_scope(tag: Tag) -> set[int]:
    """The fandoms whose wranglers look after this tag; empty: any wrangler may.

    A fandom tag belongs to itself once canonical (or to its canonical when a
    synonym); characters, relationships and additional tags to the fandoms they are
    linked to (or their canonical is). Unlinked and unwrangled tags belong to no one
    yet, so every wrangler can pick them up, as AO3's unassigned bins.
    """
    if tag.type == TagType.FANDOM:
        if tag.canonical:
            return {tag.pk}
        return {tag.synonym_of_id} if tag.synonym_of_id else set()
    if tag.type not in FANDOM_LINKED_TYPES:
        return set()
    ids = [tag.pk] + ([tag.synonym_of_id] if tag.synonym_of_id else [])
    return set(FandomLink.objects.filter(tag_id__in=ids).values_list("fandom_id", flat=True))


def can_wrangle(user: User | AnonymousUser, tag: Tag) -> bool:
    """Admins wrangle everything; a wrangler the tags of their fandoms and unclaimed ones."""
    if tag.type in FIXED_TYPES:
        return False
    if is_admin(user):
        return True
    if not isinstance(user, User) or not is_wrangler(user):
        return False
    scope = tag_fandom_scope(tag)
    return not scope or bool(scope & assigned_fandom_ids(user))


# -- queues and the log -------------------------------------------------------


def wrangler_fandoms(user: User) -> QuerySet[Tag]:
    """The fandoms a wrangling home page lists: all canonical ones for admins."""
    fandoms = Tag.objects.filter(type=TagType.FANDOM, canonical=True)
    if not is_admin(user):
        fandoms = fandoms.filter(wrangler_assignments__user=user)
    return fandoms.order_by("name_folded")


def wrangling_log(*, tag: Tag | None = None) -> QuerySet[WranglingLog]:
    entries = WranglingLog.objects.select_related("user", "tag", "target")
    if tag is not None:
        entries = entries.filter(Q(tag=tag) | Q(target=tag))
    return entries


def rejected_target_ids(tag: Tag) -> set[int]:
    return set(
        SuggestionDecision.objects.filter(tag=tag, accepted=False).values_list(
            "target_id", flat=True
        )
    )


def tag_named(tag_type: str, name: str) -> Tag | None:
    """The tag of this type with this name, in any case."""
    return Tag.objects.filter(type=tag_type, name__iexact=" ".join(name.split())).first()


def wrangling_version() -> tuple[int, str]:
    """The newest entry of the wrangling log: every wrangling writes one (a tag's works page
    shows its synonyms, metatags and fandoms; `core.page_cache` keys guests' pages by it)."""
    return newest_entry(WranglingLog)
