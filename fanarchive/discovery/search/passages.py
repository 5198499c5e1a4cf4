"""Passages of text around a search's words, with the words marked: safe HTML.

Shared by the backends, and used for the works whose own words a reader has not agreed
to see yet (adult content): their passages come from what a blurb shows anyway (title,
creators, tags, summary), never from notes or chapters.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.html import escape

from fanarchive.discovery.search.parser import Query
from fanarchive.works.catalogue_models import SearchDocument

START, STOP = "\x02", "\x03"


def mark(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


def words_pattern(query: Query) -> re.Pattern[str] | None:
    """The query's words (not the negated ones), longest first, as whole words."""
    words = query.words()
    if not words:
        return None
    alternatives = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"\b({alternatives})\b", re.IGNORECASE)


def passage(
    text: str, at: int, pattern: re.Pattern[str], before: int = 80, after: int = 160
) -> str:
    start = max(0, at - before)
    end = min(len(text), at + after)
    if start:
        start = text.find(" ", start) + 1 or start
    if end < len(text):
        end = text.rfind(" ", at, end) if text.rfind(" ", at, end) > at else end
    window = text[start:end]
    marked = pattern.sub(lambda m: f"{START}{m.group(0)}{STOP}", window)
    return ("…" if start else "") + mark(marked) + ("…" if end < len(text) else "")


def first_passage(texts: list[str], pattern: re.Pattern[str]) -> str | None:
    """A passage around the first match in the first of `texts` that has one."""
    for text in texts:
        match = pattern.search(text or "")
        if match:
            return passage(text, match.start(), pattern)
    return None


def passages_of(rows: Iterable[Sequence[Any]], pattern: re.Pattern[str]) -> dict[int, str]:
    """For rows of (work id, text, text, ...), a passage from the first text that matches."""
    found = {}
    for work_id, *texts in rows:
        text = first_passage(texts, pattern)
        if text is not None:
            found[work_id] = text
    return found


def blurb_passages(query: Query, work_ids: list[int]) -> dict[int, str]:
    """For these works, a passage from what their blurbs show, where the query's words are
    there; works matched only in their notes or chapters are left out."""
    pattern = words_pattern(query)
    if pattern is None or not work_ids:
        return {}
    rows = SearchDocument.objects.filter(work_id__in=work_ids).values_list(
        "work_id", "summary", "title", "creators", "tags"
    )
    return passages_of(rows, pattern)
