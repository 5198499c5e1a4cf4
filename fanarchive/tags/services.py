"""Writes to tags: free tags are created on first use, with their names normalised and
checked here, and their words written for autocomplete (`TagWord`); a rename goes through
`tag_name_set`. Wrangling them is `fanarchive.wrangling`; their use counts are
`works.tag_count_services`.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterable, Mapping
from functools import reduce

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fanarchive.core.text import clean_line
from fanarchive.tags.models import (
    FIXED_TYPES,
    Tag,
    TagType,
    TagWord,
    fold_name,
    name_words,
)

TAG_NAME_MAX = 100
# AO3 refuses these in tag names: commas separate tags, the rest break its URLs and markup.
FORBIDDEN_TAG_CHARACTERS = ",^*<>{}=`\\%"
_SPACES = re.compile(r"\s+")


def normalise_tag_name(name: str) -> str:
    """The one way in for a typed tag name: on one line, no control characters, spaces
    collapsed."""
    return _SPACES.sub(" ", clean_line(name)).strip()


def tag_name_error(name: str) -> str | None:
    """Why `name` cannot be a tag, or None when it can."""
    if not name:
        return _("Tag names cannot be blank.")
    if len(name) > TAG_NAME_MAX:
        return _('"%(name)s…" is too long: tags can be at most %(max)s characters.') % {
            "name": name[:30],
            "max": TAG_NAME_MAX,
        }
    bad = sorted({char for char in name if char in FORBIDDEN_TAG_CHARACTERS})
    if bad:
        return _('"%(name)s" cannot contain %(characters)s: tags are separated by commas.') % {
            "name": name,
            "characters": " ".join(bad),
        }
    return None


def unique_tag_names(names: Iterable[str]) -> list[str]:
    """Normalised names, blanks dropped, later case-insensitive repeats dropped, order kept."""
    seen: set[str] = set()
    result = []
    for raw in names:
        name = normalise_tag_name(raw)
        if name and name.lower() not in seen:
            seen.add(name.lower())
            result.append(name)
    return result


def tags_find_or_create(*, tag_type: TagType | str, names: Iterable[str]) -> list[Tag]:
    """The tags of one free type with these names, creating the missing ones.

    Names must already be valid (see `tag_name_error`). An existing tag keeps
    its spelling: "harry potter" finds "Harry Potter". One indexed query finds
    all existing ones (posting a work with many tags stays cheap).
    """
    return tags_find_or_create_many(names_by_type={tag_type: names})[str(tag_type)]


def tags_find_or_create_many(
    *, names_by_type: Mapping[TagType | str, Iterable[str]]
) -> dict[str, list[Tag]]:
    """`tags_find_or_create` for several free types at once, in one query; keyed by type."""
    if any(tag_type in FIXED_TYPES for tag_type in names_by_type):
        raise ValueError("the fixed tag sets cannot grow")
    wanted = {str(tag_type): unique_tag_names(names) for tag_type, names in names_by_type.items()}
    looked_up = [
        Q(type=tag_type, name_folded__in={fold_name(name) for name in names})
        for tag_type, names in wanted.items()
        if names
    ]
    existing: dict[tuple[str, str], Tag] = {}
    if looked_up:
        for tag in Tag.objects.filter(reduce(operator.or_, looked_up)).order_by("id"):
            existing.setdefault((tag.type, tag.name.lower()), tag)
    return {
        tag_type: [
            existing.get((tag_type, name.lower())) or _create(tag_type, name) for name in names
        ]
        for tag_type, names in wanted.items()
    }


def _create(tag_type: str, name: str) -> Tag:
    try:
        with transaction.atomic():
            tag = Tag.objects.create(type=tag_type, name=name, name_folded=fold_name(name))
            _words_write(tag)
            return tag
    except IntegrityError:
        # Someone created it since our look-up (or it exists without a folded name).
        return Tag.objects.get(type=tag_type, name__iexact=name)


def tag_name_set(*, tag: Tag, name: str) -> None:
    """Store a new spelling of `tag` (already checked by the caller, `tag_rename`), with its
    folded form and its words, so autocomplete finds it by the new name at once."""
    with transaction.atomic():
        tag.name = name
        tag.name_folded = fold_name(name)
        tag.save(update_fields=["name", "name_folded"])
        TagWord.objects.filter(tag=tag).delete()
        _words_write(tag)


def _words_write(tag: Tag) -> None:
    TagWord.objects.bulk_create(
        TagWord(tag=tag, type=tag.type, word=word) for word in name_words(tag.name_folded)
    )
