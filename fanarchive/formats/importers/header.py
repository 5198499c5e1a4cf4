"""Metadata at the top of a text file: YAML front matter or a "Key: value" header block."""

from __future__ import annotations

import re
from typing import Any

import yaml
from django.utils.translation import gettext as _

from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.parsed import Metadata, series_from, split_tags

# Header keys as sources spell them, to Metadata fields.
KEYS = {
    "title": "title",
    "author": "creators",
    "authors": "creators",
    "by": "creators",
    "creator": "creators",
    "creators": "creators",
    "writer": "creators",
    "summary": "summary",
    "description": "summary",
    "notes": "notes",
    "rating": "rating",
    "rated": "rating",
    "warning": "warnings",
    "warnings": "warnings",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "pairing": "relationships",
    "pairings": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "tags": "freeforms",
    "genre": "freeforms",
    "genres": "freeforms",
    "language": "language",
    "series": "series",
}
# Keys an exported header holds that are not imported (they are recomputed).
IGNORED = {"words", "chapters", "published", "updated", "completed", "stats", "status", "url"}
_LIST_FIELDS = {
    "creators",
    "warnings",
    "categories",
    "fandoms",
    "relationships",
    "characters",
    "freeforms",
}
_HEADER_LINE = re.compile(r"^\s*([A-Za-z][A-Za-z' ]{0,30}?)\s*:\s*(.*)$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_SEPARATOR = re.compile(r"^\s*(?:-{3,}|={3,}|_{3,})\s*$")


def apply(meta: Metadata, key: str, value: Any) -> bool:
    """Set one header value on `meta`; False when the key is not a metadata key."""
    target = KEYS.get(" ".join(str(key).lower().replace("_", " ").split()))
    if target is None:
        return False
    if isinstance(value, list):
        items = [str(v) for v in value if v is not None]
        text = ", ".join(items)
    else:
        items = []
        text = "" if value is None else str(value)
    if target == "series":
        meta.series += series_from("\n".join(items) if items else text)
    elif target in _LIST_FIELDS:
        names = [n for item in items for n in split_tags(item)] if items else split_tags(text)
        getattr(meta, target).extend(names)
    else:
        current = getattr(meta, target)
        setattr(meta, target, f"{current}\n{text}".strip() if current else text.strip())
    return True


def front_matter(text: str, name: str) -> tuple[Metadata | None, str]:
    """YAML front matter (between --- lines) and the text after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return None, text
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        raise ImportFailed(
            name,
            _("its front matter is not valid YAML (%(error)s)") % {"error": error},
            line=line,
        ) from None
    if not isinstance(data, dict):
        return None, text
    meta = Metadata()
    for key, value in data.items():
        apply(meta, str(key), value)
    return meta, text[match.end() :]


def header_block(text: str) -> tuple[Metadata | None, str]:
    """A leading "Title: ... / Author: ... / Summary: ..." block and the text after it.

    The block runs to the first blank line (or separator line) after its last
    key; lines without a key continue the value before them (a long summary).
    """
    lines = text.split("\n")
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    meta = Metadata()
    found = 0
    current: str | None = None
    buffer: list[str] = []
    index = start
    last_key: str | None = None

    def flush() -> None:
        if current is not None:
            apply(meta, current, "\n".join(buffer))

    while index < len(lines):
        line = lines[index]
        match = _HEADER_LINE.match(line)
        key = match.group(1).lower() if match else None
        if match and key in IGNORED:
            flush()
            current, buffer, last_key = None, [], key
            found += 1
        elif match and key in KEYS:
            flush()
            current, buffer, last_key = match.group(1), [match.group(2)], key
            found += 1
        elif _SEPARATOR.match(line) and found:
            index += 1
            break
        elif not line.strip():
            # A blank line ends the block, unless the summary or notes go on after it.
            following = lines[index + 1] if index + 1 < len(lines) else ""
            next_match = _HEADER_LINE.match(following)
            if found and next_match and next_match.group(1).lower() in KEYS:
                index += 1
                continue
            break
        elif found and last_key in {"summary", "description", "notes"}:
            buffer.append(line)
        else:
            break
        index += 1
    flush()
    if found < 2 and not meta.title:
        return None, text
    return meta, "\n".join(lines[index:])


def merge(base: Metadata, extra: Metadata | None) -> Metadata:
    """`base` with the values `extra` gives filled in where `base` has none."""
    if extra is None:
        return base
    for name in Metadata.__dataclass_fields__:
        if not getattr(base, name):
            setattr(base, name, getattr(extra, name))
    return base
