"""The demo archive's words, read once from the data files in `data/`.

`words.toml` holds the names (fandoms, characters, users, titles, tags) and
`prose-<language>.toml` the templates of each language's stories. They are data, not
code: adding a fandom name or a line of dialogue is an edit of a TOML file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Prose:
    """Templates for one language. Slots: {a} {b} (names), {a_poss} {b_poss} (English
    possessives), {place}, {object}, {weather}; {other} in dialogue is the listener."""

    style: str  # how dialogue is punctuated: en, es, fr or de
    narration: tuple[str, ...]
    openers: tuple[str, ...]
    exchanges: tuple[tuple[str, ...], ...]
    beats: tuple[str, ...]
    said: tuple[str, ...]
    replied: tuple[str, ...]
    asked: tuple[str, ...]
    places: tuple[str, ...]
    objects: tuple[str, ...]
    weather: tuple[str, ...]
    titles: tuple[str, ...]
    chapter_titles: tuple[str, ...]
    summaries: tuple[str, ...]
    notes: tuple[str, ...]
    endnotes: tuple[str, ...]
    chapter_notes: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """The names of `words.toml`; lists drawn with falling weights are most popular first."""

    fandoms: tuple[str, ...]
    given_names: dict[str, tuple[str, ...]]  # by gender: f, m, x
    surnames: tuple[str, ...]
    tropes: tuple[str, ...]
    goals: tuple[str, ...]
    themes: tuple[str, ...]
    scene_breaks: tuple[str, ...]
    username_adjectives: tuple[str, ...]
    username_nouns: tuple[str, ...]
    title_nouns: tuple[str, ...]
    title_adjectives: tuple[str, ...]
    title_places: tuple[str, ...]


class VocabularyError(ValueError):
    """A data file lacks a list, or a list holds something other than text."""


def _read(name: str) -> dict[str, Any]:
    text = (resources.files("fanarchive.demo") / "data" / name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _strings(table: dict[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key)
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise VocabularyError(f"{where}: `{key}` must be a non-empty list of strings.")
    return tuple(value)


def _table(table: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = table.get(key)
    if not isinstance(value, dict):
        raise VocabularyError(f"{where}: `[{key}]` is missing.")
    return value


@cache
def words() -> Words:
    where = "data/words.toml"
    data = _read("words.toml")
    names = _table(data, "given_names", where)
    users = _table(data, "usernames", where)
    titles = _table(data, "titles", where)
    return Words(
        fandoms=_strings(data, "fandoms", where),
        given_names={gender: _strings(names, gender, where) for gender in "fmx"},
        surnames=_strings(data, "surnames", where),
        tropes=_strings(data, "tropes", where),
        goals=_strings(data, "goals", where),
        themes=_strings(data, "themes", where),
        scene_breaks=_strings(data, "scene_breaks", where),
        username_adjectives=_strings(users, "adjectives", where),
        username_nouns=_strings(users, "nouns", where),
        title_nouns=_strings(titles, "nouns", where),
        title_adjectives=_strings(titles, "adjectives", where),
        title_places=_strings(titles, "places", where),
    )


@cache
def prose(language: str) -> Prose:
    """The templates of `language` ("en"), from `data/prose-<language>.toml`."""
    where = f"data/prose-{language}.toml"
    data = _read(f"prose-{language}.toml")
    style = data.get("style")
    if not isinstance(style, str):
        raise VocabularyError(f"{where}: `style` must be a string.")
    exchanges = data.get("exchanges")
    if not isinstance(exchanges, list) or not exchanges:
        raise VocabularyError(f"{where}: `exchanges` must be a non-empty list of lists.")
    lists = {
        field.name: _strings(data, field.name, where)
        for field in fields(Prose)
        if field.name not in {"style", "exchanges"}
    }
    return Prose(
        style=style,
        exchanges=tuple(
            _strings({"exchange": lines}, "exchange", f"{where}, exchanges") for lines in exchanges
        ),
        **lists,
    )
