"""Fandom names: the same work or series written another way.

A fandom's canonical name is read as a title, maybe a subtitle after ":", a tail after
" - " (an author, "All Media Types"), and parentheses holding years, media ("TV", "Video
Game") or other words; " | " separates names in other languages. A tag may drop the
parts that only tell fandoms apart (a year, a medium, the author, a leading "The", a
subtitle or the title before it) when that leaves one canonical fandom, but may not add
any: "Good Omens" is two fandoms, "Ironbloom 3" none. Numbers are numbers whether
written "7" or "VII"; an initialism ("MHA", "FF7") spells the words of one title.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from fanarchive.wrangling.assistant_rules.freeforms import (
    close_spelling,
    first_letters,
    near_keys,
    pick,
    vocabulary,
)
from fanarchive.wrangling.assistant_rules.model import Candidate, Suggestion
from fanarchive.wrangling.assistant_rules.names import (
    abbreviates,
    fold,
    roman_value,
    strip_diacritics,
    words,
)
from fanarchive.wrangling.assistant_rules.words import (
    ARTICLES,
    DESCRIPTORS,
    MEDIA,
    NUMBERING,
    SPELT_OR_NOT,
)

_PARENTHESES = re.compile(r"\s*\(([^()]*)\)")
_YEAR = re.compile(r"^(18|19|20)\d\d$")


@dataclass(frozen=True)
class Title:
    main: tuple[str, ...]  # words, numbers as "#7", numbering words ("Episode") left out
    sub: tuple[str, ...]
    years: frozenset[str]
    media: frozenset[str]
    others: frozenset[str]
    tail: tuple[str, ...]


def _bare(tokens: Sequence[str]) -> tuple[str, ...]:
    """Without a leading article."""
    return tuple(tokens[1:]) if len(tokens) > 1 and tokens[0] in ARTICLES else tuple(tokens)


def _title_words(text: str) -> tuple[str, ...]:
    raw = re.findall(r"[^\W_]+", strip_diacritics(text.replace("'", "").replace("&", " and ")))
    found = []
    for token in raw:
        word = token.casefold()
        if word in NUMBERING:
            continue
        value = roman_value(word)
        if word.isdigit() and not _YEAR.match(word):
            found.append(f"#{int(word)}")
        elif value is not None and (token.isupper() or (len(word) > 1 and len(raw) > 1)):
            found.append(f"#{value}")
        else:
            found.append(word)
    return tuple(found)


def _qualifiers(texts: Iterable[str]) -> tuple[set[str], set[str], set[str]]:
    years: set[str] = set()
    media: set[str] = set()
    others: set[str] = set()
    for text in texts:
        tokens = list(words(text))
        while tokens:
            if _YEAR.match(tokens[0]):
                years.add(tokens.pop(0))
            elif len(tokens) > 1 and tuple(tokens[:2]) in MEDIA:
                media.add(MEDIA[(tokens[0], tokens[1])])
                del tokens[:2]
            elif tuple(tokens[:1]) in MEDIA:
                media.add(MEDIA[(tokens.pop(0),)])
            else:
                others.add(tokens.pop(0))
    return years, media, others


@lru_cache(maxsize=100_000)
def titles_of(name: str) -> tuple[Title, ...]:
    """Each name of a fandom (around " | ") as a title."""
    qualifiers = _PARENTHESES.findall(name)
    text = _PARENTHESES.sub(" ", name).strip()
    head, tail = text.rsplit(" - ", 1) if " - " in text else (text, "")
    years, media, others = _qualifiers(qualifiers)
    found = []
    for alternative in (part for part in head.split(" | ") if part.strip()):
        main_text, sub_text = alternative.split(":", 1) if ":" in alternative else (alternative, "")
        main, sub = list(_title_words(main_text)), _title_words(sub_text)
        extra_years, extra_media = set(years), set(media)
        # A year or medium written at the end without parentheses ("Hannibal TV").
        while len(main) > 1 and not sub:
            if _YEAR.match(main[-1]):
                extra_years.add(main.pop())
            elif tuple(main[-2:]) in MEDIA and len(main) > 2:
                extra_media.add(MEDIA[(main[-2], main[-1])])
                del main[-2:]
            elif (main[-1],) in MEDIA:
                extra_media.add(MEDIA[(main.pop(),)])
            else:
                break
        found.append(
            Title(
                tuple(main),
                sub,
                frozenset(extra_years),
                frozenset(extra_media),
                frozenset(others),
                words(tail),
            )
        )
    return tuple(found)


def _fits(tag: Title, target: Title, *, same_title: bool) -> bool:
    """The tag's years, media, other qualifiers and tail are the target's (a tag may drop
    them, not add them). A year may be added to the same title where the fandom is told
    apart by its medium alone ("Good Omens (TV 2019)" for "Good Omens (TV)"), and any
    medium fits "All Media Types"."""
    year_added = same_title and not target.years and bool(target.media)
    if not tag.years <= target.years and not year_added:
        return False
    all_media = target.tail == ("all", "media", "types")
    if not (tag.media <= target.media or all_media) or not tag.others <= target.others:
        return False
    if tag.tail and fold(" ".join(tag.tail)) != fold(" ".join(target.tail)):
        return set(tag.tail) - {"and"} <= set(target.tail)
    return True


def _numbers(tokens: Sequence[str]) -> tuple[str, ...]:
    return tuple(t for t in tokens if not t.startswith("#"))


def _level(tag: Title, target: Title) -> tuple[float, str] | None:
    """How the tag's title reads as the target's, best first; None if it does not."""
    mine = _bare(tag.main) + _bare(tag.sub)
    full = _bare(target.main) + _bare(target.sub)
    plain = tuple(t for t in full if t not in DESCRIPTORS)
    sub = _bare(target.sub)
    if mine in (full, plain):
        if _fits(tag, target, same_title=True):
            return 0.93, "the same title without the year, medium or author telling fandoms apart"
        return None
    if not _fits(tag, target, same_title=False):
        return None
    has_numbers = mine != _numbers(mine)
    if sub and not has_numbers and _bare(tag.sub) and mine == _numbers(full):
        return 0.9, "the same title without its number"
    if sub and not tag.sub and (mine == sub or (not has_numbers and mine == _numbers(sub))):
        # As sure as a whole title: "The Last Airbender" is a subtitle and a film.
        return 0.93, "its subtitle"
    if sub and not tag.sub and mine == _bare(target.main) and len(mine) >= 1:
        return 0.86, "its title without the subtitle"
    main = tuple(t for t in _bare(target.main) if t not in DESCRIPTORS)
    if not sub and not tag.sub and 2 <= len(mine) < len(main) and not has_numbers:
        rest = main[len(mine) :] if main[: len(mine)] == mine else main[: -len(mine)]
        if (main[: len(mine)] == mine or main[-len(mine) :] == mine) and _numbers(rest):
            return 0.86, "part of its title"
    return None


def _initialism(tag: Title, target: Title) -> tuple[float, str] | None:
    """The tag spells the target's title (or its subtitle) by initials."""
    tokens = _bare(tag.main) + _bare(tag.sub)
    if not tokens or not _fits(tag, target, same_title=False):
        return None
    phrases = [target.main + target.sub, target.sub]
    if any(abbreviates(tokens, p, SPELT_OR_NOT) for p in phrases if p):
        return 0.88, "its initials"
    if target.sub and abbreviates(tokens, target.main, SPELT_OR_NOT):
        return 0.86, "the initials of its title without the subtitle"
    return None


