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

from django.utils.translation import gettext_lazy as _
from markdown_it import MarkdownIt

from fanarchive.core.sanitize import sanitize_html


class TextFormat(StrEnum):
    HTML = "html"
    MARKDOWN = "markdown"
    PLAIN = "plain"

    @property
    def label(self) -> str:
        labels = {
            "html": _("Rich text (HTML)"),
            "markdown": _("Markdown"),
            "plain": _("Plain text"),
        }
        return str(labels[self])


SCENE_BREAK_HTML = '<hr class="scene-break">'
SCENE_BREAK_LINE = re.compile(r"^\s*(?:(?:\*\s*){3,}|~{3,}|-{3,}|(?:[★☆]\s*)+)$")
_BLANK_LINES = re.compile(r"\n[ \t]*\n+")
# Elements that are or hold paragraphs: with one of them, the writer laid out the
# paragraphs. Line breaks, rules and centring are not paragraphs: text with only those
# (eFiction's `<center>* * *</center>` between lines) still needs them made.
_PARAGRAPH_TAG = re.compile(
    r"<(?:p|div|blockquote|h[1-6]|ul|ol|dl|table|pre|figure|details|address)(?=[\s/>])",
    re.IGNORECASE,
)
# In HTML without paragraphs, a line that opens or closes a centred run, or is a rule,
# stands between paragraphs rather than inside one.
_LAYOUT_LINE = re.compile(r"^\s*(?:</?center\b|<hr\b)|</?center\s*>\s*$", re.IGNORECASE)
# Tags and `<br>` stop at the next "<" too, so a stray "<" costs no rescanning.
_TAG = re.compile(r"<[^<>]*>")
_BR_TAG = re.compile(r"<br\b[^<>]*>", re.IGNORECASE)
_LINE_START = re.compile(r"[ \t]*\n?")

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


def is_html_scene_break(line: str) -> bool:
    """A line of HTML showing only a scene-break marker, such as `<center>* * *</center>`."""
    return is_scene_break(_TAG.sub("", line))


def is_paragraphed(text: str) -> bool:
    """Whether HTML lays out its own paragraphs; if not, they are made from its lines.

    The one rule, for HTML typed here (`html_to_html`) and for migrated text
    (`formats.efiction.text`), so both make paragraphs of the same texts.
    """
    return bool(_PARAGRAPH_TAG.search(text))


def breaks_as_lines(text: str) -> str:
    """`<br>` as the line ends it stands for: a run of them (whitespace between) is a
    blank line, a new paragraph; one is a line end, a `<br>` again in the paragraph.

    The spaces around a `<br>` go with it. One pass over the pieces between the tags
    (no backtracking regex: this runs on every HTML text typed without paragraphs).
    """
    pieces = _BR_TAG.split(text)
    out = [pieces[0]]
    last = len(pieces) - 1
    index = 1
    while index <= last:
        run = 1
        while index < last and not pieces[index].strip():
            index += 1  # only whitespace before the next <br>: the run goes on
            run += 1
        after = pieces[index]
        out[-1] = out[-1].rstrip()
        if run > 1:
            out.append("\n\n" + after.lstrip())
        else:
            start = _LINE_START.match(after)
            out.append("\n" + after[start.end() if start else 0 :])
        index += 1
    return "".join(out)


def _paragraphs(text: str, *, escape: bool) -> str:
    """Paragraphs from blank lines, `<br>` within them, scene-break lines as breaks.

    For HTML (`escape=False`), a line showing only a marker in tags is a scene break
    too, and a centring or rule line stands alone between the paragraphs.
    """
    out: list[str] = []
    lines: list[str] = []

    def close_paragraph() -> None:
        if lines:
            out.append("<p>" + "<br>\n".join(lines) + "</p>")
            lines.clear()

    for chunk in _BLANK_LINES.split(normalise_newlines(text).strip("\n")):
        for line in chunk.split("\n"):
            if is_scene_break(line) or (not escape and is_html_scene_break(line)):
                close_paragraph()
                out.append(SCENE_BREAK_HTML)
            elif not escape and _LAYOUT_LINE.search(line):
                close_paragraph()
                out.append(line.strip())
            elif line.strip():
                lines.append(html.escape(line.strip(), quote=False) if escape else line.strip())
        close_paragraph()
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
    """Sanitise entered HTML; when it has no paragraphs of its own, add them as AO3 does."""
    if is_paragraphed(text):
        return sanitize_html(text)
    return sanitize_html(_paragraphs(breaks_as_lines(text), escape=False))


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
