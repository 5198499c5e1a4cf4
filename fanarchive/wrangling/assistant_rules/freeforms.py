"""Additional tags: the same trope written another way, never its opposite.

Shorthand ("w/", "&", "2" for "to"), plurals and articles do not change a tag; neither
does the order of tags joined by "and", "&" or "/" ("Angst and Fluff"), nor an "AU"
written before or after its setting. Order does matter around "to", "into", "vs" and
the like ("Lovers to Enemies"), a negation makes an opposite ("Unrequited", "Not Canon
Compliant", "Non-Linear"), and a misspelling is only one when the differing word is not
itself a word the archive's tags use ("Major Character Death" is no typo of "Minor").
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from fanarchive.wrangling.assistant_rules.model import Candidate, Suggestion, clearly_closest
from fanarchive.wrangling.assistant_rules.names import (
    abbreviates,
    spelling_similarity,
    stem,
    words,
)
from fanarchive.wrangling.assistant_rules.words import (
    ARTICLES,
    AU_PHRASES,
    DIRECTIONAL,
    NEGATING_PREFIXES,
    NEGATIONS,
    SHORTHAND,
    SPELT_OR_NOT,
    TITLE_KEY,
)


@dataclass(frozen=True)
class Freeform:
    tokens: tuple[str, ...]  # folded words, shorthand spelt out
    key: tuple[str, ...]  # without articles, plurals stemmed
    parts: tuple[tuple[str, ...], ...]  # keys of the tags joined by and / & / slash
    topic: tuple[str, ...] | None  # an alternate universe's setting
    forms: tuple[tuple[str, ...], ...]  # keys of its slash alternatives ("Fake/Pretend X")


def _key(tokens: Iterable[str]) -> tuple[str, ...]:
    return tuple(stem(t) for t in tokens if t not in ARTICLES and t != "/")


def _joined(tokens: Iterable[str]) -> str:
    return "".join(_key(tokens))


def _tokens(text: str) -> tuple[str, ...]:
    """Folded words, "/" kept as a word, shorthand spelt out ("w/" is "with", a "2"
    between words is "to")."""
    found: list[str] = []
    for i, segment in enumerate(text.split("/")):
        found.extend(["/"] if i else [])
        found.extend(words(segment))
    spelt: list[str] = []
    for i, word in enumerate(found):
        after = found[i + 1] if i + 1 < len(found) else ""
        if word == "w" and after == "/":
            spelt.append("with")
        elif word in SHORTHAND and word != "w" and 0 < i < len(found) - 1:
            spelt.append(SHORTHAND[word])
        elif not (word == "/" and spelt[-1:] == ["with"]):
            spelt.append(word)
    return tuple(spelt)


def _parts(tokens: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The tags joined by "and", "&" or "/"."""
    parts: list[list[str]] = [[]]
    for token in tokens:
        if token in ("and", "/"):
            parts.append([])
        else:
            parts[-1].append(token)
    return tuple(_key(p) for p in parts if p)


def _topic(tokens: Sequence[str]) -> tuple[str, ...] | None:
    for phrase in AU_PHRASES:
        size = len(phrase)
        if tuple(tokens[:size]) == phrase and len(tokens) > size:
            return tuple(tokens[size:])
        if tuple(tokens[-size:]) == phrase and len(tokens) > size:
            return tuple(tokens[:-size])
    return None


@lru_cache(maxsize=100_000)
def freeform(name: str) -> Freeform:
    tokens = _tokens(name)
    forms = []
    # "Fake/Pretend Relationship": two words that each go with the words after them.
    if "/" in tokens:
        at = tokens.index("/")
        if 0 < at < len(tokens) - 2 and tokens.count("/") == 1:
            rest = tokens[at + 2 :]
            forms = [
                _key((*tokens[: at - 1], word, *rest)) for word in (tokens[at - 1], tokens[at + 1])
            ]
    plain = tuple(t for t in tokens if t != "/")
    return Freeform(plain, _key(tokens), _parts(tokens), _topic(tokens), tuple(forms))


