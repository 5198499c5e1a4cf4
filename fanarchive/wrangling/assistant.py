"""The wrangling assistant: suggested canonical tags for an unwrangled tag, with reasons.

The matching is pure functions over names and the evidence passed in (`suggest`), so
it is measured on labelled sets of tag pairs without a database; `suggestion_selectors`
gathers the evidence from the archive: the fandom's canonical characters, the names
wranglers already made synonyms, and the characters and relationships on the works of
the tag and of each candidate.

By type (the rules are in `assistant_rules`):
- characters (`people`): the same name folded, without titles or "(Fandom)", another
  name it is known by (" | ", a quoted nickname, a synonym), a first name, surname or
  nickname that fits one character only; a title with a surname shared by relatives
  when the tag's works keep that relative's company; then close spelling, unless the
  two stand side by side on its works; then company alone;
- relationships (`people`): the same characters read that way, in any order ("A & B"
  and "A and B" are platonic and never "A/B"); a ship name made of the beginnings and
  ends of two characters' names who appear on its works ("Destiel"); a name for the
  cast its works share ("Ineffable Husbands");
- fandoms (`titles`): the same title without the year, medium, author, subtitle or title
  that tell fandoms apart, numbers as digits or roman numerals, initialisms;
- additional tags (`freeforms`): shorthand, plurals, "and" and "&" in any order, AU
  settings, initialisms, close spelling, never across a negation or a change of order
  around "to".

Each suggestion is one the names (and works) allow for exactly one target.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from fanarchive.wrangling.assistant_rules import evidence, people
from fanarchive.wrangling.assistant_rules.freeforms import suggest_freeform
from fanarchive.wrangling.assistant_rules.model import (
    CLOSE_MARGIN,
    Candidate,
    Context,
    Suggestion,
    clearly_closest,
)
from fanarchive.wrangling.assistant_rules.names import (
    damerau_levenshtein,
    fold,
    person_names,
    relationship_name,
    spelling_similarity,
    strip_diacritics,
    without_titles,
    word_similarity,
    words,
)
from fanarchive.wrangling.assistant_rules.titles import suggest_fandom

__all__ = [
    "DEFAULT_THRESHOLD",
    "Candidate",
    "Context",
    "Relationship",
    "Suggestion",
    "damerau_levenshtein",
    "fold",
    "parse_relationship",
    "strip_diacritics",
    "suggest",
    "words",
]

# Tuned on the development part of tests/data/unseen and on tests/data/wrangling_pairs.csv
# for precision >= 0.95; the held-out part is measured, never tuned on.
DEFAULT_THRESHOLD = 0.84
# Each differing word of a misspelt name must itself be this close ("Mitsuki" is no
# misspelling of "Katsuki", though the whole names are close).
WORD_FLOOR = 0.75


@dataclass(frozen=True)
class Relationship:
    platonic: bool
    names: tuple[str, ...]  # folded, titles left out, sorted

    @property
    def key(self) -> tuple[bool, tuple[str, ...]]:
        return self.platonic, self.names


def parse_relationship(name: str) -> Relationship | None:
    """ "A/B", "B/A", "A x B" are romantic, "A & B" (and "A and B") platonic."""
    parsed = relationship_name(name)
    if parsed is None:
        return None
    names = tuple(sorted(" ".join(without_titles(words(part))) for part in parsed.parts))
    if any(not part for part in names):
        return None
    return Relationship(parsed.platonic, names)


def suggest(
    name: str,
    tag_type: str,
    candidates: Sequence[Candidate],
    *,
    context: Context | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Suggestion]:
    """Suggested canonical targets for an unwrangled tag, best first, one per target."""
    context = context or Context()
    pool = [c for c in candidates if c.type == tag_type and c.id not in context.rejected and c.name]
    if not pool or not words(name):
        return []
    if tag_type in ("character", "relationship"):
        characters = {c.id: c for c in context.characters}
        if tag_type == "character":
            characters.update((c.id, c) for c in pool)
        cast = people.cast_for(list(characters.values()), context.aliases)
        if tag_type == "character":
            found = _character(name, pool, context, cast)
        else:
            found = people.suggest_relationship(name, pool, context, cast)
            found = found or _close_relationship(name, pool)
    elif tag_type == "fandom":
        found = suggest_fandom(name, pool, context.aliases)
    else:
        found = suggest_freeform(name, pool, context.aliases)
    ranked = sorted(found, key=lambda s: (-s.score, s.target.name))
    return [s for s in ranked if s.score >= threshold]


def _character(
    name: str, pool: Sequence[Candidate], context: Context, cast: people.Cast
) -> list[Suggestion]:
    qualifier = person_names(name)[0].qualifier if person_names(name) else ""
    if not people.fandom_qualifier(qualifier, context.fandom_names):
        return []  # "Castiel (Human)": a version of a character, not a name for it
    if cast.read(name, context.fandom_names) is not None:
        return people.suggest_character(name, pool, context, cast)
    return _close_character(name, pool, context, cast) or _company(pool, context, cast)


def _close_character(
    name: str, pool: Sequence[Candidate], context: Context, cast: people.Cast
) -> list[Suggestion]:
    """A misspelt name: close to a name one character is known by, each differing word
    close too, clearly closer than to anyone else, and the two not side by side on the
    tag's works (relatives with near names are)."""
    tag_names = person_names(name)
    if not tag_names:
        return []
    mine = list(tag_names[0].tokens)
    best_of: dict[int, float] = {}
    for c in pool:
        for known in cast.names.get(c.id, ()):
            if people.opposite_titles(tag_names[0].titles, known.titles):
                continue
            theirs = list(known.tokens)
            similarity = spelling_similarity(" ".join(mine), " ".join(theirs))
            if similarity <= 0 or len(theirs) != len(mine):
                continue
            if any(word_similarity(a, b) < WORD_FLOOR for a, b in zip(mine, theirs, strict=True)):
                continue
            best_of[c.id] = max(best_of.get(c.id, 0.0), similarity)
    scored = sorted(
        ((s, c) for c in pool if (s := best_of.get(c.id, 0.0)) > 0), key=lambda p: -p[0]
    )
    if not scored:
        return []
    best, target = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    if best - runner_up < CLOSE_MARGIN or best >= 1.0 or evidence.stands_beside(context, target.id):
        return []
    return [Suggestion(target, f"close spelling ({best:.0%} alike)", best)]


def _company(pool: Sequence[Candidate], context: Context, cast: people.Cast) -> list[Suggestion]:
    """A name unlike any: the character its works stand in for, or whose company they keep
    (very alike, clearly more than any other's)."""
    ids = [c.id for c in pool]
    casts = people.relationship_casts(context, cast)
    found = evidence.stand_in(context, ids, casts)
    reason = "its works are tagged with this character's relationships, not with the character"
    if found is None:
        found = evidence.alone(context, ids)
        reason = "its works keep the same company"
    if found is None:
        return []
    target = next(c for c in pool if c.id == found[0])
    return [Suggestion(target, reason, 0.85)]


def _close_relationship(name: str, pool: Sequence[Candidate]) -> list[Suggestion]:
    """A misspelt name inside a relationship: every name close, one target clearly closest."""
    mine = parse_relationship(name)
    if mine is None:
        return []
    scored = []
    for c in pool:
        target = parse_relationship(c.name)
        if target is None or target.platonic != mine.platonic:
            continue
        if len(target.names) != len(mine.names):
            continue
        similarity = min(
            spelling_similarity(a, b) for a, b in zip(mine.names, target.names, strict=True)
        )
        if similarity > 0:
            scored.append((similarity, c))
    return clearly_closest(scored)
