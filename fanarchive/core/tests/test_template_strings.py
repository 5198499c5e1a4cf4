"""Every string a template shows is marked for translation.

A template fails when, outside `{% translate %}`, `{% blocktranslate %}` and comments, it
has words in its text, in the attributes people read or hear (placeholder, title, alt,
aria-label, a button's value, a page's description), in a filter's string argument
(`default:"None"`) or in a string given to an include (`with label="Search"`), unless the
string is wrapped as `_("...")`. Scripts and styles are not text. Run one folder with
`pytest fanarchive/core/tests/test_template_strings.py -k works/`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.base import Lexer, TokenType

TEMPLATES = Path(__file__).resolve().parents[3] / "templates"

# Names that stay the same in every language.
UNTRANSLATED = {"Fanarchive", "EPUB", "PDF", "HTML", "AZW3", "MOBI", "RSS", "Atom", "API", "JSON"}

MARK = "\x00"  # stands for anything a template tag or variable puts in the text
SKIPPED_BLOCKS = {
    "blocktranslate": "endblocktranslate",
    "blocktrans": "endblocktrans",
    "comment": "endcomment",
    "verbatim": "endverbatim",
}
READ_ATTRIBUTES = ("placeholder", "title", "alt", "aria-label", "aria-description", "label")
WORD = re.compile(r"[^\W\d_]{2,}")
ENTITY = re.compile(r"&#?\w+;")
# Scripts, styles, comments and <code> (addresses and commands shown as typed) hold no prose.
HIDDEN = re.compile(r"<(script|style|code)\b.*?</\1\s*>|<!--.*?-->", re.S | re.I)
TAG = re.compile(r"<[a-zA-Z/!][^>]*>", re.S)
ATTRIBUTE = re.compile(r"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*')""")
FILTER_LITERAL = re.compile(
    r"""\|\s*(default|default_if_none|yesno|pluralize)\s*:\s*("[^"]*"|'[^']*')"""
)
INCLUDE_LITERAL = re.compile(r"""([\w-]+)\s*=\s*("[^"]*"|'[^']*')""")
# Arguments of includes and `with` that name things for the code, never words for people.
TECHNICAL_ARGUMENTS = {
    "id", "name", "url", "kind", "type", "class", "classes", "field", "template", "action",
    "method", "anchor", "prefix", "form_id", "target", "param", "autocomplete", "key",
    "heading_level", "level", "mode", "variant", "icon", "size", "value_name", "section",
    "position", "query",
}  # fmt: skip


# A literal such as "show=" or "show=later," is a piece of a query string, not prose.
QUERY_PIECE = re.compile(r"^(\w+=[\w,]*&?)+$")


def words(text: str) -> list[str]:
    if QUERY_PIECE.match(text.strip("\"'")):
        return []
    return [w for w in WORD.findall(ENTITY.sub(" ", text)) if w not in UNTRANSLATED]


def unmarked_strings(source: str, *, plain_text: bool = False) -> list[str]:
    """The words of a template's source that are not marked for translation."""
    found: list[str] = []
    pieces: list[str] = []
    closing: str | None = None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[:1] == [closing]:
                closing = None
            pieces.append(MARK)
            continue
        if token.token_type == TokenType.TEXT:
            pieces.append(token.contents)
            continue
        pieces.append(MARK)
        if token.token_type == TokenType.VAR:
            found += [m[1] for m in FILTER_LITERAL.findall(token.contents) if words(m[1])]
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents.split() else ""
            if name in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[name]
                continue
            found += [m[1] for m in FILTER_LITERAL.findall(token.contents) if words(m[1])]
            if name in {"include", "with"}:
                for key, literal in INCLUDE_LITERAL.findall(token.contents):
                    value = literal[1:-1]
                    is_path = "/" in value or value.endswith((".html", ".txt"))
                    if key not in TECHNICAL_ARGUMENTS and not is_path and words(value):
                        found.append(f"{key}={literal}")
    text = "".join(pieces)
    if plain_text:
        return found + phrases(text)
    text = HIDDEN.sub(MARK, text)
    for tag in TAG.findall(text):
        attributes = dict(ATTRIBUTE.findall(tag))
        for name in READ_ATTRIBUTES:
            if name in attributes and words(attributes[name].replace(MARK, " ")):
                found.append(f"{name}={attributes[name]}")
        # An <input> button shows its value; a <button>'s value is only sent, never shown.
        is_button = tag.lower().startswith("<input") and re.search(
            r"""type\s*=\s*["'](submit|button|reset)""", tag
        )
        if is_button and "value" in attributes and words(attributes["value"].replace(MARK, " ")):
            found.append(f"value={attributes['value']}")
        is_description = re.search(r"""name\s*=\s*["']description""", tag)
        if is_description and "content" in attributes and words(attributes["content"]):
            found.append(f"content={attributes['content']}")
    found += phrases(TAG.sub(MARK, text))
    return found


def phrases(text: str) -> list[str]:
    """The runs of text between tags and template tags that hold words."""
    return [" ".join(run.split()) for run in text.split(MARK) if words(run)]


def test_the_checker_finds_what_is_unmarked() -> None:
    source = (
        '{% load i18n %}<h1>Works</h1><p>{% translate "Kudos" %}</p>'
        '<input placeholder="Search" aria-label="{% translate \'Find\' %}">'
        "{% blocktranslate %}Left {{ n }} alone{% endblocktranslate %}"
        '{{ summary|default:"No summary" }}{{ x|default:_("Fine") }}'
        '{% include "tags/_list.html" with heading="Fandoms" kind="fandom" %}'
        "<script>var words = 'not text';</script>{# a comment #}<p>&middot; 12 · {{ n }}</p>"
    )
    assert unmarked_strings(source) == [
        '"No summary"',
        'heading="Fandoms"',
        'placeholder="Search"',
        "Works",
    ]
    assert unmarked_strings("Hello {{ name }}, see you", plain_text=True) == ["Hello", ", see you"]
    assert unmarked_strings('{% load i18n %}<a title="{{ t }}">{% translate "x" %}</a>') == []


@pytest.mark.parametrize(
    "path",
    sorted(p.relative_to(TEMPLATES).as_posix() for p in TEMPLATES.rglob("*") if p.is_file()),
)
def test_template_has_no_unmarked_string(path: str) -> None:
    source = (TEMPLATES / path).read_text(encoding="utf-8")
    unmarked = unmarked_strings(source, plain_text=path.endswith(".txt"))
    assert not unmarked, f"{path}: mark these for translation: {unmarked[:20]}"
