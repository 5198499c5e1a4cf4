"""What the assistant is given and what it answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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


# A misspelt name must beat the next closest candidate by this much.
CLOSE_MARGIN = 0.06


def clearly_closest(scored: list[tuple[float, Candidate]]) -> list[Suggestion]:
    """The closest spelling of a name, when it is clearly closer than the next one and
    not the same name (which other rules say better)."""
    if not scored:
        return []
    scored = sorted(scored, key=lambda pair: -pair[0])
    best, runner_up = scored[0][0], scored[1][0] if len(scored) > 1 else 0.0
    if best - runner_up < CLOSE_MARGIN or best >= 1.0:
        return []
    return [Suggestion(scored[0][1], f"close spelling ({best:.0%} alike)", best)]


@dataclass
class Context:
    """What the assistant knows besides the names of the candidates.

    - `characters`: the fandom's canonical characters (to read short names, titles and
      the names inside relationships);
    - `aliases`: the names of canonical tags' synonyms (what wranglers already merged),
      by canonical id;
    - `fandom_names`: the names of the tag's fandoms and their synonyms (a character's
      "(Supernatural)" or "(SPN)" only says which fandom it is from);
    - `tag_works`, `tag_profile`: how many works carry the tag, and the canonical
      characters and relationships on them, counted;
    - `tag_work_tags`: those canonical characters and relationships work by work (a
      sample), to see who a relationship names but the work does not tag;
    - `relationships`: the fandom's canonical relationships (whose casts those are);
    - `profiles`: the same counts for the works of a canonical tag (may be computed when
      first read);
    - `tag_id`: the tag's own id, left out of the candidates' profiles;
    - `total_works`, `frequencies`: the archive's works, and how many carry each canonical
      tag (may be computed when first read), so rare company weighs more than common;
    - `rejected`: targets a wrangler refused for this tag.
    """

    characters: Sequence[Candidate] = ()
    tag_profile: Mapping[int, float] | None = None
    profiles: Mapping[int, Mapping[int, float]] = field(default_factory=dict)
    rejected: frozenset[int] = frozenset()
    tag_works: int = 0
    aliases: Mapping[int, Sequence[str]] = field(default_factory=dict)
    fandom_names: Sequence[str] = ()
    tag_id: int | None = None
    total_works: int = 0
    tag_work_tags: Sequence[frozenset[int]] = ()
    relationships: Sequence[Candidate] = ()
    frequencies: Mapping[int, float] = field(default_factory=dict)