def opposed(a: Sequence[str], b: Sequence[str]) -> bool:
    """One says "not", "no", "non" or "without" where the other does not, or negates one
    of the other's words ("unrequited", "misunderstanding")."""
    mine, theirs = set(a), set(b)
    if mine & NEGATIONS != theirs & NEGATIONS:
        return True
    for one, other in ((mine, theirs), (theirs, mine)):
        for word in one - other:
            for prefix in NEGATING_PREFIXES:
                if (
                    word.startswith(prefix)
                    and word[len(prefix) :] in {stem(w) for w in other} | other
                ):
                    return True
    return False


def _topics(target: Freeform) -> list[str]:
    """An alternate universe's setting and each of its alternatives ("College/University",
    "Coffee Shops & Cafés"), joined."""
    if target.topic is None:
        return []
    return [_joined(target.topic), *("".join(part) for part in _parts(target.topic))]


def _level(tag: Freeform, target: Freeform) -> tuple[float, str] | None:
    if opposed(tag.tokens, target.tokens):
        return None
    if tag.topic is not None or target.topic is not None:
        if tag.topic is None or target.topic is None or opposed(tag.topic, target.topic):
            return None
        mine = _joined(tag.topic)
        if mine in _topics(target):
            return 0.9, "the same alternate universe, written another way"
        if target.topic[: len(tag.topic)] == tag.topic and len(tag.topic) < len(target.topic):
            return 0.86, "the same alternate universe, its setting shortened"
        return None
    if _joined(tag.key) == _joined(target.key):
        return 0.92, "the same words, up to plurals, articles and shorthand"
    if tag.key in target.forms:
        return 0.9, "one of the names it joins with a slash"
    if len(tag.parts) > 1 and sorted(tag.parts) == sorted(target.parts):
        return 0.92, "the same tags joined by and, & or /, maybe in another order"
    directional = DIRECTIONAL & (set(tag.tokens) | set(target.tokens))
    if not directional and len(tag.key) > 1 and sorted(tag.key) == sorted(target.key):
        return 0.86, "the same words in another order"
    return None


def _initialism_tokens(tag: Freeform) -> tuple[str, ...] | None:
    """The tag as one initialism ("HEA", "H/C"), None if it is not one word."""
    tokens = tag.tokens
    if all(len(t) == 1 for t in tokens) and len(tokens) > 1:
        tokens = ("".join(tokens),)
    return tokens if len(tokens) == 1 and tokens[0] else None


def _initialism(tag: Freeform, target: Freeform) -> tuple[float, str] | None:
    tokens = _initialism_tokens(tag)
    if tokens is not None and abbreviates(tokens, target.tokens, SPELT_OR_NOT):
        return 0.88, "its initials"
    return None


@lru_cache(maxsize=16)
def vocabulary(names: tuple[str, ...]) -> frozenset[str]:
    """The words of these tags' names, and titles: words a misspelling is not."""
    return frozenset(w for name in names for w in words(name)) | frozenset(TITLE_KEY)


def close_spelling(name: str, pool: Sequence[Candidate], known: frozenset[str]) -> list[Suggestion]:
    """A misspelling: close to one tag and clearly closer than to any other, no negation
    between them, and no differing word that is itself a word of the archive's tags.
    `pool` holds the tags that keep one of its words (`near_keys`)."""
    mine = words(name)
    scored = []
    for c in pool:
        theirs = words(c.name)
        similarity = spelling_similarity(name, c.name)
        if similarity <= 0 or opposed(mine, theirs):
            continue
        differing = [a for a, b in zip(mine, theirs, strict=True) if a != b]
        if any(word in known for word in differing):
            continue
        scored.append((similarity, c))
    return clearly_closest(scored)


@dataclass(frozen=True)
class _Index:
    """A pool of additional tags by what each rule compares, so a pass looks candidates
    up instead of reading every one (the answers are the same)."""

    folded: dict[str, list[int]]
    level: dict[object, list[int]]
    initials: dict[str, list[int]]
    # Candidates for a misspelling: same number of words and one word alike (or, for one
    # word, the same first two letters).
    near: dict[tuple[int, str], list[int]]


