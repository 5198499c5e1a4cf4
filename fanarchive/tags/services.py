"""Writes to tags: free tags are created on first use."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction

from fanarchive.tags.models import FIXED_TYPES, Tag, TagType

TAG_NAME_MAX = 100
# AO3 refuses these in tag names: commas separate tags, the rest break its URLs and markup.
FORBIDDEN_TAG_CHARACTERS = ",^*<>{}=`\\%"
_SPACES = re.compile(r"\s+")


def normalise_tag_name(name: str) -> str:
    return _SPACES.sub(" ", name).strip()


def tag_name_error(name: str) -> str | None:
    """Why `name` cannot be a tag, or None when it can."""
    if not name:
        return "Tag names cannot be blank."
    if len(name) > TAG_NAME_MAX:
        return f'"{name[:30]}…" is too long: tags can be at most {TAG_NAME_MAX} characters.'
    bad = sorted({char for char in name if char in FORBIDDEN_TAG_CHARACTERS})
    if bad:
        return f'"{name}" cannot contain {" ".join(bad)}: tags are separated by commas.'
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
    its spelling: "harry potter" finds "Harry Potter".
    """
    if tag_type in FIXED_TYPES:
        raise ValueError("the fixed tag sets cannot grow")
    return [_find_or_create(tag_type, name) for name in unique_tag_names(names)]


def _find_or_create(tag_type: str, name: str) -> Tag:
    existing = Tag.objects.filter(type=tag_type, name__iexact=name).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            return Tag.objects.create(type=tag_type, name=name)
    except IntegrityError:
        # Someone created it between our look-up and our insert.
        return Tag.objects.get(type=tag_type, name__iexact=name)
