"""The wrangling assistant on the archive's own tags: the evidence it reads from the
database, and the suggestions for one tag (reads only; the matching itself is
`wrangling.assistant`, pure functions over names and this evidence).

The evidence: the canonical tags of the tag's type (for characters and relationships,
those of its fandoms); its fandoms' canonical characters and relationships; the names of
canonical tags' synonyms (what wranglers already merged); the fandoms' names; and, for
characters and relationships, the canonical characters and relationships on the works
that carry the tag and, when the assistant asks, on the works of a candidate.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.db.models import Q

from fanarchive.tags.models import FANDOM_LINKED_TYPES, FandomLink, Tag, TagType
from fanarchive.tags.selectors import rejected_target_ids
from fanarchive.works.models import Work, WorkTag
from fanarchive.wrangling.assistant import (
    DEFAULT_THRESHOLD,
    Candidate,
    Context,
    Suggestion,
    suggest,
    words,
)

# Types whose canonical tags are the whole archive's, read whole (not by fandom).
WHOLE_ARCHIVE_TYPES = frozenset({TagType.FANDOM, TagType.FREEFORM})
# At most this many canonical tags are compared with one tag.
MAX_CANDIDATES = 20_000
# The company of a tag is read from at most this many of its works, and of a candidate
# from at most this many of its own.
TAG_WORKS_READ = 200
CANDIDATE_WORKS_READ = 500
ENTITY_TYPES = (TagType.CHARACTER, TagType.RELATIONSHIP)

V = TypeVar("V")


@dataclass(frozen=True)
class TagSuggestion:
    """A suggestion with the real target tag, for pages and services."""

    target: Tag
    reason: str
    score: float


def context_fandom_ids(tag: Tag) -> set[int]:
    """The fandoms an unwrangled tag belongs to: its links, else its works' fandoms."""
    linked = set(FandomLink.objects.filter(tag=tag).values_list("fandom_id", flat=True))
    if linked:
        return linked
    work_ids = WorkTag.objects.filter(tag=tag).values("work_id")
    rows = Tag.objects.filter(type=TagType.FANDOM, work_tags__work_id__in=work_ids).values_list(
        "pk", "synonym_of_id", "canonical"
    )
    return {synonym or pk for pk, synonym, canonical in rows if synonym or canonical}


class _Lazy(Mapping[int, V]):
    """A mapping read from the database key by key, when the assistant first asks."""

    def __init__(self, load: Callable[[int], V]) -> None:
        self.load = load
        self.read: dict[int, V] = {}

    def __getitem__(self, key: int) -> V:
        if key not in self.read:
            self.read[key] = self.load(key)
        return self.read[key]

    def __iter__(self) -> Iterator[int]:
        return iter(self.read)

    def __len__(self) -> int:
        return len(self.read)


def _family(tag_id: int) -> list[int]:
    """A canonical tag and its synonyms."""
    return [tag_id, *Tag.objects.filter(synonym_of_id=tag_id).values_list("pk", flat=True)]


def _filed_entities(work_ids: Iterable[int], leave_out: Iterable[int]) -> dict[int, set[int]]:
    """The canonical characters and relationships on these works, work by work (a synonym
    counts as its canonical tag)."""
    rows = (
        WorkTag.objects.filter(work_id__in=list(work_ids), tag__type__in=ENTITY_TYPES)
        .exclude(tag_id__in=list(leave_out))
        .values_list("work_id", "tag_id", "tag__synonym_of_id")
    )
    by_work: dict[int, set[int]] = defaultdict(set)
    for work_id, tag_id, synonym_of in rows:
        by_work[work_id].add(synonym_of or tag_id)
    return by_work


def _profile(canonical_id: int) -> Counter[int]:
    """The canonical characters and relationships on a canonical tag's works, counted."""
    family = _family(canonical_id)
    work_ids = WorkTag.objects.filter(tag_id__in=family).values_list("work_id", flat=True)
    by_work = _filed_entities(work_ids[:CANDIDATE_WORKS_READ], family)
    counts: Counter[int] = Counter()
    for tags in by_work.values():
        counts.update(tags - {canonical_id})
    return counts


def _frequency(canonical_id: int) -> float:
    """How many works carry a canonical tag or its synonyms."""
    family = _family(canonical_id)
    return float(WorkTag.objects.filter(tag_id__in=family).values("work_id").distinct().count())


@dataclass(frozen=True)
class _Pool:
    """The canonical tags a tag may be suggested, with their synonyms' names, and its
    fandoms' characters and relationships."""

    targets: list[Candidate]
    characters: list[Candidate]
    relationships: list[Candidate]
    aliases: dict[int, list[str]]


