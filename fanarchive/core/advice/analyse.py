"""Rating and warning advice: what a work's text reads as, and why.

Pure functions over text (no models): the works app hands in the chapters and maps
the advice onto the posting form. Cautious by design, since a writer must not be
nagged: a signal is raised only by several distinct terms close together (a cluster),
an everyday word counts only beside a plain term of its list, a negated term ("there
was no blood") or a term in a medical, educational or historical sentence does not
count, and in a long chapter a bare minimum of terms must also be dense enough.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.utils.translation import gettext, gettext_lazy

from fanarchive.core.advice.vocabulary import (
    CLINICAL,
    DATA_ROOT,
    MINOR,
    NEGATION,
    SENTENCE_END,
    Term,
    Vocabulary,
    tokens_of,
    vocabulary_for,
)
from fanarchive.core.text import html_to_text


class Rating(StrEnum):
    """The archive's ratings, by the names of `tags.fixed` (a test keeps them equal)."""

    GENERAL = "General Audiences"
    TEEN = "Teen And Up Audiences"
    MATURE = "Mature"
    EXPLICIT = "Explicit"

    @property
    def level(self) -> int:
        return list(Rating).index(self)


class ArchiveWarning(StrEnum):
    """The archive warnings the text can suggest, by the names of `tags.fixed`."""

    VIOLENCE = "Graphic Depictions Of Violence"
    CHARACTER_DEATH = "Major Character Death"
    NON_CON = "Rape/Non-Con"
    UNDERAGE = "Underage Sex"


@dataclass(frozen=True)
class Rule:
    """When a signal is raised, and what it means."""

    description: Any  # a lazy translated text (str for the context lists' empty one)
    rating: Rating = Rating.GENERAL
    warning: ArchiveWarning | None = None
    min_hits: int = 2
    min_distinct: int = 2
    # Swearing is swearing even in "I don't give a shit".
    negatable: bool = True


RULES: dict[str, Rule] = {
    "explicit": Rule(gettext_lazy("explicit sexual content"), Rating.EXPLICIT),
    "sexual": Rule(gettext_lazy("sexual content"), Rating.MATURE),
    "profanity": Rule(
        gettext_lazy("strong language"), Rating.TEEN, min_distinct=1, negatable=False
    ),
    "violence": Rule(gettext_lazy("graphic violence"), Rating.MATURE, ArchiveWarning.VIOLENCE),
    "mild_violence": Rule(gettext_lazy("violence"), Rating.TEEN),
    "major_character_death": Rule(
        gettext_lazy("a character's death"), Rating.TEEN, ArchiveWarning.CHARACTER_DEATH
    ),
    "non_con": Rule(gettext_lazy("non-consensual sex"), Rating.MATURE, ArchiveWarning.NON_CON),
    "underage": Rule(
        gettext_lazy("sexual content involving a minor"), Rating.MATURE, ArchiveWarning.UNDERAGE
    ),
}
DEFAULT_RULE = Rule("")  # the context lists (ages of minors)
# Signals whose terms, beside an age under eighteen, raise the underage warning.
SEXUAL_SIGNALS = frozenset({"explicit", "sexual", "non_con"})

NEGATION_REACH = 3  # words before a term that may negate it
COMPANY_REACH = 30  # words within which an everyday word needs a plain term
CLUSTER_GAP = 100  # words between hits of one cluster
MINOR_REACH = 40  # words between an age and a sexual term for the underage warning
# Hits per 1,000 words under which a cluster needs one hit more than its rule's least.
MIN_DENSITY = 1.0


@dataclass(frozen=True)
class Hit:
    term: Term
    position: int  # in the chapter's tokens
    sentence: int


@dataclass(frozen=True)
class Finding:
    """A signal raised in one chapter, with the evidence that raised it."""

    signal: str
    chapter: int  # 1-based
    hits: int
    distinct: int
    density: float  # counted hits per 1,000 words of the chapter
    confidence: float

    @property
    def rule(self) -> Rule:
        return RULES[self.signal]

    @property
    def reason(self) -> str:
        return gettext("%(what)s in chapter %(chapter)s") % {
            "what": self.rule.description,
            "chapter": self.chapter,
        }


