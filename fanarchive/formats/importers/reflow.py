"""Rebuilding paragraphs in text whose line breaks were lost.

Text copied from a web page often arrives as one long line. It is cut at
scene-break markers first, then into sentences, and the sentences are grouped
into paragraphs the way prose is laid out: a new speaker's line of dialogue
starts a paragraph, and narration is cut into paragraphs of a few sentences.
"""

from __future__ import annotations

import re

SCENE_BREAK = "* * *"
# A scene-break marker standing alone in running text.
INLINE_BREAK = re.compile(
    r"(?<!\S)(?:(?:\*[ \t]*){2,}\*|~{3,}|-{3,}|={3,}|(?:[★☆][ \t]*)*[★☆]"
    r"|(?:oOo|OoO|o0o|xXx)+|(?:<3[ \t]*)+<3)(?!\S)"
)
# Something every INLINE_BREAK match holds: a quick test that spares most paragraphs
# INLINE_BREAK's slower scan.
_MARKER_HINT = re.compile(r"[*~=★☆]|--|oOo|OoO|o0o|xXx|<3")
# A line that is only a scene-break marker.
BREAK_LINE = re.compile(
    r"^\s*(?:(?:\*\s*){3,}|~{3,}|-{3,}|={3,}|_{3,}|(?:[★☆]\s*)+|#|~\*~"
    r"|(?:oOo|OoO|o0o|xXx)+|(?:<3\s*){2,})\s*$"
)
_ABBREVIATION_WORDS = "mr mrs ms dr st mt prof sr jr vs etc e.g i.e no capt lt col gen sgt fig"
_ABBREVIATIONS = frozenset(_ABBREVIATION_WORDS.split())
_OPENING = '"“‘«„'
_CLOSING = '"”’»'
_END = ".!?…"
_BOUNDARY = re.compile(r"(?<=[.!?…])[\"”’»')\]]*\s+")
PARAGRAPH_CHARS = 550


def has_inline_break(text: str) -> bool:
    """Whether a scene-break marker stands somewhere in running text."""
    return bool(_MARKER_HINT.search(text)) and bool(INLINE_BREAK.search(text))


def is_break_line(line: str) -> bool:
    return bool(BREAK_LINE.match(line))


def sentences(text: str) -> list[str]:
    """`text` cut at sentence ends (not after "Mr." and the like)."""
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end()
        following = text[end : end + 2]
        first = following.lstrip(_OPENING + "(")[:1]
        if not first or not (first.isupper() or first.isdigit() or following[:1] in _OPENING):
            continue
        head = text[start : match.start()]
        last_word = head.rsplit(None, 1)[-1].rstrip(".").lower() if head.split() else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        out.append(text[start:end].strip())
        start = end
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def _opens_dialogue(sentence: str) -> bool:
    return sentence[:1] in _OPENING


def _ends_dialogue(sentence: str) -> bool:
    stripped = sentence.rstrip()
    return len(stripped) > 1 and stripped[-1] in _CLOSING and stripped[-2] in _END + ",-—–"


def paragraphs(text: str) -> list[str]:
    """Sentences grouped into paragraphs: dialogue turns and short runs of narration."""
    out: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in sentences(text):
        if current:
            previous = current[-1]
            in_dialogue = any(_opens_dialogue(s) for s in current)
            if _opens_dialogue(sentence):
                # A quote after a finished quote is a new speaker; after narration, a new turn.
                new = _ends_dialogue(previous) or not in_dialogue or len(current) >= 4
            else:
                new = size > PARAGRAPH_CHARS or (in_dialogue and size > PARAGRAPH_CHARS // 2)
            if new:
                out.append(" ".join(current))
                current, size = [], 0
        current.append(sentence)
        size += len(sentence) + 1
    if current:
        out.append(" ".join(current))
    return out


def reflow(line: str) -> list[str]:
    """One flattened line as paragraphs, with SCENE_BREAK where a marker stood."""
    out: list[str] = []
    position = 0
    for match in INLINE_BREAK.finditer(line):
        out += paragraphs(line[position : match.start()])
        out.append(SCENE_BREAK)
        position = match.end()
    out += paragraphs(line[position:])
    # No scene break at either end or twice in a row.
    cleaned: list[str] = []
    for block in out:
        if block == SCENE_BREAK and (not cleaned or cleaned[-1] == SCENE_BREAK):
            continue
        cleaned.append(block)
    while cleaned and cleaned[-1] == SCENE_BREAK:
        cleaned.pop()
    return cleaned
