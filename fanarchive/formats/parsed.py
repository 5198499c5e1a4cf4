"""The intermediate work every importer produces.

It wraps the posting service's own `WorkInput` and `ChapterInput`, so an imported
work is checked by exactly the rules a posted one is, plus what the posting form
does not take: the creator names and series the source gave.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from fanarchive.tags.fixed import (
    CATEGORIES,
    CHARACTER_DEATH,
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NON_CON,
    NOT_RATED,
    RATINGS,
    TEEN,
    UNDERAGE,
    VIOLENCE,
    WARNINGS,
)
from fanarchive.works.languages import LANGUAGE_NAMES
from fanarchive.works.services import ChapterInput, WorkInput


@dataclass
class SeriesPart:
    title: str
    part: int | None = None


@dataclass
class ParsedWork:
    """What a file holds: the posting service's input, with the source's extras."""

    work: WorkInput
    chapters: list[ChapterInput]
    creators: list[str] = field(default_factory=list)
    series: list[SeriesPart] = field(default_factory=list)
    importer: str = ""
    # What the importer decided on the file's behalf, for the review page and the report.
    notices: list[str] = field(default_factory=list)
    # A title the text seems to begin with, run into its first sentence (text whose line
    # breaks were lost): offered on the review page and in the report, never applied
    # unless the importing writer accepts it (ImportOptions).
    proposed_title: str = ""


# -- metadata a source spells in many ways ------------------------------------------

_RATING_ALIASES = {
    "g": GENERAL,
    "general": GENERAL,
    "general audiences": GENERAL,
    "k": GENERAL,
    "k+": GENERAL,
    "pg": GENERAL,
    "all ages": GENERAL,
    "t": TEEN,
    "teen": TEEN,
    "teen and up": TEEN,
    "teen and up audiences": TEEN,
    "pg-13": TEEN,
    "m": MATURE,
    "mature": MATURE,
    "r": MATURE,
    "e": EXPLICIT,
    "explicit": EXPLICIT,
    "nc-17": EXPLICIT,
    "ma": EXPLICIT,
    "nr": NOT_RATED,
    "not rated": NOT_RATED,
    "unrated": NOT_RATED,
}
_WARNING_ALIASES = {
    "none": NO_WARNINGS,
    "no warnings": NO_WARNINGS,
    "no archive warnings apply": NO_WARNINGS,
    "creator chose not to use archive warnings": CHOSE_NOT_TO_WARN,
    "choose not to warn": CHOSE_NOT_TO_WARN,
    "chose not to warn": CHOSE_NOT_TO_WARN,
    "violence": VIOLENCE,
    "graphic depictions of violence": VIOLENCE,
    "major character death": CHARACTER_DEATH,
    "character death": CHARACTER_DEATH,
    "mcd": CHARACTER_DEATH,
    "rape/non-con": NON_CON,
    "non-con": NON_CON,
    "underage": UNDERAGE,
    "underage sex": UNDERAGE,
}
_LANGUAGE_ALIASES = {name.lower(): code for code, name in LANGUAGE_NAMES.items()}
_LANGUAGE_ALIASES.update({code.lower(): code for code in LANGUAGE_NAMES})
_LANGUAGE_ALIASES.update(
    {
        "english": "en",
        "german": "de",
        "french": "fr",
        "spanish": "es",
        "italian": "it",
        "japanese": "ja",
        "chinese": "zh",
        "russian": "ru",
        "portuguese": "pt-BR",
        "dutch": "nl",
        "polish": "pl",
        "korean": "ko",
    }
)


def split_tags(value: str) -> list[str]:
    """A comma-separated list as sources write it, without blanks or repeats."""
    seen: dict[str, None] = {}
    for part in value.replace("\n", ",").split(","):
        name = " ".join(part.split())
        if name:
            seen.setdefault(name, None)
    return list(seen)


def rating_from(value: str, notices: list[str]) -> str:
    value = " ".join(value.split())
    if not value:
        notices.append(_("No rating given: rated %(rating)s.") % {"rating": NOT_RATED})
        return NOT_RATED
    for name in RATINGS:
        if name.lower() == value.lower():
            return name
    rating = _RATING_ALIASES.get(value.lower())
    if rating is None:
        notices.append(
            _('Rating "%(value)s" is not one of the archive\'s: rated %(rating)s.')
            % {"value": value, "rating": NOT_RATED}
        )
        return NOT_RATED
    return rating


def archive_warning(name: str) -> str | None:
    """The archive warning a source's warning names ("MCD", "None" ...), or None."""
    known = next((w for w in WARNINGS if w.lower() == name.lower()), None)
    return known or _WARNING_ALIASES.get(name.lower())


