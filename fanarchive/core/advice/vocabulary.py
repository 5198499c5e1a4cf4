"""The advice's word lists: one folder per language under data/, one file per signal.

A line is a term or a short phrase, read with the analyser's own tokeniser so it
matches the text's words; `~` marks an everyday word (it counts only beside a plain
term of the same file), `!` a decisive one (enough alone). See data/README.txt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

DATA_ROOT = Path(__file__).resolve().parent / "data"
DEFAULT_LANGUAGE = "en"

# Content signals, in the files' names; `minor`, `negation` and `clinical` are context.
CONTENT_SIGNALS = (
    "explicit",
    "sexual",
    "profanity",
    "violence",
    "mild_violence",
    "major_character_death",
    "non_con",
    "underage",
)
MINOR = "minor"
NEGATION = "negation"
CLINICAL = "clinical"
SIGNALS = (*CONTENT_SIGNALS, MINOR, NEGATION, CLINICAL)

# Words, with apostrophes inside them ("didn't"); sentence ends as tokens of their own.
TOKEN = re.compile(r"[^\W_]+(?:'[^\W_]+)*|[.!?;\n]")
SENTENCE_END = frozenset(".!?;\n")


class VocabularyError(ValueError):
    """A language folder the analyser cannot read (an unknown file, an empty term)."""


def tokens_of(text: str) -> list[str]:
    return TOKEN.findall(text.lower().replace("\u2019", "'"))


@dataclass(frozen=True)
class Term:
    signal: str
    text: str
    everyday: bool = False
    decisive: bool = False


@dataclass
class Vocabulary:
    """Single words by word, phrases by their first word (each with the rest to match)."""

    language: str
    words: dict[str, list[Term]] = field(default_factory=dict)
    phrases: dict[str, list[tuple[tuple[str, ...], Term]]] = field(default_factory=dict)

    def add(self, signal: str, line: str, where: str) -> None:
        everyday, decisive = line.startswith("~"), line.startswith("!")
        words = tokens_of(line.lstrip("~!"))
        if not words or any(w in SENTENCE_END for w in words):
            raise VocabularyError(f"{where}: {line!r} is no term.")
        term = Term(signal, " ".join(words), everyday=everyday, decisive=decisive)
        if len(words) == 1:
            self.words.setdefault(words[0], []).append(term)
        else:
            self.phrases.setdefault(words[0], []).append((tuple(words[1:]), term))


def language_folder(language: str, root: Path = DATA_ROOT) -> Path:
    """The folder for a work's language: its own, its base language's ("pt" for
    "pt-BR"), else English."""
    code = language.strip().lower().replace("_", "-")
    for candidate in (code, code.split("-")[0], DEFAULT_LANGUAGE):
        if candidate and (root / candidate).is_dir():
            return root / candidate
    raise VocabularyError(f"No vocabulary for {language!r} nor {DEFAULT_LANGUAGE!r} in {root}.")


@lru_cache(maxsize=16)
def _load(folder: Path) -> Vocabulary:
    vocabulary = Vocabulary(folder.name)
    for path in sorted(folder.glob("*.txt")):
        signal = path.stem
        if signal not in SIGNALS:
            known = ", ".join(SIGNALS)
            raise VocabularyError(f"{path}: no signal is called {signal!r} (known: {known}).")
        for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.split("#", 1)[0].strip()
            if line:
                vocabulary.add(signal, line, f"{path.name}:{number}")
    return vocabulary


def vocabulary_for(language: str, root: Path = DATA_ROOT) -> Vocabulary:
    return _load(language_folder(language, root))
