"""A title run into the first sentence of a text whose line breaks were lost.

Text copied from an archive page can arrive as one line that starts with its title:
"Winter Quarters The snow had not stopped for a week...". Such a title is a short run
of capitalised words (title case: "of", "the", "and" ... may stay small inside it),
and the sentence after it starts with a capitalised word that often opens one ("The",
"She", "When" ...) and goes on in small letters, or with an opening quote. Normal
openings have no such run: "The snow had not stopped" starts with the sentence, and in
"Harry Potter walked in" no opening word follows the capitals. The run is only
proposed: the importer never cuts it from the text by itself.
"""

from __future__ import annotations

import re

from fanarchive.formats.importers.textwork import chapter_heading

# Words that may stay small inside a title written in title case.
_SMALL_WORDS = "a an and as at but by for from in into nor of on or over the to upon with"
_SMALL = frozenset(_SMALL_WORDS.split())
# Capitalised words that often open a sentence of narration.
_OPENER_WORDS = (
    "The A An It He She They We You His Her Their Its Our My Your There This That These "
    "Those Then When While As In On At By After Before If Once For But And So Nobody No "
    "Everyone Everything Nothing Someone Something Somewhere Outside Inside"
)
_OPENERS = frozenset(_OPENER_WORDS.split())
_OPENING_QUOTES = "\"“‘«„'"
# A plain word: letters, maybe joined by an apostrophe or hyphen ("Keeper's", "Half-Moon").
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_TOKEN = re.compile(r"\S+")
MAX_WORDS = 8
MAX_CHARS = 80
# Words of the sentence after the run, at least: a title before a real sentence.
MIN_SENTENCE_WORDS = 4


def title_run(paragraph: str) -> str:
    """The title run into the start of `paragraph`, exactly as it stands there, or ""."""
    tokens = list(_TOKEN.finditer(paragraph[:600]))
    capitals = 0
    for token in tokens[: MAX_WORDS + 2]:
        word = token.group()
        if not _WORD.fullmatch(word) or not (word[0].isupper() or word.lower() in _SMALL):
            break
        capitals += 1
    if capitals == 0 or capitals >= len(tokens):
        return ""
    after = tokens[capitals].group()
    if after[0] in _OPENING_QUOTES:
        # The sentence opens with a quote right after the capitals: all of them are title.
        title_tokens = tokens[:capitals]
    elif after[0].islower() and tokens[capitals - 1].group() in _OPENERS:
        # The last capital opens the sentence ("The snow"): the ones before are the title.
        title_tokens = tokens[: capitals - 1]
    else:
        return ""
    if not title_tokens or len(tokens) - len(title_tokens) < MIN_SENTENCE_WORDS:
        return ""
    words = [t.group() for t in title_tokens]
    if len(words) > MAX_WORDS or not (words[0][0].isupper() and words[-1][0].isupper()):
        return ""
    title = paragraph[: title_tokens[-1].end()].strip()
    if len(title) > MAX_CHARS or chapter_heading(title) is not None:
        return ""
    return title


def without_title_run(text: str, title: str) -> str:
    """`text` with the run-in `title` taken off its start (when it is there)."""
    stripped = text.lstrip()
    if not title or not stripped.startswith(title):
        return text
    return stripped[len(title) :].lstrip()
