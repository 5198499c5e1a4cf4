"""Characters and relationships: the names a fandom's people are known by.

A character is known by its canonical name, each alternative around " | ", a quoted
nickname ('James "Bucky" Barnes'), the names of its synonyms, with or without titles
and its "(Fandom)" suffix. A short name, a title with a surname, or a nickname counts
only when it fits exactly one character; a title with a surname shared by relatives is
settled by the company the tag keeps on its works. A relationship matches when its
names read as the same characters; a ship name ("Destiel") when it is made of the
beginnings and ends of the names of two characters who appear on its works.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from fanarchive.wrangling.assistant_rules import evidence
from fanarchive.wrangling.assistant_rules.model import Candidate, Context, Suggestion
from fanarchive.wrangling.assistant_rules.names import (
    PersonName,
    fold,
    person_names,
    relationship_name,
    split_qualifiers,
    words,
)
from fanarchive.wrangling.assistant_rules.words import (
    FEMININE_TITLES,
    GENERIC_QUALIFIERS,
    MASCULINE_TITLES,
)

# Characters on at least this share of a ship name's works are its cast.
CAST_SHARE = 0.6
# Each of a ship name's two characters must be on this share of its works.
SHIP_SHARE = 0.5
# A nickname may be this many letters longer than the name it shortens ("Max", "Maxine").
LONGER_BY = 3


def _gendered(titles: Iterable[str]) -> bool:
    return bool(set(titles) & (MASCULINE_TITLES | FEMININE_TITLES))


def opposite_titles(a: Iterable[str], b: Iterable[str]) -> bool:
    """One title says a man, the other a woman."""
    mine, theirs = set(a), set(b)
    return bool(
        (mine & MASCULINE_TITLES and theirs & FEMININE_TITLES)
        or (mine & FEMININE_TITLES and theirs & MASCULINE_TITLES)
    )


@dataclass(frozen=True)
class NameMatch:
    """Who a name can mean, how sure the names alone are, and why."""

    ids: frozenset[int]
    score: float
    reason: str
    # Several people (or a weak reading): the tag's works must choose, if they can.
    needs_company: bool = False


def fandom_qualifier(qualifier: str, fandom_names: Sequence[str]) -> bool:
    """A character's "(...)" that only names its fandom (or says "Character")."""
    if not qualifier or qualifier in GENERIC_QUALIFIERS:
        return True
    wanted = qualifier.replace(" ", "")
    for name in fandom_names:
        base, _ = split_qualifiers(name)
        head = base.rsplit(" - ", 1)[0]
        forms = {fold(name), fold(base), fold(head)}
        forms.update(fold(part) for part in head.split(" | "))
        forms.update(fold(part.split(":")[0]) for part in head.split(" | "))
        if wanted in forms:
            return True
    return False


