"""A brute-force reference for the catalogue: the same answers, computed in plain Python
from the database with `Work.objects.visible_to` as the truth about visibility."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction
from typing import Any

from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.index.columns import FIXED_TYPES, FREE_TYPES
from fanarchive.discovery.index.facets import FACET_SIZE, MAIN_RELATIONSHIP
from fanarchive.discovery.index.quality import MIN_HITS, QUALITY_SORTS
from fanarchive.discovery.models import ListingPreference, MutedCreator, MutedTag
from fanarchive.discovery.tagging import filter_tag_ids
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import implied_tag_ids
from fanarchive.works.models import Creatorship, Work, WorkTag
from fanarchive.works.stats import STAT_NAMES, work_stats


def _seconds(moment: Any) -> int:
    return int(moment.timestamp()) if moment else 0


def reference(
    user: Any, spec: Filter, *, scores: dict[int, float] | None = None
) -> tuple[list[int], dict[str, list[tuple[int, int]]]]:
    """All matching work ids in order, and the facet counts. `scores`: the full-text
    hits with their scores (only they match; "relevance" sorts by them)."""
    works = {w.pk: w for w in Work.objects.visible_to(user)}
    tags = filter_tag_ids(works)
    types = dict(Tag.objects.values_list("id", "type"))
    own_fandom_tags: dict[int, list[int]] = {}
    for work_id, tag_id in WorkTag.objects.filter(
        work_id__in=list(works), tag__type=TagType.FANDOM
    ).values_list("work_id", "tag_id"):
        own_fandom_tags.setdefault(work_id, []).append(tag_id)
    implied = implied_tag_ids(sorted({t for ts in own_fandom_tags.values() for t in ts}))
    creators: dict[int, set[int]] = {}
    first_name: dict[int, str] = {}
    for work_id, user_id, name in (
        Creatorship.objects.filter(work_id__in=works)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__user_id", "pseud__name")
    ):
        creators.setdefault(work_id, set()).add(user_id)
        first_name.setdefault(work_id, name.casefold())
    anonymous = {pk for pk, w in works.items() if w.anonymous or w.anonymous_by_collection}
    for work_id in anonymous:
        # Named by nobody: no creator's mute reaches them and they sort as "anonymous".
        creators.pop(work_id, None)
        first_name[work_id] = "anonymous"
    muted_tags: set[int] = set()
    muted_creators: set[int] = set()
    # Mutes limited to fandoms: (tag or creator, the canonical tags of the fandoms chosen).
    scoped_tags: list[tuple[int, set[int]]] = []
    scoped_creators: list[tuple[int, set[int]]] = []
    preference = ListingPreference()
    if user.is_authenticated:
        canonical = dict(Tag.objects.values_list("id", "synonym_of_id"))
        for mute in MutedTag.objects.filter(user=user):
            # A synonym mutes as its canonical, as it filters.
            muted = canonical[mute.tag_id] or mute.tag_id
            fandoms = {canonical[f] or f for f in mute.fandoms.values_list("id", flat=True)}
            if fandoms:
                scoped_tags.append((muted, fandoms))
            else:
                muted_tags.add(muted)
        for muted_creator in MutedCreator.objects.filter(user=user):
            fandoms = {
                canonical[f] or f for f in muted_creator.fandoms.values_list("id", flat=True)
            }
            if fandoms:
                scoped_creators.append((muted_creator.creator_id, fandoms))
            else:
                muted_creators.add(muted_creator.creator_id)
        preference = ListingPreference.objects.filter(user=user).first() or preference
    stats = work_stats(works)
    # The tags each work's main relationships are filed under, from `WorkTag.main` and the
    # wrangling graph directly (not `discovery.tagging`, which the index uses).
    main_links = list(
        WorkTag.objects.filter(
            work_id__in=list(works), main=True, tag__type=TagType.RELATIONSHIP
        ).values_list("work_id", "tag_id")
    )
    main_implied = implied_tag_ids(sorted({t for _, t in main_links}))
    main_tags: dict[int, set[int]] = {}
    for work_id, tag_id in main_links:
        main_tags.setdefault(work_id, set()).update(main_implied.get(tag_id, {tag_id}))

    def number(work: Work, name: str) -> int:
        if name == "updated":
            return _seconds(work.revised_at)
        if name == "posted":
            return _seconds(work.first_posted_at)
        if name == "words":
            return work.word_count
        return getattr(stats[work.pk], name)

    def keep(work: Work) -> bool:
        mine = tags[work.pk]
        by = creators.get(work.pk, set())
        if mine & muted_tags or by & muted_creators:
            return False
        if any(tag in mine and fandoms & mine for tag, fandoms in scoped_tags):
            return False
        if any(creator in by and fandoms & mine for creator, fandoms in scoped_creators):
            return False
        if preference.hide_anonymous and work.pk in anonymous:
            return False
        # "Main relationship only": an included relationship must be filed from a main one.
        needed = {
            t for t in spec.include if not (spec.main_only and types.get(t) == "relationship")
        }
        if set(spec.include) - needed - main_tags.get(work.pk, set()):
            return False
        if not needed <= mine or set(spec.exclude) & mine:
            return False
        if spec.ratings and not set(spec.ratings) & mine:
            return False
        if spec.complete is not None and work.complete != spec.complete:
            return False
        # AO3's rule, worked out here independently of the index: own fandom tags
        # with no implied fandom in common.
        own_fandoms = own_fandom_tags.get(work.pk, [])
        crossover = len(own_fandoms) > 1 and not set.intersection(
            *(implied.get(t, {t}) for t in own_fandoms)
        )
        if (spec.crossover == "only" and not crossover) or (
            spec.crossover == "exclude" and crossover
        ):
            return False
        if preference.hide_crossovers and crossover:
            return False
        if spec.single_chapter and not (work.posted_chapters == 1 and work.expected_chapters == 1):
            return False
        if spec.language and work.language != spec.language:
            return False
        if scores is not None and work.pk not in scores:
            return False
        for name, (low, high) in spec.ranges.items():
            value = number(work, name)
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        return True

    found = [work for work in works.values() if keep(work)]

    def key(work: Work) -> tuple[Any, ...]:
        if spec.sort == "relevance" and scores is not None:
            return (-scores[work.pk], work.pk)
        if spec.sort == "title":
            return (work.title.casefold().strip(), work.pk)
        if spec.sort == "creator":
            return (first_name.get(work.pk, ""), work.pk)
        if spec.sort in QUALITY_SORTS:
            top, bottom = QUALITY_SORTS[spec.sort]
            rated = number(work, "hits") >= MIN_HITS and number(work, bottom) > 0
            ratio = Fraction(number(work, top), number(work, bottom)) if rated else Fraction(0)
            # Unrated works last either way: `found` is reversed for descending.
            return ((rated if spec.descending else not rated), ratio, work.pk)
        name = spec.sort if spec.sort in ("updated", "posted", "words", *STAT_NAMES) else "updated"
        return (number(work, name), work.pk)

    found.sort(key=key)
    if spec.descending and spec.sort != "relevance":
        found.reverse()
    counts = Counter(t for work in found for t in tags[work.pk])
    facets: dict[str, list[tuple[int, int]]] = {}
    for tag_type in (*FIXED_TYPES, *FREE_TYPES):
        pairs = sorted(
            ((t, c) for t, c in counts.items() if types[t] == tag_type), key=lambda p: (-p[1], p[0])
        )
        facets[tag_type] = pairs[:FACET_SIZE] if tag_type in FREE_TYPES else pairs
    mains = Counter(t for work in found for t in main_tags.get(work.pk, ()))
    facets[MAIN_RELATIONSHIP] = sorted(mains.items(), key=lambda p: (-p[1], p[0]))[:FACET_SIZE]
    return [work.pk for work in found], facets