@dataclass(frozen=True)
class _Index:
    """A pool of fandoms by what each rule compares (the answers are those of reading
    every candidate, found faster)."""

    folded: dict[str, list[int]]
    level: dict[tuple[str, tuple[str, ...]], list[int]]
    initials: dict[str, list[int]]
    near: dict[tuple[int, str], list[int]]  # for misspellings: see `freeforms.near_keys`


@lru_cache(maxsize=8)
def _index(names: tuple[str, ...]) -> _Index:
    level: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    initials: dict[str, list[int]] = defaultdict(list)
    near: dict[tuple[int, str], list[int]] = defaultdict(list)
    folded: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(names):
        folded[fold(name)].append(i)
        for title in titles_of(name):
            full = _bare(title.main) + _bare(title.sub)
            sub = _bare(title.sub)
            main = tuple(t for t in _bare(title.main) if t not in DESCRIPTORS)
            keys = {("all", full), ("all", tuple(t for t in full if t not in DESCRIPTORS))}
            keys.update({("nonum", _numbers(full)), ("sub", sub), ("sub", _numbers(sub))})
            keys.add(("main", _bare(title.main)))
            for size in range(2, len(main)):
                keys.update({("run", main[:size]), ("run", main[-size:])})
            for key in keys:
                level[key].append(i)
            for phrase in (title.main + title.sub, title.sub, title.main):
                for letter in first_letters(phrase) if len(phrase) > 1 else ():
                    initials[letter].append(i)
            for near_key in near_keys(" ".join(title.main + title.sub)):
                near[near_key].append(i)
    return _Index(dict(folded), dict(level), dict(initials), dict(near))


