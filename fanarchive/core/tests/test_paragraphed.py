"""The one rule for "this HTML lays out its own paragraphs", and what follows from it."""

import time

import pytest

from fanarchive.core.text import SCENE_BREAK_HTML, is_paragraphed, render
from fanarchive.formats.efiction.text import story_html


@pytest.mark.parametrize(
    "text",
    [
        "<p>One</p><p>Two</p>",
        "<div>One</div>",
        "Intro\n<blockquote>Quoted</blockquote>",
        "<ul><li>a</li></ul>",
        "<h2>Title</h2>\nText",
        "<P CLASS=x>Shouting tags</P>",
    ],
)
def test_paragraph_markup_means_paragraphed(text):
    assert is_paragraphed(text)


@pytest.mark.parametrize(
    "text",
    [
        "Plain lines\nonly",
        "One<br>two<br><br>three",
        "Before\n<center>* * *</center>\nAfter",
        "Before\n<hr>\nAfter",
        "<b>Bold</b> and <em>emphasis</em>",
        "<pre-formatted is not a tag>",
    ],
)
def test_line_breaks_rules_and_centring_are_not_paragraphs(text):
    assert not is_paragraphed(text)


def test_typed_html_with_a_centred_break_gets_paragraphs_and_a_scene_break():
    html = render("One line.\nAnother.\n\n<center>* * *</center>\n\nAfter.", "html")
    assert html == (f"<p>One line.<br>\nAnother.</p>\n{SCENE_BREAK_HTML}\n<p>After.</p>")


def test_a_centred_line_stands_between_paragraphs():
    html = render("Text before.\n<center><b>Part Two</b></center>\nText after.", "html")
    assert html == ("<p>Text before.</p>\n<center><b>Part Two</b></center>\n<p>Text after.</p>")


def test_br_only_html_gets_paragraphs_at_blank_lines():
    html = render("One<br>two\n\nThree", "html")
    assert html == "<p>One<br>\ntwo</p>\n<p>Three</p>"


def test_br_at_line_ends_is_one_break_and_a_run_of_them_a_paragraph():
    """HTML from an editor: `<br>` at each line end, `<br><br>` between paragraphs."""
    html = render("Line one<br>\nLine two<br />\n<br>\nLine three<br clear=all><br>Four", "html")
    assert html == "<p>Line one<br>\nLine two</p>\n<p>Line three</p>\n<p>Four</p>"


def test_the_efiction_text_and_the_posting_service_agree():
    """A text the migration leaves alone is one the renderer keeps, and the other way."""
    laid_out = "<p>One</p>\n<center>* * *</center>\n<p>Two</p>"
    assert story_html(laid_out) == laid_out
    assert render(laid_out, "html").count("<p>") == 2
    loose = "One.\n<center>* * *</center>\nTwo."
    rendered = render(story_html(loose), "html")
    assert rendered == f"<p>One.</p>\n{SCENE_BREAK_HTML}\n<p>Two.</p>"


@pytest.mark.parametrize(
    "hostile",
    [
        "<br>" + " " * 200_000 + "x",  # quadratic for a backtracking <br> pattern
        "<br" * 60_000,  # tags that never close
        "a<br> <br>\n" * 20_000,
        "<center>" + " " * 200_000 + "x",
    ],
    ids=["spaces", "unclosed", "many", "centre"],
)
def test_hostile_html_without_paragraphs_renders_in_linear_time(hostile):
    started = time.perf_counter()
    story_html(hostile)
    render(hostile, "html")
    assert time.perf_counter() - started < 5
