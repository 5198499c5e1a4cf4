"""The wrangling assistant: suggested canonical tags for an unwrangled tag, with reasons.

The matching is pure functions over names (`suggest`), so it is tested on a
labelled set of tag pairs without a database; `suggestions_for_tag` feeds it the
archive's canonical tags and co-occurrence profiles.

Reasons, strongest first:
- equal after folding case, diacritics, punctuation and spacing;
- a relationship with its names in another order or with another separator
  ("A/B", "B/A", "A x B"; "A & B" is platonic and never matches "A/B");
- a relationship or character named by first name, surname or with a title, when
  the fandom has exactly one such canonical character;
- close spelling (Damerau-Levenshtein), when no other candidate is about as close;
- strong co-occurrence: the tag's works carry the same other tags as the canonical's.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

# Tuned on fanarchive/tags/tests/data/wrangling_pairs.csv for precision >= 0.9.
DEFAULT_THRESHOLD = 0.84
# Spellings less alike than this are not compared at all.
CLOSE_FLOOR = 0.7
# A close spelling must beat the next closest candidate by this much.
CLOSE_MARGIN = 0.06
# Fewest works a tag needs before co-occurrence counts as evidence.
COOCCURRENCE_MIN_WORKS = 3

TITLES = frozenset(
    [
        "admiral",
        "agent",
        "aunt",
        "brother",
        "captain",
        "capt",
        "cmdr",
        "colonel",
        "col",
        "commander",
        "count",
        "countess",
        "dame",
        "detective",
        "doctor",
        "dr",
        "duchess",
        "duke",
        "emperor",
        "empress",
        "father",
        "general",
        "gen",
        "grandma",
        "grandpa",
        "king",
        "lady",
        "lieutenant",
        "lt",
        "lord",
        "major",
        "master",
        "miss",
        "mister",
        "mistress",
        "mr",
        "mrs",
        "ms",
        "mx",
        "officer",
        "prince",
        "princess",
        "prof",
        "professor",
        "queen",
        "sergeant",
        "sgt",
        "sir",
        "sister",
        "st",
        "saint",
        "uncle",
    ]
)

_ROMANTIC = re.compile(r"\s*/\s*|\s+[x×]\s+", re.IGNORECASE)
_PLATONIC = re.compile(r"\s*&\s*")


@dataclass(frozen=True)
class Candidate:
    """A canonical tag the assistant may suggest."""

    id: int
    name: str
    type: str


@dataclass(frozen=True)
class Suggestion:
    target: Candidate
    reason: str
    score: float


@dataclass
class Context:
    """What the assistant knows besides names: the fandom's canonical characters (for
    first names and titles), co-occurrence profiles, and rejected targets."""

    characters: Sequence[Candidate] = ()
    tag_profile: Mapping[int, float] | None = None
    profiles: Mapping[int, Mapping[int, float]] = field(default_factory=dict)
    rejected: frozenset[int] = frozenset()


# -- folding ------------------------------------------------------------------


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def words(name: str) -> tuple[str, ...]:
    """Folded words: case folded, diacritics and punctuation gone ("O'Neil" is "oneil")."""
    text = strip_diacritics(name.casefold()).replace("'", "").replace("’", "")
    return tuple(re.findall(r"[^\W_]+", text))


def fold(name: str) -> str:
    """Equal for names that differ only in case, diacritics, punctuation and spacing."""
    return "".join(words(name))


def without_titles(tokens: Sequence[str]) -> list[str]:
    kept = [token for token in tokens if token not in TITLES]
    return kept or list(tokens)


@dataclass(frozen=True)
class Relationship:
    platonic: bool
    names: tuple[str, ...]  # folded, sorted

    @property
    def key(self) -> tuple[bool, tuple[str, ...]]:
        return self.platonic, self.names


@lru_cache(maxsize=200_000)
def parse_relationship(name: str) -> Relationship | None:
    """ "A/B", "B/A", "A x B" are romantic, "A & B" platonic; a mix is not parsed."""
    romantic = [part for part in _ROMANTIC.split(name) if part.strip()]
    platonic = [part for part in _PLATONIC.split(name) if part.strip()]
    if len(romantic) > 1 and len(platonic) == 1:
        parts, is_platonic = romantic, False
    elif len(platonic) > 1 and len(romantic) == 1:
        parts, is_platonic = platonic, True
    else:
        return None
    names = tuple(sorted(" ".join(without_titles(words(part))) for part in parts))
    if any(not part for part in names):
        return None
    return Relationship(is_platonic, names)


# -- similarity ---------------------------------------------------------------


def damerau_levenshtein(a: str, b: str) -> int:
    """Edit distance counting a swap of neighbouring letters as one edit."""
    rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
    for i in range(len(a) + 1):
        rows[i][0] = i
    for j in range(len(b) + 1):
        rows[0][j] = j
    for i in range(1, len(a) + 1):
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            rows[i][j] = min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                rows[i][j] = min(rows[i][j], rows[i - 2][j - 2] + 1)
    return rows[len(a)][len(b)]


def spelling_similarity(a: str, b: str) -> float:
    """1.0 for equal folded names, falling by edits relative to the longer name.

    Names with a different number of words or different numbers are not close:
    "Hurt No Comfort" is not a misspelling of "Hurt/Comfort", nor "Tales 2" of "Tales".
    """
    wa, wb = words(a), words(b)
    if len(wa) != len(wb) or [w for w in wa if w.isdigit()] != [w for w in wb if w.isdigit()]:
        return 0.0
    fa, fb = "".join(wa), "".join(wb)
    if not fa or not fb:
        return 0.0
    longest = max(len(fa), len(fb))
    allowed = int(longest * (1 - CLOSE_FLOOR))
    if abs(len(fa) - len(fb)) > allowed:
        return 0.0
    # Cheap lower bound first: each edit changes at most two letter counts.
    counts_a, counts_b = Counter(fa), Counter(fb)
    if sum(((counts_a - counts_b) + (counts_b - counts_a)).values()) > 2 * allowed:
        return 0.0
    return 1.0 - damerau_levenshtein(fa, fb) / longest


def cooccurrence(a: Mapping[int, float], b: Mapping[int, float]) -> float:
    """Cosine similarity of two tag profiles (other tags on their works, with counts)."""
    common = set(a) & set(b)
    dot = sum(a[key] * b[key] for key in common)
    norm = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norm if norm else 0.0


# -- short names --------------------------------------------------------------


def _short_name_matches(tokens: Sequence[str], characters: Iterable[str]) -> list[str]:
    """The full character names (folded words joined by spaces) these words can mean:
    the same name with or without titles, or a single first name or surname."""
    wanted = without_titles(tokens)
    had_title = len(wanted) < len(tokens)
    found = []
    for full in characters:
        full_tokens = without_titles(full.split())
        if (wanted == full_tokens and (had_title or len(wanted) > 0)) or (
            len(wanted) == 1
            and len(full_tokens) > 1
            and wanted[0]
            in (
                full_tokens[0],
                full_tokens[-1],
            )
        ):
            found.append(full)
    return found


def resolve_character(name: str, characters: Iterable[str]) -> str | None:
    """The one full name a short or titled character name means, or None if not exactly one."""
    tokens = words(name)
    if not tokens:
        return None
    unique = sorted(set(_short_name_matches(tokens, characters)))
    return unique[0] if len(unique) == 1 else None


# -- suggest ------------------------------------------------------------------


def _best(found: dict[int, Suggestion], suggestion: Suggestion) -> None:
    current = found.get(suggestion.target.id)
    if current is None or suggestion.score > current.score:
        found[suggestion.target.id] = suggestion


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
    found: dict[int, Suggestion] = {}
    folded = fold(name)
    relationship = parse_relationship(name) if tag_type == "relationship" else None

    # Character names known in the fandom: canonical characters, and the names
    # inside its canonical relationships.
    known_characters = {" ".join(without_titles(words(c.name))) for c in context.characters}
    for c in pool:
        parsed = parse_relationship(c.name) if tag_type == "relationship" else None
        if parsed:
            known_characters.update(parsed.names)
    resolutions: dict[str, str] = {}

    def resolve_part(part: str) -> str:
        """The full name a relationship's short name means (once per tag, not per candidate)."""
        if part not in resolutions:
            resolutions[part] = resolve_character(part, known_characters) or ""
        return resolutions[part]

    for c in pool:
        if tag_type == "relationship":
            target = parse_relationship(c.name)
            if relationship and target and relationship.key == target.key:
                _best(
                    found,
                    Suggestion(
                        c,
                        "the same relationship, its names in another "
                        "order or with another separator",
                        0.96,
                    ),
                )
            elif relationship and target and relationship.platonic == target.platonic:
                resolved = tuple(
                    sorted(
                        part if part in target.names else resolve_part(part)
                        for part in relationship.names
                    )
                )
                if resolved == target.names:
                    _best(
                        found,
                        Suggestion(
                            c,
                            "the same relationship, its characters named "
                            "by first name, surname or title",
                            0.88,
                        ),
                    )
            if relationship is None and target is None and fold(c.name) == folded:
                _best(
                    found,
                    Suggestion(
                        c, "equal after folding case, diacritics, punctuation and spacing", 1.0
                    ),
                )
        elif fold(c.name) == folded:
            _best(
                found,
                Suggestion(c, "equal after folding case, diacritics, punctuation and spacing", 1.0),
            )

    if tag_type == "character":
        tokens = words(name)
        matches = _short_name_matches(tokens, [" ".join(words(c.name)) for c in pool])
        if len(set(matches)) == 1:
            for c in pool:
                if " ".join(words(c.name)) == matches[0]:
                    _best(
                        found,
                        Suggestion(
                            c,
                            "the fandom's only character with this first name, surname or title",
                            0.88,
                        ),
                    )

    if not found:
        _close_spelling(name, tag_type, relationship, pool, found)

    if context.tag_profile:
        for c in pool:
            profile = context.profiles.get(c.id)
            if not profile:
                continue
            score = cooccurrence(context.tag_profile, profile)
            if c.id in found:
                boosted = min(1.0, found[c.id].score + 0.1 * score)
                found[c.id] = Suggestion(c, found[c.id].reason, boosted)
            elif score >= 0.9:
                _best(
                    found,
                    Suggestion(
                        c,
                        f"its works carry the same tags ({score:.0%} alike)",
                        round(score * 0.9, 3),
                    ),
                )

    ranked = sorted(found.values(), key=lambda s: (-s.score, s.target.name))
    return [s for s in ranked if s.score >= threshold]


def _close_spelling(
    name: str,
    tag_type: str,
    relationship: Relationship | None,
    pool: Sequence[Candidate],
    found: dict[int, Suggestion],
) -> None:
    scored = []
    for c in pool:
        if tag_type == "relationship":
            target = parse_relationship(c.name)
            if relationship is None or target is None:
                similarity = spelling_similarity(name, c.name)
            elif relationship.platonic != target.platonic or len(relationship.names) != len(
                target.names
            ):
                continue
            else:
                similarity = min(
                    spelling_similarity(a, b)
                    for a, b in zip(relationship.names, target.names, strict=True)
                )
        else:
            similarity = spelling_similarity(name, c.name)
        if similarity > 0:
            scored.append((similarity, c))
    scored.sort(key=lambda pair: -pair[0])
    if not scored:
        return
    best, runner_up = scored[0][0], scored[1][0] if len(scored) > 1 else 0.0
    if best - runner_up >= CLOSE_MARGIN and best < 1.0:
        _best(found, Suggestion(scored[0][1], f"close spelling ({best:.0%} alike)", best))
