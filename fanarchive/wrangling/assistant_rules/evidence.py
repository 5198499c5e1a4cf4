"""The archive's evidence: the company a tag keeps on its works.

A tag's profile counts the canonical characters and relationships on the works that
carry it. Two names of one person keep the same company but seldom stand on the same
work; two people of one family stand together. So the rules below compare profiles
with the candidates themselves left out, and read a candidate tagged beside the tag on
most of its works as someone else.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping

from fanarchive.wrangling.assistant_rules.model import Context

# Works a tag needs before its company may choose a target that its name does not fix.
MIN_WORKS = 3
# A candidate on at least this share of the tag's works stands beside it: another one.
BESIDE = 0.5
# How alike the company must be, and by how much the best must beat the next.
ALIKE = 0.6
MARGIN = 0.15


def cosine(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """Cosine similarity of two tag profiles (other tags on their works, with counts)."""
    common = set(a) & set(b)
    dot = sum(a[key] * b[key] for key in common)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


def share(context: Context, tag_id: int) -> float:
    """The share of the tag's works that also carry this canonical tag."""
    if not context.tag_profile or not context.tag_works:
        return 0.0
    return min(1.0, context.tag_profile.get(tag_id, 0) / context.tag_works)


def _weight(context: Context, tag_id: int) -> float:
    """Rare company says more than common company: the inverse of how many works carry it."""
    if not context.total_works:
        return 1.0
    carried = context.frequencies.get(tag_id, 0.0)
    return math.log((context.total_works + 1) / (carried + 1)) + 1.0


def likeness(context: Context, candidate_id: int, leave_out: Iterable[int] = ()) -> float:
    """How alike the company of the tag and of a candidate is, leaving out the candidate,
    the tag and `leave_out` (the other candidates: relatives keep each other's company)."""
    if not context.tag_profile:
        return 0.0
    left_out = {candidate_id, *leave_out}
    if context.tag_id is not None:
        left_out.add(context.tag_id)
    theirs = context.profiles.get(candidate_id) or {}
    keys = (set(context.tag_profile) | set(theirs)) - left_out
    weights = {k: _weight(context, k) for k in keys}
    mine = {k: v * weights[k] for k, v in context.tag_profile.items() if k in keys}
    return cosine(mine, {k: v * weights[k] for k, v in theirs.items() if k in keys})


def choose(context: Context, ids: Iterable[int]) -> tuple[int, float] | None:
    """The one candidate whose works keep the tag's company, clearly better than the
    others and not tagged beside it; None when the works do not say."""
    ids = list(ids)
    if context.tag_works < MIN_WORKS or not ids:
        return None
    scored = sorted(((likeness(context, c, ids), c) for c in ids), reverse=True)
    best, chosen = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < ALIKE or best - runner_up < MARGIN or share(context, chosen) >= BESIDE:
        return None
    return chosen, best


def stands_beside(context: Context, candidate_id: int) -> bool:
    """The candidate is tagged beside the tag on more than half of its works, and on two
    at least: someone else (a relative), not another name for it. Writers do now and then
    tag one person twice, so one work, or half of them, says nothing."""
    together = (context.tag_profile or {}).get(candidate_id, 0)
    return together >= 2 and share(context, candidate_id) > BESIDE


# Company alone must be this alike, since no name supports it.
ALONE_ALIKE = 0.75


def alone(context: Context, ids: Iterable[int]) -> tuple[int, float] | None:
    """The one candidate whose works keep the tag's company, when no name points anywhere:
    very alike, clearly more than any other, and not tagged beside it."""
    if context.tag_works < MIN_WORKS:
        return None
    scored = sorted(((likeness(context, c), c) for c in ids), reverse=True)
    if not scored:
        return None
    best, chosen = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best < ALONE_ALIKE or best - runner_up < MARGIN or share(context, chosen) >= BESIDE:
        return None
    return chosen, best


# A character a relationship names on the tag's works must be untagged on this share of
# them to be stood in for, where writers usually tag it (untagged at most this often).
STAND_IN = 0.6
USUALLY_TAGGED = 0.35


def _untagged(
    context: Context, casts: Mapping[int, frozenset[int]]
) -> tuple[Counter[int], Counter[int]]:
    """For each character: on how many of the tag's works a relationship names it while
    it is not tagged, and on how many a relationship names it at all."""
    untagged: Counter[int] = Counter()
    named: Counter[int] = Counter()
    for work in context.tag_work_tags:
        implied: set[int] = set()
        for tag_id in work:
            implied.update(casts.get(tag_id, ()))
        for person in implied:
            named[person] += 1
            untagged[person] += person not in work
    return untagged, named


def _usually_untagged(context: Context, person: int, casts: Mapping[int, frozenset[int]]) -> float:
    """How often the archive's works of this character's relationships leave it untagged."""
    works = tagged = 0.0
    for relationship, people in casts.items():
        if person in people:
            carried = context.frequencies.get(relationship, 0.0)
            works += carried
            tagged += min(carried, (context.profiles.get(relationship) or {}).get(person, 0.0))
    return 1.0 - tagged / works if works else 1.0


def stand_in(
    context: Context, ids: Iterable[int], casts: Mapping[int, frozenset[int]]
) -> tuple[int, float] | None:
    """The character the tag stands in for: its works are tagged with that character's
    relationships but not with the character, which writers otherwise tag. The character
    left untagged most often must be so on most of the works naming
    it, and more than twice as often as anyone else."""
    untagged, named = _untagged(context, casts)
    ranked = sorted(((untagged[p], p) for p in ids if untagged[p]), reverse=True)
    if not ranked:
        return None
    missing, person = ranked[0]
    runner_up = ranked[1][0] if len(ranked) > 1 else 0
    if runner_up * 2 >= missing or missing / named[person] < STAND_IN:
        return None
    if (
        share(context, person) >= BESIDE
        or _usually_untagged(context, person, casts) > USUALLY_TAGGED
    ):
        return None
    return person, missing / named[person]