class Cast:
    """A fandom's characters, by every name they are known by."""

    def __init__(self, characters: Sequence[Candidate], aliases: Mapping[int, Sequence[str]]):
        self.characters = {c.id: c for c in characters}
        self.names: dict[int, list[PersonName]] = defaultdict(list)
        self.own: dict[str, set[int]] = defaultdict(set)
        self.other: dict[str, set[int]] = defaultdict(set)
        for c in characters:
            own = person_names(c.name)
            self.names[c.id].extend(own)
            self.own[fold(c.name)].add(c.id)
            for alias in aliases.get(c.id, ()):
                self.other[fold(alias)].add(c.id)
                alias_names = person_names(alias, alias=True)
                self.names[c.id].extend(alias_names)
                # A synonym's nickname goes with the surname too ("Sammy" Winchester).
                for nick in alias_names:
                    for name in own:
                        if len(nick.tokens) == 1 and len(name.tokens) > 1:
                            self.names[c.id].append(
                                PersonName((nick.tokens[0], name.tokens[-1]), (), "", True)
                            )
            for name in self.names[c.id]:
                if name.alias:
                    self.other[" ".join(name.tokens).replace(" ", "")].add(c.id)
        self.known = {token for names in self.names.values() for n in names for token in n.tokens}
        self.first_names = {n.tokens[0] for names in self.names.values() for n in names}
        # The names by their words, by their words sorted, and by their first and last word.
        self.by_tokens: dict[object, list[tuple[int, PersonName]]] = defaultdict(list)
        for id_, names in self.names.items():
            for n in names:
                for key in {("tokens", n.tokens), ("sorted", tuple(sorted(n.tokens))),
                            ("end", n.tokens[0]), ("end", n.tokens[-1])}:  # fmt: skip
                    self.by_tokens[key].append((id_, n))
        self.readings: dict[tuple[str, tuple[str, ...]], NameMatch | None] = {}
        self.pairings: dict[tuple[str, tuple[str, ...]], Pairing | None] = {}

    # -- reading one name -------------------------------------------------------

    def read(self, name: str, fandom_names: Sequence[str]) -> NameMatch | None:
        """Who `name` means in this fandom, by name alone (None: no one it could be)."""
        key = (name, tuple(fandom_names))
        if key not in self.readings:
            self.readings[key] = self._read(name, fandom_names)
        return self.readings[key]

    def _read(self, name: str, fandom_names: Sequence[str]) -> NameMatch | None:
        folded = fold(name)
        if folded in self.own:
            return NameMatch(
                frozenset(self.own[folded]),
                1.0,
                "equal after folding case, diacritics, punctuation and spacing",
            )
        if len(self.other.get(folded, ())) == 1:
            return NameMatch(frozenset(self.other[folded]), 0.95, "a name it is already known by")
        tag_names = person_names(name)
        if not tag_names or not fandom_qualifier(tag_names[0].qualifier, fandom_names):
            return None
        for level in (self._same_name, self._reordered, self._short, self._nickname, self._part):
            found = [m for m in (level(n) for n in tag_names) if m is not None]
            if found:
                return min(found, key=lambda m: len(m.ids))
        found = [m for m in (self._fuller(n) for n in tag_names) if m is not None]
        return found[0] if found else None

    def _matching(
        self, test: Callable[[PersonName], bool], key: object = None
    ) -> dict[int, list[PersonName]]:
        """The names passing `test`, among those indexed under `key` (all when None)."""
        matches: dict[int, list[PersonName]] = defaultdict(list)
        named: Iterable[tuple[int, PersonName]]
        if key is None:
            named = ((i, n) for i, names in self.names.items() for n in names)
        else:
            named = self.by_tokens.get(key, ())
        for id_, n in named:
            if test(n):
                matches[id_].append(n)
        return matches

    def _same_name(self, tag: PersonName) -> NameMatch | None:
        if len(tag.tokens) < 2:
            return None  # one word may also be someone's first name or surname: `_short`
        ids = set(self._matching(lambda n: n.tokens == tag.tokens, ("tokens", tag.tokens)))
        if not ids:
            return None
        return self._answer(ids, 0.92, "the same name without titles or its fandom")

    def _reordered(self, tag: PersonName) -> NameMatch | None:
        if len(tag.tokens) < 2:
            return None
        wanted = tuple(sorted(tag.tokens))
        ids = set(self._matching(lambda n: tuple(sorted(n.tokens)) == wanted, ("sorted", wanted)))
        return self._answer(ids, 0.9, "the same name in another order") if ids else None

    def _short(self, tag: PersonName) -> NameMatch | None:
        """One word: a whole name, a first name or a surname, maybe with a title."""
        if len(tag.tokens) != 1:
            return None
        word = tag.tokens[0]
        matches = self._matching(lambda n: word in (n.tokens[0], n.tokens[-1]), ("end", word))
        if not matches:
            return None
        if not tag.titles:
            whole = {i for i, names in matches.items() if any(len(n.tokens) == 1 for n in names)}
            if whole == set(matches):
                return self._answer(whole, 0.92, "the same name without titles or its fandom")
            return self._answer(set(matches), 0.88, "the fandom's only character with this name")
        wanted = set(tag.titles)
        # The same title; else no title; else another title for the same sex ("Princess
        # Aurelie" grown "Queen Aurelie"), never the other ("Lord Roos", "Lady Imke Roos").
        same_title = {
            i for i, names in matches.items() if any(wanted & set(n.titles) for n in names)
        }
        untitled = {i for i, names in matches.items() if any(not n.titles for n in names)}
        alike = {
            i
            for i, names in matches.items()
            if any(
                n.titles and not opposite_titles(wanted, n.titles) and _gendered(n.titles)
                for n in names
            )
            and _gendered(wanted)
        }
        ids = same_title or untitled or alike
        if not ids:
            return None
        if len(ids) == 1:
            return NameMatch(
                frozenset(ids), 0.88, "the fandom's only character with this title and name"
            )
        # A title with a surname shared by relatives: the works choose.
        return NameMatch(frozenset(ids), 0.86, "the title and name of", needs_company=True)

    def _nickname(self, tag: PersonName) -> NameMatch | None:
        """A short or long form of a first name, the rest of the name the same."""
        first, rest = tag.tokens[0], tag.tokens[1:]

        def shortens(n: PersonName) -> bool:
            if (rest and tuple(n.tokens[1:]) != tuple(rest)) or n.tokens[0] == first:
                return False
            other = n.tokens[0]
            if len(first) >= 2 and other.startswith(first):
                return True
            return (
                len(other) >= 3
                and first.startswith(other)
                and len(first) - len(other) <= LONGER_BY
                and first not in self.first_names
            )

        if first in self.first_names:
            return None
        ids = set(self._matching(shortens))
        if len(ids) != 1:
            return None
        return NameMatch(frozenset(ids), 0.86, "a short or long form of its first name")

    def _part(self, tag: PersonName) -> NameMatch | None:
        """Part of a longer name: first and last words, or its first words."""
        size = len(tag.tokens)
        if size < 2:
            return None

        def inside(n: PersonName) -> bool:
            longer = len(n.tokens) > size
            ends = n.tokens[0] == tag.tokens[0] and n.tokens[-1] == tag.tokens[-1]
            return longer and (ends or tuple(n.tokens[:size]) == tag.tokens)

        ids = set(self._matching(inside))
        return self._answer(ids, 0.88, "part of its name") if ids else None

    def _fuller(self, tag: PersonName) -> NameMatch | None:
        """A longer name than any it is known by (a middle name, a surname added): only
        the works can say it is the same person."""
        size = len(tag.tokens)
        if size < 2:
            return None

        def within(n: PersonName) -> bool:
            if len(n.tokens) >= size:
                return False
            if len(n.tokens) == 1:
                return n.tokens[0] == tag.tokens[0] or (
                    n.tokens[0] == tag.tokens[-1] and (bool(n.titles) or n.alias)
                )
            return n.tokens[0] == tag.tokens[0] and n.tokens[-1] == tag.tokens[-1]

        ids = set(self._matching(within))
        if not ids:
            return None
        return NameMatch(frozenset(ids), 0.86, "a fuller name of", needs_company=True)

    @staticmethod
    def _answer(ids: set[int], score: float, reason: str) -> NameMatch | None:
        if len(ids) == 1:
            return NameMatch(frozenset(ids), score, reason)
        return NameMatch(frozenset(ids), score, reason, needs_company=False)

    # -- ship names --------------------------------------------------------------

    @property
    def pieces(self) -> dict[int, tuple[set[str], set[str]]]:
        """Each character's name beginnings (any length) and endings (two letters or more)."""
        return _pieces(tuple((i, tuple(n)) for i, n in self.names.items()))