def warnings_from(names: list[str], freeforms: list[str], notices: list[str]) -> list[str]:
    """Archive warnings; names that are not one of them become additional tags."""
    warnings: list[str] = []
    for name in names:
        known = archive_warning(name)
        if known:
            if known not in warnings:
                warnings.append(known)
        else:
            freeforms.append(name)
    if not warnings:
        if names:
            notices.append(
                _(
                    "None of the warnings given is an archive warning; they are kept as "
                    'additional tags and the work says "%(warning)s".'
                )
                % {"warning": CHOSE_NOT_TO_WARN}
            )
        else:
            notices.append(
                _('No archive warnings given: "%(warning)s".') % {"warning": CHOSE_NOT_TO_WARN}
            )
        warnings = [CHOSE_NOT_TO_WARN]
    return warnings


def categories_from(names: list[str], freeforms: list[str]) -> list[str]:
    categories: list[str] = []
    for name in names:
        known = next((c for c in CATEGORIES if c.lower() == name.lower()), None)
        if known:
            categories.append(known)
        else:
            freeforms.append(name)
    return categories


def language_from(value: str, notices: list[str]) -> str:
    value = " ".join(value.split())
    if not value:
        return "en"
    code = _LANGUAGE_ALIASES.get(value.lower()) or _LANGUAGE_ALIASES.get(
        value.lower().split("-")[0]
    )
    if code is None:
        notices.append(
            _('Language "%(value)s" is not one this archive knows: English is assumed.')
            % {"value": value}
        )
        return "en"
    return code


def series_from(value: str) -> list[SeriesPart]:
    """ "Part 2 of The Harbour Cycle" or "The Harbour Cycle [2]" or a bare title."""

    parts: list[SeriesPart] = []
    for line in filter(None, (x.strip() for x in re.split(r"[\n;]", value))):
        match = re.match(r"(?i)part\s+(\d+)\s+of\s+(.+)", line)
        if match:
            parts.append(SeriesPart(title=match.group(2).strip(), part=int(match.group(1))))
            continue
        match = re.match(r"(.+?)\s*[\[(#]\s*(\d+)\s*[\])]?$", line)
        if match:
            parts.append(SeriesPart(title=match.group(1).strip(), part=int(match.group(2))))
            continue
        parts.append(SeriesPart(title=line))
    return parts


@dataclass
class Metadata:
    """Metadata as a source gives it, before it is mapped to the archive's sets."""

    title: str = ""
    creators: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""
    rating: str = ""
    warnings: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    fandoms: list[str] = field(default_factory=list)
    relationships: list[str] = field(default_factory=list)
    characters: list[str] = field(default_factory=list)
    freeforms: list[str] = field(default_factory=list)
    language: str = ""
    series: list[SeriesPart] = field(default_factory=list)


def build_work(
    meta: Metadata,
    chapters: list[ChapterInput],
    *,
    importer: str,
    fallback_title: str,
    notices: list[str] | None = None,
) -> ParsedWork:
    """The intermediate work from a source's metadata, with the archive's defaults."""
    notices = list(notices or [])
    freeforms = list(meta.freeforms)
    title = " ".join(meta.title.split())
    if not title:
        title = fallback_title
        notices.append(_('No title given: titled "%(title)s" after the file.') % {"title": title})
    rating = rating_from(meta.rating, notices)
    warnings = warnings_from(meta.warnings, freeforms, notices)
    categories = categories_from(meta.categories, freeforms)
    work = WorkInput(
        title=title,
        rating=rating,
        warnings=warnings,
        categories=categories,
        fandoms=list(meta.fandoms),
        relationships=list(meta.relationships),
        characters=list(meta.characters),
        freeforms=list(dict.fromkeys(freeforms)),
        summary=meta.summary.strip(),
        notes=meta.notes.strip(),
        endnotes=meta.endnotes.strip(),
        language=language_from(meta.language, notices),
        expected_chapters=max(len(chapters), 1),
    )
    return ParsedWork(
        work=work,
        chapters=chapters,
        creators=list(meta.creators),
        series=list(meta.series),
        importer=importer,
        notices=notices,
    )