@dataclass(frozen=True)
class Advice:
    """What the text reads as: a rating, the warnings it suggests, and why."""

    rating: Rating
    warnings: tuple[ArchiveWarning, ...]
    findings: tuple[Finding, ...]
    words: int

    def reasons_for_rating(self) -> list[str]:
        """Why the text reads as its rating (the findings at that rating, surest first)."""
        return _reasons(f for f in self.findings if f.rule.rating is self.rating)

    def reasons_for_warning(self, warning: ArchiveWarning) -> list[str]:
        return _reasons(f for f in self.findings if f.rule.warning is warning)

    def more_mature_than(self, rating: str) -> bool:
        """Whether the text reads as more mature than `rating` (never than Not Rated,
        which promises nothing, nor than an unknown name)."""
        chosen = Rating._value2member_map_.get(rating)
        return isinstance(chosen, Rating) and self.rating.level > chosen.level

    @property
    def confidence(self) -> float:
        """How sure the advised rating is (1.0 for General: nothing was found)."""
        at_rating = [f.confidence for f in self.findings if f.rule.rating is self.rating]
        return max(at_rating, default=1.0)


def _reasons(findings: Iterable[Finding]) -> list[str]:
    ordered = sorted(findings, key=lambda f: (-f.confidence, f.chapter))
    seen: list[str] = []
    for finding in ordered:
        if finding.reason not in seen:
            seen.append(finding.reason)
    return seen


def plain_text(chapter: str) -> str:
    """A chapter's words: HTML's tags go, block elements end lines (core.text's rule);
    plain text and Markdown pass through unchanged but for what looks like a tag."""
    return html_to_text(chapter) if "<" in chapter else chapter


def analyse(chapters: Sequence[str], *, language: str = "en", root: Path = DATA_ROOT) -> Advice:
    """The advice for a work whose chapters (HTML or plain text) are `chapters`, in order."""
    vocabulary = vocabulary_for(language, root)
    findings: list[Finding] = []
    words = 0
    for number, chapter in enumerate(chapters, 1):
        chapter_findings, chapter_words = _chapter_findings(vocabulary, chapter, number)
        findings.extend(chapter_findings)
        words += chapter_words
    rating = max((f.rule.rating for f in findings), key=lambda r: r.level, default=Rating.GENERAL)
    warnings = tuple(w for w in ArchiveWarning if any(f.rule.warning is w for f in findings))
    return Advice(rating, warnings, tuple(findings), words)


def _scan(vocabulary: Vocabulary, tokens: list[str]) -> tuple[list[Hit], int]:
    """Every term of every list in the tokens (with their sentence), and the word count."""
    hits: list[Hit] = []
    words_of, phrases_of = vocabulary.words, vocabulary.phrases
    sentence = 0
    words = 0
    for position, token in enumerate(tokens):
        if token in SENTENCE_END:
            sentence += 1
            continue
        words += 1
        for term in words_of.get(token, ()):
            hits.append(Hit(term, position, sentence))
        for rest, term in phrases_of.get(token, ()):
            end = position + 1 + len(rest)
            if tuple(tokens[position + 1 : end]) == rest:
                hits.append(Hit(term, position, sentence))
    return hits, words


def _negated(hit: Hit, tokens: list[str], negations: set[int]) -> bool:
    start = max(0, hit.position - NEGATION_REACH)
    for position in range(hit.position - 1, start - 1, -1):
        token = tokens[position]
        if token in SENTENCE_END:
            return False
        if position in negations or token.endswith("n't"):
            return True
    return False