@lru_cache(maxsize=256)
def _pieces(
    names: tuple[tuple[int, tuple[PersonName, ...]], ...],
) -> dict[int, tuple[set[str], set[str]]]:
    found: dict[int, tuple[set[str], set[str]]] = {}
    for id_, person in names:
        starts: set[str] = set()
        ends: set[str] = set()
        for n in person:
            for token in n.tokens:
                if not token.isalpha():
                    continue
                starts.update(token[:i] for i in range(1, len(token) + 1))
                ends.update(token[i:] for i in range(len(token) - 1))
                ends.update(token[:i] for i in range(2, len(token) + 1))
        found[id_] = (starts, ends)
    return found


@lru_cache(maxsize=64)
def cast_of(
    characters: tuple[Candidate, ...], aliases: tuple[tuple[int, tuple[str, ...]], ...]
) -> Cast:
    return Cast(characters, dict(aliases))


def cast_for(characters: Sequence[Candidate], aliases: Mapping[int, Sequence[str]]) -> Cast:
    ids = {c.id for c in characters}
    relevant = tuple(sorted((i, tuple(names)) for i, names in aliases.items() if i in ids))
    return cast_of(tuple(characters), relevant)


# -- characters -------------------------------------------------------------------


def relationship_casts(context: Context, cast: Cast) -> dict[int, frozenset[int]]:
    """The characters each of the fandom's canonical relationships names."""
    casts: dict[int, frozenset[int]] = {}
    for r in context.relationships:
        pairing = read_relationship(r.name, cast, context.fandom_names)
        if pairing is not None:
            casts[r.id] = frozenset(
                next(iter(p)) for p in pairing.people if isinstance(p, frozenset) and len(p) == 1
            )
    return casts


