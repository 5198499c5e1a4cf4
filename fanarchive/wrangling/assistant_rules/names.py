"""Reading tag names: folding, spelling distance, people's names and relationships.

Pure functions over strings, cached, since the same canonical names are read for every
tag in a queue.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from fanarchive.wrangling.assistant_rules.words import (
    ARTICLES,
    HONORIFICS,
    TITLE_KEY,
    TITLE_PHRASES,
)

# Spellings less alike than this are not compared at all.
CLOSE_FLOOR = 0.7

_QUALIFIER = re.compile(r"\s*\(([^()]*)\)\s*$")
_QUOTED = re.compile(r"\s*[\"“”]([^\"“”]+)[\"“”]\s*|\s+'([^']+)'\s+")
_ROMANTIC = re.compile(r"\s*/\s*|\s+[x×]\s+", re.IGNORECASE)
_PLATONIC = re.compile(r"\s*&\s*")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@lru_cache(maxsize=200_000)
def words(name: str) -> tuple[str, ...]:
    """Folded words: case folded, diacritics and punctuation gone ("O'Neil" is "oneil"),
    "&" read as "and"."""
    text = strip_diacritics(name.casefold()).replace("'", "").replace("’", "")
    return tuple(re.findall(r"[^\W_]+", text.replace("&", " and ")))


def fold(name: str) -> str:
    """Equal for names that differ only in case, diacritics, punctuation and spacing."""
    return "".join(words(name))


def stem(word: str) -> str:
    """A word without its English plural ending, so "Endings" meets "Ending"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith("ves"):
        return word[:-3] + "f"
    if len(word) > 3 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def split_qualifiers(name: str) -> tuple[str, tuple[str, ...]]:
    """A name without its trailing parenthesised qualifiers, and those qualifiers."""
    qualifiers: list[str] = []
    while match := _QUALIFIER.search(name):
        qualifiers.insert(0, match.group(1))
        name = name[: match.start()]
    return name.strip(), tuple(qualifiers)


# -- spelling -------------------------------------------------------------------


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


def word_similarity(a: str, b: str) -> float:
    return 1.0 - damerau_levenshtein(a, b) / max(len(a), len(b), 1)


# -- people ---------------------------------------------------------------------


@dataclass(frozen=True)
class PersonName:
    """One way to write a person's name: its words without titles, and the titles."""

    tokens: tuple[str, ...]
    titles: tuple[str, ...]
    qualifier: str  # folded, "" when none
    alias: bool  # a nickname, another name, or a synonym's name rather than the name itself


def _titles_and_name(raw: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    tokens = list(words(raw))
    titles: list[str] = []
    if len(tokens) > 1 and raw.rstrip().rsplit("-", 1)[-1].casefold() in HONORIFICS:
        titles.append(tokens.pop())
    while len(tokens) > 1:
        if tuple(tokens[:2]) in TITLE_PHRASES:
            titles.append(TITLE_PHRASES[(tokens[0], tokens[1])])
            del tokens[:2]
        elif tokens[0] in TITLE_KEY:
            titles.append(TITLE_KEY[tokens.pop(0)])
        elif tokens[0] in ARTICLES:
            tokens.pop(0)
        else:
            break
    return tuple(titles), tuple(tokens)


@lru_cache(maxsize=100_000)
def person_names(name: str, *, alias: bool = False) -> tuple[PersonName, ...]:
    """The ways a character tag names its person: each alternative around " | ", and for
    a quoted nickname ('James "Bucky" Barnes') the name without it, the nickname with the
    surname, and the nickname alone."""
    base, qualifiers = split_qualifiers(name)
    qualifier = " ".join(" ".join(words(q)) for q in qualifiers)
    found: list[PersonName] = []
    for alternative in (part for part in base.split(" | ") if part.strip()):
        nickname = ""
        if match := _QUOTED.search(alternative):
            nickname = match.group(1) or match.group(2)
            alternative = alternative[: match.start()] + " " + alternative[match.end() :]
        titles, tokens = _titles_and_name(alternative)
        if tokens:
            found.append(PersonName(tokens, titles, qualifier, alias))
        if nickname:
            nick = words(nickname)
            found.append(PersonName(nick, (), qualifier, True))
            if len(tokens) > 1:
                found.append(PersonName((*nick, tokens[-1]), titles, qualifier, True))
    return tuple(dict.fromkeys(found))


# -- relationships --------------------------------------------------------------


@dataclass(frozen=True)
class RelationshipName:
    platonic: bool
    parts: tuple[str, ...]  # as written, qualifiers kept on their part


@lru_cache(maxsize=100_000)
def relationship_name(name: str) -> RelationshipName | None:
    """ "A/B", "B/A", "A x B" are romantic, "A & B" and "A and B" platonic; a mix is not
    read."""
    romantic = [part.strip() for part in _ROMANTIC.split(name) if part.strip()]
    platonic = [part.strip() for part in _PLATONIC.split(name) if part.strip()]
    if len(romantic) > 1 and len(platonic) == 1:
        return RelationshipName(False, tuple(romantic))
    if len(platonic) > 1 and len(romantic) == 1:
        return RelationshipName(True, tuple(platonic))
    if len(romantic) == 1 and len(platonic) == 1:
        joined = [part.strip() for part in _AND.split(name) if part.strip()]
        if len(joined) > 1:
            return RelationshipName(True, tuple(joined))
    return None


def without_titles(tokens: Sequence[str]) -> list[str]:
    kept = [token for token in tokens if token not in TITLE_KEY]
    return kept or list(tokens)


# -- initialisms ----------------------------------------------------------------

_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}