def _pool(tag: Tag, fandoms: set[int]) -> _Pool:
    canonicals = Tag.objects.filter(type=tag.type, canonical=True)
    characters: list[Candidate] = []
    relationships: list[Candidate] = []
    cast_ids: list[int] = []
    if tag.type in ENTITY_TYPES and fandoms:
        # The fandoms' canonical tags, and canonical tags not yet in any fandom.
        in_fandoms = Q(fandom_links__fandom_id__in=fandoms) | Q(fandom_links__isnull=True)
        canonicals = canonicals.filter(in_fandoms).distinct()
        cast = Tag.objects.filter(in_fandoms, type__in=ENTITY_TYPES, canonical=True).distinct()
        for pk, name, tag_type in cast.values_list("pk", "name", "type"):
            group = characters if tag_type == TagType.CHARACTER else relationships
            group.append(Candidate(pk, name, tag_type))
            cast_ids.append(pk)
    elif tag.type not in WHOLE_ARCHIVE_TYPES:
        # No fandom to go by: only names sharing a first letter can fold or spell alike.
        first = words(tag.name)[:1]
        if first:
            canonicals = canonicals.filter(name_folded__startswith=first[0][0])
    rows = list(canonicals.values_list("pk", "name", "type")[:MAX_CANDIDATES])
    targets = [Candidate(*row) for row in rows]
    ids = {row[0] for row in rows} | set(cast_ids)
    if tag.type in WHOLE_ARCHIVE_TYPES:
        # The synonyms of the type's canonical tags by a join, not a list of 20,000 ids.
        synonyms = Tag.objects.filter(synonym_of__type=tag.type, synonym_of__canonical=True)
    else:
        synonyms = Tag.objects.filter(synonym_of_id__in=ids)
    aliases: dict[int, list[str]] = defaultdict(list)
    for canonical_id, name in synonyms.values_list("synonym_of_id", "name"):
        if canonical_id in ids:
            aliases[canonical_id].append(name)
    return _Pool(targets, characters, relationships, aliases)


def _fandom_names(fandoms: set[int]) -> list[str]:
    return list(
        Tag.objects.filter(Q(pk__in=fandoms) | Q(synonym_of_id__in=fandoms)).values_list(
            "name", flat=True
        )
    )


def assistant_context(
    tag: Tag, *, shared: dict[str, _Pool] | None = None
) -> tuple[list[Candidate], Context]:
    """The candidates for a tag and everything the assistant may read about it. Tags of
    a whole-archive type (fandoms, additional tags) share one pool in `shared`."""
    fandoms = context_fandom_ids(tag) if tag.type in FANDOM_LINKED_TYPES else set()
    if shared is not None and tag.type in WHOLE_ARCHIVE_TYPES:
        if tag.type not in shared:
            shared[tag.type] = _pool(tag, fandoms)
        pool = shared[tag.type]
    else:
        pool = _pool(tag, fandoms)
    context = Context(
        characters=pool.characters,
        relationships=pool.relationships,
        aliases=pool.aliases,
        fandom_names=_fandom_names(fandoms),
        rejected=frozenset(rejected_target_ids(tag)),
        tag_id=tag.pk,
    )
    if tag.type in ENTITY_TYPES:
        work_ids = list(
            WorkTag.objects.filter(tag=tag).values_list("work_id", flat=True)[:TAG_WORKS_READ]
        )
        by_work = _filed_entities(work_ids, [tag.pk])
        context.tag_work_tags = [frozenset(by_work.get(w, ())) for w in work_ids]
        context.tag_works = len(work_ids)
        context.tag_profile = Counter(t for tags in context.tag_work_tags for t in tags)
        context.profiles = _Lazy(_profile)
        context.frequencies = _Lazy(_frequency)
        context.total_works = Work.objects.count() if work_ids else 0
    return pool.targets, context


def suggestions_for_tag(tag: Tag, *, threshold: float = DEFAULT_THRESHOLD) -> list[TagSuggestion]:
    """Suggested canonical tags for an unwrangled tag, best first; rejected ones left out."""
    return suggestions_for_tags([tag], threshold=threshold)[tag.pk]


def suggestions_for_tags(
    tags: Iterable[Tag], *, threshold: float = DEFAULT_THRESHOLD
) -> dict[int, list[TagSuggestion]]:
    """`suggestions_for_tag` for a page of tags, by tag id: fandoms and additional tags
    are compared with their type's canonical tags read once for the page."""
    shared: dict[str, _Pool] = {}
    found: dict[int, list[Suggestion]] = {}
    for tag in tags:
        if tag.canonical or tag.synonym_of_id or tag.is_fixed:
            found[tag.pk] = []
            continue
        pool, context = assistant_context(tag, shared=shared)
        found[tag.pk] = suggest(tag.name, tag.type, pool, context=context, threshold=threshold)
    targets = Tag.objects.in_bulk({s.target.id for found_ in found.values() for s in found_})
    return {
        pk: [TagSuggestion(targets[s.target.id], s.reason, s.score) for s in suggestions]
        for pk, suggestions in found.items()
    }