def persons(pairing: Pairing | None) -> tuple[int, ...] | None:
    """The characters of a pairing each of whose parts names one character."""
    if pairing is None:
        return None
    found = []
    for part in pairing.people:
        if not isinstance(part, frozenset) or len(part) != 1:
            return None
        found.append(next(iter(part)))
    return tuple(found)


def by_company(context: Context, ids: Sequence[int], cast: Cast) -> tuple[int, str] | None:
    """Which of these characters the tag's works say it is: the one it stands in for on
    its relationships' works, else the one whose company its works keep."""
    casts = relationship_casts(context, cast)
    found = evidence.stand_in(context, ids, casts)
    if found is not None:
        return found[0], "its works are tagged with their relationships, not with them"
    chosen = evidence.choose(context, ids)
    if chosen is not None:
        return chosen[0], f"its works keep their company ({chosen[1]:.0%} alike)"
    return None


def suggest_character(
    name: str, pool: Sequence[Candidate], context: Context, cast: Cast
) -> list[Suggestion]:
    """Suggestions for a character tag, by name, then by name and company."""
    by_id = {c.id: c for c in pool}
    match = cast.read(name, context.fandom_names)
    if match is None:
        return []
    ids = [i for i in match.ids if i in by_id]
    if match.needs_company:
        chosen = by_company(context, ids, cast)
        if chosen is None:
            return []
        target, why = chosen
        return [
            Suggestion(by_id[target], f"{match.reason} {by_id[target].name}: {why}", match.score)
        ]
    if len(ids) != 1:
        return []
    # A title with a surname tagged beside the character on most of its works is a
    # relative ("Mr. Young" beside Adam Young).
    if "title" in match.reason and evidence.stands_beside(context, ids[0]):
        return []
    return [Suggestion(by_id[ids[0]], match.reason, match.score)]


# -- relationships ----------------------------------------------------------------


@dataclass(frozen=True)
class Pairing:
    platonic: bool
    people: tuple[frozenset[int] | str, ...]  # who each part can mean; its folded name if no one
    exact: bool  # every part named exactly as the canonical character is
    titled: bool  # a part is a title with a shared surname


def read_relationship(name: str, cast: Cast, fandom_names: Sequence[str]) -> Pairing | None:
    """Who a relationship's parts name (read once per cast)."""
    key = (name, tuple(fandom_names))
    if key not in cast.pairings:
        cast.pairings[key] = _read_relationship(name, cast, fandom_names)
    return cast.pairings[key]


def _read_relationship(name: str, cast: Cast, fandom_names: Sequence[str]) -> Pairing | None:
    parsed = relationship_name(name)
    if parsed is None:
        return None
    people: list[frozenset[int] | str] = []
    exact = True
    titled = False
    for part in parsed.parts:
        match = cast.read(part, fandom_names)
        if match is None or (len(match.ids) != 1 and not match.needs_company):
            people.append(" ".join(words(part)))
            exact = False
            continue
        if match.needs_company:
            if "title" not in match.reason:
                people.append(" ".join(words(part)))
                exact = False
                continue
            titled = True
        people.append(match.ids)
        exact = exact and match.score >= 1.0
    return Pairing(parsed.platonic, tuple(people), exact, titled)


def _same_people(tag: Pairing, target: Pairing) -> bool:
    """Each of the tag's parts can mean a different one of the target's characters."""
    if tag.platonic != target.platonic or len(tag.people) != len(target.people):
        return False
    wanted = list(target.people)

    def assign(index: int, left: list[frozenset[int] | str]) -> bool:
        if index == len(tag.people):
            return True
        mine = tag.people[index]
        for position, theirs in enumerate(left):
            fits = (
                mine == theirs
                if isinstance(mine, str) or isinstance(theirs, str)
                else len(theirs) == 1 and next(iter(theirs)) in mine
            )
            if fits and assign(index + 1, left[:position] + left[position + 1 :]):
                return True
        return False

    return assign(0, wanted)


