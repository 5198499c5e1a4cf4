"""The wrangling assistant on the archive's own tags: which fandoms a tag belongs to, the
co-occurrence profiles of tags on works, and the suggestions for one tag (reads only;
the matching itself is `wrangling.assistant`, pure functions over names)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q

from fanarchive.tags.models import FANDOM_LINKED_TYPES, FIXED_TYPES, FandomLink, Tag, TagType
from fanarchive.tags.selectors import rejected_target_ids
from fanarchive.works.models import WorkTag
from fanarchive.wrangling.assistant import (
    COOCCURRENCE_MIN_WORKS,
    DEFAULT_THRESHOLD,
    Candidate,
    Context,
    suggest,
    words,
)


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


def _profile(tag_ids: Iterable[int], limit: int = 500) -> Counter[int]:
    """The other tags on the works carrying these tags, counted (fixed tags left out)."""
    ids = list(tag_ids)
    work_ids = list(
        WorkTag.objects.filter(tag_id__in=ids).values_list("work_id", flat=True)[:limit]
    )
    rows = (
        WorkTag.objects.filter(work_id__in=work_ids)
        .exclude(tag_id__in=ids)
        .exclude(tag__type__in=FIXED_TYPES)
        .values_list("tag_id", "tag__synonym_of_id")
    )
    return Counter(synonym or tag_id for tag_id, synonym in rows)


def suggestions_for_tag(tag: Tag, *, threshold: float = DEFAULT_THRESHOLD) -> list[TagSuggestion]:
    """Suggested canonical tags for an unwrangled tag, best first; rejected ones left out."""
    if tag.canonical or tag.synonym_of_id or tag.is_fixed:
        return []
    canonicals = Tag.objects.filter(type=tag.type, canonical=True).exclude(pk=tag.pk)
    characters = Tag.objects.none()
    fandoms = context_fandom_ids(tag) if tag.type in FANDOM_LINKED_TYPES else set()
    if fandoms and tag.type != TagType.FREEFORM:
        # The fandoms' canonical tags, and canonical tags not yet in any fandom.
        in_fandoms = Q(fandom_links__fandom_id__in=fandoms) | Q(fandom_links__isnull=True)
        canonicals = canonicals.filter(in_fandoms).distinct()
        characters = Tag.objects.filter(in_fandoms, type=TagType.CHARACTER, canonical=True)
        characters = characters.distinct()
    else:
        # Whole-archive types: only names sharing a first letter can fold or spell alike.
        first = words(tag.name)[:1]
        if first:
            canonicals = canonicals.filter(name_folded__startswith=first[0][0])
    targets = {t.pk: t for t in canonicals[:5000]}
    pool = [Candidate(t.pk, t.name, t.type) for t in targets.values()]
    profiles: dict[int, Counter[int]] = {}
    tag_profile: Counter[int] | None = None
    if tag.work_tags.count() >= COOCCURRENCE_MIN_WORKS and len(pool) <= 100:
        tag_profile = _profile([tag.pk])
        for target in targets.values():
            synonyms = list(target.synonyms.values_list("pk", flat=True))
            profiles[target.pk] = _profile([target.pk, *synonyms])
            profiles[target.pk].pop(tag.pk, None)
    context = Context(
        characters=[Candidate(c.pk, c.name, c.type) for c in characters],
        tag_profile=tag_profile,
        profiles=profiles,
        rejected=frozenset(rejected_target_ids(tag)),
    )
    return [
        TagSuggestion(targets[s.target.id], s.reason, s.score)
        for s in suggest(tag.name, tag.type, pool, context=context, threshold=threshold)
    ]
