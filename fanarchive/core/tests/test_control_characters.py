"""clean_text and clean_line: no control character survives, ordinary text is untouched."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lxml import etree

from fanarchive.core.text import clean_line, clean_text, render

# XML 1.0's Char production: what a document may hold at all.
XML_CHAR = re.compile("[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]*")
LINE_BREAKS = "\n\r\x0b\x0c\x85\u2028\u2029"

ORDINARY = [
    "The Lighthouse Keeper",
    "Mira & Tomas: \"Seven,\" she said — 'there should be eight'…",
    "👩‍👩‍👧 🏳️‍🌈 👍🏽 ❤️",  # ZWJ sequences, flags, skin tones, variation selectors
    "שלום עולם",  # Hebrew
    "مرحبا بالعالم",  # Arabic
    "\u2067مرحبا\u2069 and \u200fשלום\u200e",  # bidi isolates and marks
    "風の谷のナウシカ 한국어 ภาษาไทย",  # Han, Kana, Hangul, Thai
    "e\u0301 n\u0303 Z\u0351\u0308\u036b\u0301a\u0334l\u0326g\u030fo",  # combining marks
    "soft\u00adhyphen, zero\u200bwidth, non\u200cjoiner, \ufeffBOM, \U000f0000 private",
    "Ünïcödé ß ﬁ ½ №",
]
ORDINARY_MULTILINE = ["First line\nsecond line\n\n\tindented", "Poem:\n  one\n  two\n"]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_text_passes_both_unchanged(text):
    assert clean_text(text) == text
    assert clean_line(text) == text


@pytest.mark.parametrize("text", ORDINARY_MULTILINE)
def test_ordinary_multiline_text_passes_clean_text_unchanged(text):
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("Sea\x01 Song", "Sea Song"),
        ("\x00nul\x07bell\x1b[31mesc\x1fus", "nulbell[31mescus"),
        ("del\x7f c1\x80\x9f", "del c1"),
        ("lone \ud800 and \udfff surrogates", "lone  and  surrogates"),
        ("non\ufffe\uffffcharacters", "noncharacters"),
        ("windows\r\nold mac\runix\n", "windows\nold mac\nunix\n"),
        ("page\x0cbreak, vertical\x0btab, next\x85line", "page\nbreak, vertical\ntab, next\nline"),
        ("tab\tstays, separators\u2028\u2029stay", "tab\tstays, separators\u2028\u2029stay"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("The\nSea", "The Sea"),
        ("The \r\n \t Sea", "The Sea"),
        ("The\u2028Sea\u2029Song", "The Sea Song"),
        ("The\x0b\x0c\x85Sea", "The Sea"),
        ("tab\tin a name", "tab in a name"),
        ("\x01Sea\x02 \x03Song\x04", "Sea Song"),
        ("ends with a break\n", "ends with a break "),  # the services strip the ends
        ("two  spaces stay", "two  spaces stay"),
    ],
)
def test_clean_line(raw, cleaned):
    assert clean_line(raw) == cleaned


def test_clean_line_of_a_multiline_field_keeps_every_word():
    assert clean_line("A poem\n\n\n  in three\n\nlines") == "A poem in three lines"


# Anything at all, with the troublesome characters made likely.
troublesome = st.sampled_from(
    [chr(n) for n in range(0x20)]
    + [chr(n) for n in range(0x7F, 0xA0)]
    + ["\ud800", "\udbff", "\udc00", "\udfff", "\ufffe", "\uffff", "\u2028", "\u2029"]
)
any_text = st.text(st.one_of(st.characters(exclude_categories=()), troublesome))
# What people type: no controls, surrogates or noncharacters (tab and newline aside).
typed = st.characters(exclude_categories=("Cc", "Cs"), exclude_characters="\ufffe\uffff")


def is_xml_char_data(text: str) -> bool:
    if not XML_CHAR.fullmatch(text):
        return False
    etree.fromstring(f"<t>{escape(text)}</t>".encode())  # raises when it is not
    return True


@given(any_text)
def test_clean_text_output_is_always_xml_char_data(text):
    cleaned = clean_text(text)
    assert is_xml_char_data(cleaned)
    assert "\r" not in cleaned
    assert not re.search("[\x7f-\x9f]", cleaned)


@given(any_text)
def test_clean_line_output_is_one_line_of_xml_char_data(text):
    cleaned = clean_line(text)
    assert is_xml_char_data(cleaned)
    assert not any(char in cleaned for char in LINE_BREAKS + "\t")
    assert cleaned.splitlines() in ([], [cleaned])


@given(any_text)
def test_both_are_idempotent(text):
    assert clean_text(clean_text(text)) == clean_text(text)
    assert clean_line(clean_line(text)) == clean_line(text)
    assert clean_line(clean_text(text)) == clean_line(text)


@given(st.text(st.one_of(typed, st.sampled_from("\t\n"))))
def test_typed_text_passes_clean_text_unchanged(text):
    assert clean_text(text) == text


@given(st.text(typed.filter(lambda char: char not in "\u2028\u2029")))
def test_typed_line_passes_clean_line_unchanged(text):
    assert clean_line(text) == text


@given(any_text)
def test_no_visible_character_is_lost(text):
    """Only controls, surrogates and noncharacters go; letters, marks, symbols stay in order."""
    visible = re.compile("[^\x00-\x20\x7f-\x9f\ud800-\udfff\ufffe\uffff\u2028\u2029]")
    assert visible.findall(clean_line(text)) == visible.findall(text)
    assert visible.findall(clean_text(text)) == visible.findall(text)


@pytest.mark.parametrize("text_format", ["html", "markdown", "plain"])
@pytest.mark.parametrize("reference", ["&#1;", "&#x7f;", "&#x9f;", "&#xfffe;", "&#xd800;", "&#0;"])
def test_character_references_never_render_to_control_characters(reference, text_format):
    """HTML parsing turns "&#1;" into U+0001 after the typed text was cleaned."""
    html = render(f"<p title='a{reference}b'>Sea{reference} song</p>", text_format)
    assert is_xml_char_data(html)


@given(any_text, st.sampled_from(["html", "markdown", "plain"]))
def test_rendered_text_is_always_xml_char_data(text, text_format):
    assert is_xml_char_data(render(clean_text(text), text_format))
