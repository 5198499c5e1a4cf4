"""Turning what a writer typed into safe HTML, and counting its words.

Three input formats are accepted: HTML (AO3's allowlist), Markdown, and plain
text. Each ends as sanitised HTML, with blank lines as paragraph breaks and a
line holding only a scene-break marker (***, * * *, ~~~, ---, ★, ☆) as
<hr class="scene-break">.
"""

from __future__ import annotations

import html
import re
from enum import StrEnum
from itertools import filterfalse
from operator import methodcaller

from markdown_it import MarkdownIt

from fanarchive.core.sanitize import sanitize_html


class TextFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"
    PLAIN = "plain"

    @property
    def label(self) -> str:
        return {"html": "Rich text (HTML)", "markdown": "Markdown", "plain": "Plain text"}[self]


SCENE_BREAK_HTML = '<hr class="scene-break">'
SCENE_BREAK_LINE = re.compile(r"^\s*(?:(?:\*\s*){3,}|~{3,}|-{3,}|(?:[★☆]\s*)+)$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
# Elements whose presence means the writer laid out paragraphs themselves.
_BLOCK_TAG = re.compile(
    r"<(?:p|div|br|blockquote|h[1-6]|ul|ol|dl|table|pre|hr|figure|details|center|address)\b",
    re.IGNORECASE,
)

_markdown = MarkdownIt("commonmark", {"html": True, "typographer": False})


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- control characters ---------------------------------------------------------------
#
# What XML 1.0 forbids (the C0 controls but tab, newline and carriage return; lone
# surrogates; U+FFFE and U+FFFF) breaks feeds, EPUBs and mail headers, and PostgreSQL
# refuses NUL; DEL and the C1 controls are never typed on purpose either. The services
# remove them from every text field as it comes in (`clean_text`, `clean_line`), so
# nothing stored holds them and no output has to care.

# Vertical tab, form feed and NEL end a line: they become one rather than vanish, so
# the words on either side stay apart.
_LINE_ENDS = re.compile("\r\n?|[\x0b\x0c\x85]")
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A line break or tab in a one-line field, with the spaces around it: one space.
_BREAK_RUN = re.compile("[ \t\n\u2028\u2029]*[\t\n\u2028\u2029][ \t\n\u2028\u2029]*")


def clean_text(text: str) -> str:
    """Multi-line text without control characters: tabs and newlines stay, line ends
    become "\\n"; what XML 1.0 forbids, DEL and the C1 controls are removed."""
    return _CONTROLS.sub("", _LINE_ENDS.sub("\n", text))


def clean_line(text: str) -> str:
    """`clean_text` for one-line fields (titles, names, tags): a line break, paragraph
    separator or tab, with the spaces around it, becomes one space."""
    return _BREAK_RUN.sub(" ", clean_text(text))


def is_scene_break(line: str) -> bool:
    return bool(SCENE_BREAK_LINE.match(line))


def _blocks(text: str) -> list[str | None]:
    """Split text into paragraphs (lists of lines joined by \\n), None marking a scene break."""
    blocks: list[str | None] = []
    for chunk in _BLANK_LINES.split(normalise_newlines(text).strip("\n")):
        lines: list[str] = []
        for line in chunk.split("\n"):
            if is_scene_break(line):
                if lines:
                    blocks.append("\n".join(lines))
                    lines = []
                blocks.append(None)
            elif line.strip():
                lines.append(line.strip())
        if lines:
            blocks.append("\n".join(lines))
    return blocks


def _paragraphs(text: str, *, escape: bool) -> str:
    out = []
    for block in _blocks(text):
        if block is None:
            out.append(SCENE_BREAK_HTML)
            continue
        lines = [html.escape(line, quote=False) if escape else line for line in block.split("\n")]
        out.append("<p>" + "<br>\n".join(lines) + "</p>")
    return "\n".join(out)


def plain_to_html(text: str) -> str:
    return sanitize_html(_paragraphs(text, escape=True))


def markdown_to_html(text: str) -> str:
    lines = normalise_newlines(text).split("\n")
    # Scene-break markers Markdown would not read as a break (★, ~~~ is a code
    # fence, --- under text is a heading) become an explicit break first.
    prepared = "\n".join(f"\n{SCENE_BREAK_HTML}\n" if is_scene_break(x) else x for x in lines)
    rendered = _markdown.render(prepared)
    rendered = rendered.replace("<hr />", SCENE_BREAK_HTML)
    return sanitize_html(rendered)


def html_to_html(text: str) -> str:
    """Sanitise entered HTML; when it has no block layout of its own, add paragraphs as AO3 does."""
    if _BLOCK_TAG.search(text):
        return sanitize_html(text)
    return sanitize_html(_paragraphs(text, escape=False))


def render(text: str, text_format: TextFormat | str) -> str:
    fmt = TextFormat(text_format)
    if fmt is TextFormat.PLAIN:
        html = plain_to_html(text)
    elif fmt is TextFormat.MARKDOWN:
        html = markdown_to_html(text)
    else:
        html = html_to_html(text)
    # A character reference ("&#1;") becomes a control character only as the HTML is
    # parsed, after the typed text was cleaned: what readers get is cleaned too.
    return clean_text(html)


# Block elements end a line of text; any other tag just disappears. Only things
# that look like tags (a letter after "<") are touched, so "a < b" stays text.
_BLOCK_TAGS = r"(?:p|br|div|li|hr|tr|td|th|blockquote|h[1-6])"
_BLOCK_BOUNDARY = re.compile(rf"</?{_BLOCK_TAGS}\b[^>]*>", re.IGNORECASE)
_ANY_TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def html_to_text(fragment: str) -> str:
    """The visible text of an HTML fragment, block elements separated by newlines.

    Regular expressions rather than an HTML parser: this runs on every chapter
    posted or imported (word counts, search), and sanitised HTML is well formed.
    """
    text = _BLOCK_BOUNDARY.sub("\n", fragment)
    return html.unescape(_ANY_TAG.sub("", text))


# Scripts written without spaces between words: AO3 counts each character as a word.
_PER_CHARACTER = (
    "\u0e00-\u0e7f"  # Thai
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff\u31f0-\u31ff\uff66-\uff9f"  # Katakana (with half-width)
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f"  # Han extensions
)
_WORD = re.compile(
    rf"[{_PER_CHARACTER}]"  # one character of those scripts
    rf"|(?:(?![{_PER_CHARACTER}])\w)+"  # or a run of other letters and digits
    rf"(?:['’\-](?:(?![{_PER_CHARACTER}])\w)+)*"  # joined by apostrophes or hyphens
)


_HAS_PER_CHARACTER = re.compile(rf"[{_PER_CHARACTER}]")
# The same rule for text without those scripts, several times faster.
_SIMPLE_WORD = re.compile(r"\w+(?:['’\-]\w+)*")
# What may stand at the ends of a word's token: no letter, digit or "_" (\w).
_EDGE_PUNCTUATION = "\"'’‘“”«».,;:!?()[]{}…*~—–-/"


def count_words(text: str) -> int:
    """Words in plain text: runs of letters and digits, and each Han, Kana or Thai character."""
    if _HAS_PER_CHARACTER.search(text):
        return len(_WORD.findall(text))
    # Equal to len(_SIMPLE_WORD.findall(text)), about four times faster: no word spans
    # whitespace; a token of only letters and digits (str.isalnum: what \w matches, but
    # "_") is one word, also once the punctuation at its ends is stripped (a word starts
    # and ends with \w); only what is left goes to the regex. `filterfalse` and `map`
    # keep the per-token loop in C.
    tokens = text.split()
    odd = list(filterfalse(str.isalnum, tokens))
    stripped = list(map(methodcaller("strip", _EDGE_PUNCTUATION), odd))
    rest = list(filterfalse(str.isalnum, stripped))
    return len(tokens) - len(rest) + sum(len(_SIMPLE_WORD.findall(token)) for token in rest)


def count_html_words(fragment: str) -> int:
    return count_words(html_to_text(fragment))