def near_keys(name: str) -> set[tuple[int, str]]:
    """What a misspelling keeps of a name: its number of words, and one of its words
    whole (for one word, its first two letters)."""
    found = words(name)
    if len(found) == 1:
        return {(1, found[0][:2])}
    return {(len(found), word) for word in found}


def first_letters(tokens: Sequence[str]) -> set[str]:
    """The letters an initialism of these words can begin with."""
    found: set[str] = set()
    for token in tokens:
        found.add(token[0])
        if token not in SPELT_OR_NOT:
            break
    return found


@lru_cache(maxsize=8)
def _index(names: tuple[str, ...]) -> _Index:
    folded: dict[str, list[int]] = defaultdict(list)
    level: dict[object, list[int]] = defaultdict(list)
    initials: dict[str, list[int]] = defaultdict(list)
    near: dict[tuple[int, str], list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        target = freeform(name)
        folded["".join(target.tokens)].append(i)
        keys: set[object] = {("key", _joined(target.key)), ("sorted", tuple(sorted(target.key)))}
        keys.add(("parts", tuple(sorted(target.parts))))
        keys.update(("form", form) for form in target.forms)
        if target.topic is not None:
            keys.update(("topic", topic) for topic in _topics(target))
            keys.update(("run", target.topic[:size]) for size in range(1, len(target.topic)))
        for key in keys:
            level[key].append(i)
        if len(target.tokens) > 1:
            for letter in first_letters(target.tokens):
                initials[letter].append(i)
        for key in near_keys(name):
            near[key].append(i)
    return _Index(dict(folded), dict(level), dict(initials), dict(near))


def _level_keys(tag: Freeform) -> list[object]:
    if tag.topic is not None:
        return [("topic", _joined(tag.topic)), ("run", tag.topic)]
    return [
        ("key", _joined(tag.key)),
        ("form", tag.key),
        ("parts", tuple(sorted(tag.parts))),
        ("sorted", tuple(sorted(tag.key))),
    ]


def pick(
    pool: Sequence[Candidate],
    positions: Iterable[int],
    read: Callable[[Candidate], tuple[float, str] | None],
) -> list[Suggestion] | None:
    """The one candidate read best ([] if several tie), None if none is read at all."""
    best: dict[int, tuple[float, str]] = {}
    for i in sorted(set(positions)):
        found = read(pool[i])
        if found:
            best[i] = found
    if not best:
        return None
    top = max(score for score, _ in best.values())
    winners = [i for i, (score, _) in best.items() if score == top]
    if len(winners) != 1:
        return []
    return [Suggestion(pool[winners[0]], best[winners[0]][1], top)]


def suggest_freeform(
    name: str, pool: Sequence[Candidate], aliases: Mapping[int, Sequence[str]]
) -> list[Suggestion]:
    tag = freeform(name)
    folded = "".join(tag.tokens)
    index = _index(tuple(c.name for c in pool))
    if folded in index.folded:
        return [
            Suggestion(
                pool[index.folded[folded][0]],
                "equal after folding case, punctuation and shorthand",
                1.0,
            )
        ]
    in_pool = {c.id: c for c in pool} if aliases else {}
    known_as = [
        in_pool[i]
        for i, names in aliases.items()
        if i in in_pool and any("".join(freeform(a).tokens) == folded for a in names)
    ]
    if len(known_as) == 1:
        return [Suggestion(known_as[0], "a name it is already known by", 0.95)]
    positions = [i for key in _level_keys(tag) for i in index.level.get(key, ())]
    found = pick(pool, positions, lambda c: _level(tag, freeform(c.name)))
    if found is not None:
        return found
    tokens = _initialism_tokens(tag)
    if tokens is not None:
        letters = {tokens[0][0]} | (
            {tokens[0][1]} if tokens[0][:1] == "t" and len(tokens[0]) > 1 else set()
        )
        positions = [i for letter in letters for i in index.initials.get(letter, ())]
        found = pick(pool, positions, lambda c: _initialism(tag, freeform(c.name)))
        if found is not None:
            return found
    if tag.topic is not None:
        return []
    near = sorted({i for key in near_keys(name) for i in index.near.get(key, ())})
    return close_spelling(name, [pool[i] for i in near], vocabulary(tuple(c.name for c in pool)))