def suggest_relationship(
    name: str, pool: Sequence[Candidate], context: Context, cast: Cast
) -> list[Suggestion]:
    folded = fold(name)
    for c in pool:
        if fold(c.name) == folded:
            return [
                Suggestion(c, "equal after folding case, diacritics, punctuation and spacing", 1.0)
            ]
    for c in pool:
        if any(fold(alias) == folded for alias in context.aliases.get(c.id, ())):
            return [Suggestion(c, "a name it is already known by", 0.95)]
    targets = {c.id: read_relationship(c.name, cast, context.fandom_names) for c in pool}
    tag = read_relationship(name, cast, context.fandom_names)
    if tag is not None:
        same = [c for c in pool if (t := targets[c.id]) is not None and _same_people(tag, t)]
        if len(same) != 1 or all(isinstance(p, str) for p in tag.people):
            return []
        if tag.exact:
            reason = "the same relationship, its names in another order or with another separator"
            return [Suggestion(same[0], reason, 0.96)]
        reason = (
            "the same relationship, its characters named by a short name, title or another name"
        )
        return [Suggestion(same[0], reason, 0.86 if tag.titled else 0.9)]
    return _ship_name(name, pool, context, cast, targets)


def _presence(context: Context, person: int, pairing_id: int) -> float:
    """A character's share of the tag's works, counting those tagged with the pairing."""
    return max(evidence.share(context, person), evidence.share(context, pairing_id))


def _ship_name(
    name: str,
    pool: Sequence[Candidate],
    context: Context,
    cast: Cast,
    targets: Mapping[int, Pairing | None],
) -> list[Suggestion]:
    """A name that is no list of characters: a portmanteau of two characters who appear
    on its works, or the name of the cast its works share."""
    base, qualifiers = split_qualifiers(name)
    if qualifiers and not fandom_qualifier(" ".join(words(qualifiers[-1])), context.fandom_names):
        return []
    duos = {
        c.id: found
        for c in pool
        if (found := persons(t := targets[c.id])) is not None
        and t is not None
        and not t.platonic
        and len(found) == 2
    }
    by_id = {c.id: c for c in pool}
    made = _portmanteaus(fold(base), cast, duos)
    scored = []
    for rel_id, clear in made.items():
        shares = [_presence(context, person, rel_id) for person in duos[rel_id]]
        if min(shares) >= SHIP_SHARE:
            reason = "made of the names of its two characters, who appear on its works"
            scored.append((0.92, min(shares), rel_id, reason))
        elif clear and max(shares) >= SHIP_SHARE:
            reason = "made of the names of its two characters"
            scored.append((0.88, min(shares), rel_id, reason))
    if scored:
        scored.sort(reverse=True)
        if len(scored) > 1 and scored[1][:2] == scored[0][:2]:
            return []
        score, _, rel_id, reason = scored[0]
        return [Suggestion(by_id[rel_id], f"a ship name {reason}", score)]
    return _cast_name(context, pool, targets)


def _portmanteaus(folded: str, cast: Cast, duos: Mapping[int, tuple[int, ...]]) -> dict[int, bool]:
    """The two-character relationships `folded` is a blend of, and whether the blend's
    pieces point to those two characters alone."""
    if len(folded) < 3 or not folded.isalpha():
        return {}
    pieces = cast.pieces
    made: dict[int, bool] = {}
    for cut in range(1, len(folded)):
        head, tail = folded[:cut], folded[cut:]
        if len(tail) < 2:
            continue
        heads = {i for i, (starts, _) in pieces.items() if head in starts}
        tails = {i for i, (_, ends) in pieces.items() if tail in ends}
        for rel_id, (a, b) in duos.items():
            for first, second in ((a, b), (b, a)):
                if first in heads and second in tails:
                    clear = heads == {first} and tails == {second} and len(head) >= 2
                    made[rel_id] = made.get(rel_id, False) or clear
    return made


def _cast_name(
    context: Context,
    pool: Sequence[Candidate],
    targets: Mapping[int, Pairing | None],
) -> list[Suggestion]:
    """The relationship whose characters are all on most of the tag's works (the largest
    such cast; between equal casts, the one tagged beside it more often)."""
    if context.tag_works < evidence.MIN_WORKS:
        return []
    fits = []
    for c in pool:
        people = persons(targets[c.id])
        if people is None:
            continue
        # Writers who name a pairing tag the relationship too, now and then.
        together = evidence.share(context, c.id)
        if together > 0 and min(_presence(context, p, c.id) for p in people) >= CAST_SHARE:
            fits.append((len(people), together, c))
    if not fits:
        return []
    fits.sort(key=lambda fit: (-fit[0], -fit[1]))
    if len(fits) > 1 and fits[1][:2] == fits[0][:2]:
        return []
    return [Suggestion(fits[0][2], "its works share this relationship's characters", 0.87)]
