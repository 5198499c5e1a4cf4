"""The demo's vocabulary: data files in the package, read once and checked as they load."""

from __future__ import annotations

import string
from importlib import resources

import pytest

from fanarchive.demo import vocabulary
from fanarchive.demo.planner import LANGUAGE_WEIGHTS
from fanarchive.demo.vocabulary import Prose, VocabularyError, prose, words


def test_every_language_has_its_templates() -> None:
    for language in LANGUAGE_WEIGHTS:
        assert isinstance(prose(language), Prose)
    assert prose("en").style == "en"
    assert all(len(exchange) >= 2 for exchange in prose("en").exchanges)


def test_the_word_lists_are_read_once() -> None:
    assert words() is words()
    assert set(words().given_names) == {"f", "m", "x"}
    assert len(set(words().fandoms)) == len(words().fandoms)


def test_the_templates_name_only_known_slots() -> None:
    known = {"a", "b", "a_poss", "b_poss", "place", "object", "weather", "other", "s", "s_poss"}
    known |= {"goal", "theme", "fandom", "trope", "N", "N2", "J", "P"}
    for language in LANGUAGE_WEIGHTS:
        templates = prose(language)
        for field in ("narration", "openers", "beats", "titles", "summaries", "notes"):
            for template in getattr(templates, field):
                slots = {name for _, name, _, _ in string.Formatter().parse(template) if name}
                assert slots <= known, (language, template)


def test_the_data_files_are_package_resources() -> None:
    data = resources.files("fanarchive.demo").joinpath("data")
    names = {entry.name for entry in data.iterdir()}
    assert names >= {"words.toml"} | {f"prose-{code}.toml" for code in LANGUAGE_WEIGHTS}


def test_a_broken_file_says_what_is_wrong(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "_read", lambda name: {"style": "en", "exchanges": [["Hi"]]})
    prose.cache_clear()
    try:
        with pytest.raises(VocabularyError, match="narration"):
            prose("en")
    finally:
        prose.cache_clear()