def _within_phrases(hits: list[Hit]) -> set[int]:
    """Indexes of single-word hits inside a phrase hit of the same list ("death" in
    "time of death"): one term, not two."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for hit in hits:
        length = hit.term.text.count(" ") + 1
        if length > 1:
            spans.setdefault(hit.term.signal, []).append((hit.position, hit.position + length))
    return {
        index
        for index, hit in enumerate(hits)
        if " " not in hit.term.text
        and any(a <= hit.position < b for a, b in spans.get(hit.term.signal, ()))
    }


def _has_company(hit: Hit, others: list[Hit]) -> bool:
    """An everyday word counts beside a plain term of its list, or beside two other
    everyday words of its list (a fight, a knife and bleeding)."""
    near = [
        o
        for o in others
        if o is not hit
        and o.term.signal == hit.term.signal
        and abs(o.position - hit.position) <= COMPANY_REACH
    ]
    if any(not o.term.everyday for o in near):
        return True
    return len({o.term.text for o in near} - {hit.term.text}) >= 2


def _counted(hits: list[Hit], tokens: list[str]) -> list[Hit]:
    """The content hits that count: not negated, not in a clinical sentence, not a word
    of a phrase already found, and everyday words only in company."""
    negations: set[int] = set()
    for hit in hits:
        if hit.term.signal == NEGATION:
            # A phrase ("instead of") negates from its last word.
            negations.add(hit.position + hit.term.text.count(" "))
    clinical = {h.sentence for h in hits if h.term.signal == CLINICAL}
    inside = _within_phrases(hits)
    candidates = [
        h
        for index, h in enumerate(hits)
        if h.term.signal not in (NEGATION, CLINICAL)
        and index not in inside
        and h.sentence not in clinical
        and not (
            RULES.get(h.term.signal, DEFAULT_RULE).negatable and _negated(h, tokens, negations)
        )
    ]
    return [h for h in candidates if not h.term.everyday or _has_company(h, candidates)]


def _best_cluster(hits: list[Hit]) -> list[Hit]:
    """The run of hits, each within CLUSTER_GAP words of the last, with the most
    distinct terms (then the most hits)."""
    best: list[Hit] = []
    run: list[Hit] = []
    for hit in hits:
        if run and hit.position - run[-1].position > CLUSTER_GAP:
            run = []
        run.append(hit)
        if (len({h.term.text for h in run}), len(run)) > (
            len({h.term.text for h in best}),
            len(best),
        ):
            best = list(run)
    return best


def _finding(signal: str, hits: list[Hit], words: int, chapter: int) -> Finding | None:
    rule = RULES[signal]
    cluster = _best_cluster(hits)
    distinct = len({h.term.text for h in cluster})
    density = 1000 * len(hits) / max(words, 1)
    decisive = any(h.term.decisive for h in hits)
    needed = rule.min_hits + (0 if density >= MIN_DENSITY else 1)
    if not decisive and (len(cluster) < needed or distinct < rule.min_distinct):
        return None
    score = distinct + 0.5 * (len(cluster) - distinct) + min(density, 10) / 5 + 2 * decisive
    confidence = round(min(0.99, 1 - 0.6**score), 2)
    return Finding(signal, chapter, len(cluster), distinct, round(density, 2), confidence)


def _minor_finding(
    minors: list[Hit], by_signal: dict[str, list[Hit]], words: int, chapter: int
) -> Finding | None:
    """An age under eighteen beside a sexual or non-consent term (which must count)."""
    sexual = sorted(
        (h for s in SEXUAL_SIGNALS for h in by_signal.get(s, ()) if not h.term.everyday),
        key=lambda h: h.position,
    )
    close = [(m, s) for m in minors for s in sexual if abs(m.position - s.position) <= MINOR_REACH]
    if not close:
        return None
    hits = len({m.position for m, _ in close} | {s.position for _, s in close})
    density = 1000 * hits / max(words, 1)
    confidence = round(min(0.99, 1 - 0.6 ** (2 + math.log2(hits))), 2)
    return Finding("underage", chapter, hits, 2, round(density, 2), confidence)


def _chapter_findings(
    vocabulary: Vocabulary, chapter: str, number: int
) -> tuple[list[Finding], int]:
    tokens = tokens_of(plain_text(chapter))
    hits, words = _scan(vocabulary, tokens)
    counted = _counted(hits, tokens)
    by_signal: dict[str, list[Hit]] = {}
    for hit in counted:
        by_signal.setdefault(hit.term.signal, []).append(hit)
    minors = by_signal.pop(MINOR, [])
    findings = [
        found
        for signal, signal_hits in by_signal.items()
        if (found := _finding(signal, signal_hits, words, number)) is not None
    ]
    if minors and not any(f.signal == "underage" for f in findings):
        found = _minor_finding(minors, by_signal, words, number)
        if found is not None:
            findings.append(found)
    return findings, words