def suggest_fandom(
    name: str, pool: Sequence[Candidate], aliases: Mapping[int, Sequence[str]]
) -> list[Suggestion]:
    folded = fold(name)
    index = _index(tuple(c.name for c in pool))
    if folded in index.folded:
        exact = pool[index.folded[folded][0]]
        return [
            Suggestion(exact, "equal after folding case, diacritics, punctuation and spacing", 1.0)
        ]
    in_pool = {c.id: c for c in pool} if aliases else {}
    known = [
        in_pool[i]
        for i, names in aliases.items()
        if i in in_pool and any(fold(alias) == folded for alias in names)
    ]
    if len(known) == 1:
        return [Suggestion(known[0], "a name it is already known by", 0.95)]
    tag_titles = titles_of(name)
    positions: list[int] = []
    for mine in tag_titles:
        words_ = _bare(mine.main) + _bare(mine.sub)
        for kind in ("all", "nonum", "sub", "main", "run"):
            positions.extend(index.level.get((kind, words_), ()))
    found = pick(pool, positions, lambda c: _read(tag_titles, c, _level))
    if found is not None:
        return found
    letters: set[str] = set()
    for mine in tag_titles:
        first = (_bare(mine.main) + _bare(mine.sub))[:1]
        if first and first[0]:
            letters.add(first[0][0])
            if first[0][0] == "t" and len(first[0]) > 1:
                letters.add(first[0][1])
    positions = [i for letter in letters for i in index.initials.get(letter, ())]
    found = pick(pool, positions, lambda c: _read(tag_titles, c, _initialism))
    if found is not None:
        return found
    keys = {key for mine in tag_titles for key in near_keys(" ".join(mine.main + mine.sub))}
    near = sorted({i for key in keys for i in index.near.get(key, ())})
    return _close_title(tag_titles, [pool[i] for i in near], pool)


def _read(
    tag_titles: Sequence[Title],
    c: Candidate,
    read: Callable[[Title, Title], tuple[float, str] | None],
) -> tuple[float, str] | None:
    """The best reading of any of the tag's titles as any of the candidate's."""
    found = [r for mine in tag_titles for theirs in titles_of(c.name) if (r := read(mine, theirs))]
    return max(found, key=lambda r: r[0]) if found else None


def _close_title(
    tag_titles: Sequence[Title], near: Sequence[Candidate], pool: Sequence[Candidate]
) -> list[Suggestion]:
    """A misspelt title: its words close to one fandom's (the parentheses and tail left
    to `_fits`), under the rules of `close_spelling`."""
    if len(tag_titles) != 1:
        return []
    tag = tag_titles[0]
    mine = " ".join(tag.main + tag.sub)
    shown: list[Candidate] = []
    for c in near:
        for theirs in titles_of(c.name):
            if _fits(tag, theirs, same_title=False):
                shown.append(Candidate(c.id, " ".join(theirs.main + theirs.sub), c.type))
    found = close_spelling(mine, shown, vocabulary(tuple(c.name for c in pool)))
    by_id = {c.id: c for c in near}
    return [Suggestion(by_id[s.target.id], s.reason, s.score) for s in found]
