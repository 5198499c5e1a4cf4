import random

import pytest

from fanarchive.core.text import (
    _SIMPLE_WORD,
    SCENE_BREAK_HTML,
    count_html_words,
    count_words,
    html_to_text,
    render,
)


def test_plain_text_blank_lines_make_paragraphs_and_single_breaks_br():
    html = render("First line\nstill first.\n\nSecond paragraph.", "plain")
    assert html == "<p>First line<br>\nstill first.</p>\n<p>Second paragraph.</p>"


def test_plain_text_is_escaped_not_interpreted():
    html = render("<script>alert(1)</script> & <b>bold</b>", "plain")
    assert "<script>" not in html and "<b>" not in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html


@pytest.mark.parametrize("marker", ["***", "* * *", "~~~", "---", "★", "☆", "★ ★ ★", "*****"])
@pytest.mark.parametrize("text_format", ["plain", "markdown", "html"])
def test_scene_break_markers_become_scene_breaks(marker, text_format):
    html = render(f"Before the break.\n\n{marker}\n\nAfter the break.", text_format)
    assert html.count(SCENE_BREAK_HTML) == 1
    assert html.index("Before") < html.index(SCENE_BREAK_HTML) < html.index("After")


def test_scene_break_between_lines_without_blank_lines():
    html = render("one\n★\ntwo", "plain")
    assert html == f"<p>one</p>\n{SCENE_BREAK_HTML}\n<p>two</p>"


def test_markdown_renders_emphasis_and_is_sanitised():
    html = render("Some *quiet* **words**.\n\n<script>x()</script>", "markdown")
    assert "<em>quiet</em>" in html and "<strong>words</strong>" in html
    assert "script" not in html


def test_html_without_block_markup_gets_paragraphs_like_ao3():
    html = render("One <em>line</em>\nand more.\n\nTwo.", "html")
    assert html == "<p>One <em>line</em><br>\nand more.</p>\n<p>Two.</p>"


def test_html_with_its_own_paragraphs_is_kept():
    assert render("<p>One</p><p>Two</p>", "html") == "<p>One</p><p>Two</p>"


def test_curly_quotes_and_dashes_are_kept():
    text = "“Wait—please,” she said… ‘Fine.’"
    assert text in render(text, "plain")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("The quick brown fox jumps over the lazy dog.", 9),
        ("Don't stop — it's well-known, 42 times.", 6),
        ("“Hello,” she said… ‘goodbye.’", 4),
        ("  \n\t ", 0),
        ("Ça va très bien, naïve café.", 6),
    ],
)
def test_english_and_latin_words(text, words):
    assert count_words(text) == words


def test_the_fast_count_is_the_word_pattern_count():
    """count_words counts token by token; the rule is the pattern over the whole text."""
    rng = random.Random(7)
    alphabet = "ab Zé9_'’‘-—–. ,;:!?()[]…*~/«»“”\"\n\t²ⅷ٣e\u0301ßﬁ\u00a0\u2009x"
    for _ in range(5000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert count_words(text) == len(_SIMPLE_WORD.findall(text)), repr(text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("私は学生です。", 6),  # Han and Hiragana: one word per character, punctuation not
        ("カタカナ", 4),
        ("東京タワーへ行きました", 11),
        ("สวัสดีครับ", 10),  # Thai: per character
        ("Tokyo 東京 tower", 4),
        ("한국어 단어", 2),  # Hangul is written with spaces: counted as words
    ],
)
def test_han_kana_and_thai_are_counted_per_character(text, words):
    assert count_words(text) == words


def test_html_words_ignore_markup():
    assert count_html_words("<p>one <em>two</em></p><p>three</p><hr>") == 3
    assert html_to_text("<p>a</p><p>b</p>").split() == ["a", "b"]