def roman(number: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while number >= value:
            out += letters
            number -= value
    return out


def roman_value(text: str) -> int | None:
    """The value of a roman numeral up to 39 ("vii" is 7), None for anything else."""
    text = text.casefold()
    if not text or any(char not in "ivx" for char in text):
        return None
    total = 0
    for here, after in zip(text, [*text[1:], ""], strict=True):
        value = _ROMAN[here]
        total += -value if after and _ROMAN[after] > value else value
    return total if 0 < total < 40 and roman(total) == text else None


def _initial_ends(
    token: str, phrase: Sequence[str], start: int, optional: frozenset[str]
) -> set[int]:
    """Where a run of `phrase` from `start` ends when `token` is its initials (numbers as
    digits or roman numerals, words in `optional` kept or skipped)."""
    ends: set[int] = set()
    states = {(0, start)}
    seen: set[tuple[int, int]] = set()
    while states:
        letter, word = states.pop()
        if (letter, word) in seen:
            continue
        seen.add((letter, word))
        if letter == len(token) and word - start >= 2:
            ends.add(word)
        if word == len(phrase):
            continue
        here = phrase[word]
        if here.startswith("#"):
            for written in (here[1:], roman(int(here[1:]))):
                if token.startswith(written, letter):
                    states.add((letter + len(written), word + 1))
            continue
        if letter < len(token) and token[letter] == here[0]:
            states.add((letter + 1, word + 1))
        if here in optional:
            states.add((letter, word + 1))
    return ends


def abbreviates(tokens: Sequence[str], phrase: Sequence[str], optional: frozenset[str]) -> bool:
    """`tokens` say `phrase` with at least one run of its words written as initials
    ("FF7 Remake" for "final fantasy #7 remake", "MHA" for "my hero academia"); words
    in `optional` may be spelt or not, and so may a leading "The" ("TLOK", "TTC")."""
    words_ = tuple(phrase) if phrase[:1] == ("the",) else ("the", *phrase)
    optional = optional | {"the"}

    @cache
    def fits(i: int, j: int, shortened: bool) -> bool:
        if j == 0 and fits(i, 1, shortened):
            return True
        if i == len(tokens):
            return j == len(words_) and shortened
        if j < len(words_) and tokens[i] == words_[j] and fits(i + 1, j + 1, shortened):
            return True
        if not tokens[i].isalnum() or len(tokens[i]) > 10:
            return False
        return any(fits(i + 1, end, True) for end in _initial_ends(tokens[i], words_, j, optional))

    return bool(tokens) and fits(0, 0, False)
