"""Each importer on fixtures written for it (see helpers.py)."""

from __future__ import annotations

import io
import zipfile

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy" codecs used below)
import pytest

from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.importers import titlerun
from fanarchive.formats.importers.registry import Source, parse_source
from fanarchive.formats.tests import helpers
from fanarchive.tags.fixed import (
    CHOSE_NOT_TO_WARN,
    GENERAL,
    NO_WARNINGS,
    NOT_RATED,
    TEEN,
)


def parse(name: str, data: bytes | str):
    return parse_source(Source(name, data.encode() if isinstance(data, str) else data))


# -- plain text -------------------------------------------------------------------------


def test_flattened_line_comes_back_as_paragraphs_scene_breaks_and_end_notes() -> None:
    parsed = parse("harbour.txt", helpers.FLATTENED)
    assert parsed.importer == "text"
    [chapter] = parsed.chapters
    blocks = chapter.text.split("\n\n")
    assert blocks.count("* * *") == 2
    paragraphs = [b for b in blocks if b != "* * *"]
    assert len(paragraphs) >= 7
    # Dialogue turns start their own paragraphs.
    assert any(p.startswith("\u201cEight?\u201d Tomas asked") for p in paragraphs)
    assert "Notes:" not in chapter.text
    assert "Thank you for reading!" in parsed.work.endnotes
    assert parsed.work.endnotes.startswith("<p>")
    # Nothing said about rating and warnings: the archive's defaults.
    assert parsed.work.rating == NOT_RATED
    assert parsed.work.warnings == [CHOSE_NOT_TO_WARN]
    assert parsed.work.title == "Harbour"


def test_header_block_and_leading_and_trailing_notes() -> None:
    text = (
        "Title: The Lighthouse Keeper\nAuthor: Wren Hollow\nRating: G\nFandom: Harbour Tales\n"
        "Warnings: None\nCategory: Gen, Romance\nCharacters: Mira Vale, Tomas\n"
        "Relationship: Mira/Tomas\nTags: Found Family\nSeries: Part 3 of Harbour Lights\n"
        "Summary: A keeper counts the boats.\nAnd one is missing.\n\n"
        "A/N: For my sister.\n\n"
        "The lantern swung.\n\nShe counted.\n\n~~~\n\nThe boat came home.\n\n"
        "Author's note: Thanks for reading <3\n"
    )
    parsed = parse("keeper.txt", text)
    work = parsed.work
    assert work.title == "The Lighthouse Keeper"
    assert parsed.creators == ["Wren Hollow"]
    assert work.rating == GENERAL
    assert work.warnings == [NO_WARNINGS]
    assert work.categories == ["Gen"]
    assert "Romance" in work.freeforms and "Found Family" in work.freeforms
    assert work.fandoms == ["Harbour Tales"]
    assert work.characters == ["Mira Vale", "Tomas"]
    assert work.relationships == ["Mira/Tomas"]
    assert parsed.series[0].title == "Harbour Lights" and parsed.series[0].part == 3
    assert "one is missing" in work.summary
    assert work.notes == "<p>For my sister.</p>"
    assert work.endnotes == "<p>Thanks for reading &lt;3</p>"
    assert parsed.chapters[0].text == (
        "The lantern swung.\n\nShe counted.\n\n* * *\n\nThe boat came home."
    )


@pytest.mark.parametrize("marker", ["★", "☆ ☆ ☆", "***", "* * *", "~~~", "---", "oOo", "<3<3"])
def test_scene_break_markers_on_their_own_line(marker: str) -> None:
    parsed = parse("a.txt", f"Fandom: X\nTitle: Y\n\nFirst part here.\n\n{marker}\n\nSecond part.")
    assert parsed.chapters[0].text == "First part here.\n\n* * *\n\nSecond part."


def test_yaml_front_matter_and_chapters() -> None:
    text = (
        "---\ntitle: Two Lamps\nauthor: [Wren Hollow, Ash Fenn]\nrating: Teen And Up Audiences\n"
        "fandoms: [Harbour Tales]\nwarnings: No Archive Warnings Apply\nlanguage: Deutsch\n---\n"
        "Chapter 1: Dusk\n\nThe first lamp was lit.\n\n"
        "Chapter 2 - Dawn\n\nThe second lamp went out.\n"
    )
    parsed = parse("lamps.txt", text)
    assert parsed.work.title == "Two Lamps"
    assert parsed.creators == ["Wren Hollow", "Ash Fenn"]
    assert parsed.work.rating == TEEN
    assert parsed.work.language == "de"
    assert [c.title for c in parsed.chapters] == ["Dusk", "Dawn"]
    assert parsed.work.expected_chapters == 2


def test_encodings_and_mojibake() -> None:
    text = "Title: Café\nFandom: X\n\n\u201cNaïve,\u201d she said \u2014 and then\u2026 nothing."
    for data in (
        text.encode("utf-8"),
        text.encode("utf-8-sig"),
        text.encode("utf-16"),
        text.encode("cp1252"),
        # Mojibake: UTF-8 read as Windows-1252 and saved again.
        text.encode("utf-8").decode("sloppy-windows-1252").encode("utf-8"),
    ):
        parsed = parse("cafe.txt", data)
        assert parsed.work.title == "Café"
        assert "\u201cNaïve,\u201d she said \u2014 and then\u2026" in parsed.chapters[0].text
    latin = "Title: Déjà vu\nFandom: X\n\nÀ bientôt, señor.".encode("latin-1")
    assert parse("latin.txt", latin).work.title == "Déjà vu"


# -- markdown and HTML ------------------------------------------------------------------


def test_markdown_with_front_matter() -> None:
    text = (
        "---\ntitle: Tide Tables\nfandom: Harbour Tales\nrating: General Audiences\n---\n\n"
        "The *tide* came in.\n\n---\n\nAnd **out** again.\n"
    )
    parsed = parse("tide.md", text)
    assert parsed.importer == "markdown"
    assert parsed.chapters[0].text_format == "markdown"
    assert parsed.work.title == "Tide Tables"
    assert "* * *" in parsed.chapters[0].text


def test_html_whole_work_with_chapters() -> None:
    page = (
        "<html lang='fr'><head><title>Les Phares</title><meta name='author' content='Wren'>"
        "<meta name='description' content='Deux phares.'></head><body><h1>Les Phares</h1>"
        "<h2>Chapter 1: Nord</h2><p>Le premier phare.</p><h2>Chapter 2: Sud</h2>"
        "<p>Le second phare.</p></body></html>"
    )
    parsed = parse("phares.html", page)
    assert parsed.importer == "html"
    assert parsed.work.title == "Les Phares"
    assert parsed.work.language == "fr"
    assert parsed.creators == ["Wren"]
    assert [c.title for c in parsed.chapters] == ["Nord", "Sud"]
    assert parsed.chapters[1].text == "<p>Le second phare.</p>"


def test_ao3_html_download() -> None:
    parsed = parse("night_ferry.html", helpers.AO3_HTML)
    work = parsed.work
    assert parsed.importer == "ao3-html"
    assert work.title == "The Night Ferry"
    assert parsed.creators == ["pilot_fish"]
    assert work.rating == TEEN
    assert work.warnings == [NO_WARNINGS]
    assert work.categories == ["F/F", "Gen"]
    assert work.fandoms == ["River Ports"]
    assert work.relationships == ["Ines/Odile"]
    assert work.characters == ["Ines", "Odile"]
    assert work.freeforms == ["Slow Burn", "Boats"]
    assert parsed.series[0].title == "River Nights" and parsed.series[0].part == 2
    assert work.summary == "<p>Two ferry pilots and one long night.</p>"
    assert work.notes == "<p>Written for a river prompt.</p>"
    assert work.endnotes == "<p>Thanks for reading.</p>"
    first, second = parsed.chapters
    assert (first.title, second.title) == ("Departure", "Arrival")
    assert first.notes == "<p>The first half.</p>"
    assert first.endnotes == "<p>More soon.</p>"
    assert '<hr class="scene-break">' in first.text
    assert second.text == "<p>They reached the far bank as the sky went grey.</p>"


# -- EPUB -------------------------------------------------------------------------------


def test_generic_epub() -> None:
    data = helpers.make_epub(
        chapters=[("Chapter 1: The Valley", helpers.PARAGRAPHS), ("The Pass", helpers.PARAGRAPHS)]
    )
    parsed = parse("salt.epub", data)
    assert parsed.importer == "epub"
    assert parsed.work.title == "The Salt Road"
    assert parsed.creators == ["Wren Hollow"]
    assert parsed.work.summary == "A courier carries salt across the hills."
    assert "Road Trip" in parsed.work.freeforms
    assert [c.title for c in parsed.chapters] == ["The Valley", "The Pass"]
    assert "<h2>" not in parsed.chapters[0].text
    assert "personal insult" in parsed.chapters[0].text


def test_fanficfare_epub_metadata_from_title_page() -> None:
    parsed = parse("salt_fff.epub", helpers.make_fanficfare_epub())
    work = parsed.work
    assert parsed.importer == "fanficfare"
    assert work.title == "The Salt Road"
    assert parsed.creators == ["Wren Hollow"]
    assert work.fandoms == ["Hill Country Chronicles"]
    assert work.rating == TEEN
    assert work.warnings == [NO_WARNINGS]
    assert work.characters == ["Ash Fenn", "Mara Quill"]
    assert work.relationships == ["Ash Fenn & Mara Quill"]
    assert work.freeforms == ["Adventure", "Friendship"]
    assert parsed.series[0].title == "Salt and Stone" and parsed.series[0].part == 2
    assert "<i>salt</i>" in work.summary
    assert [c.title for c in parsed.chapters] == ["The Valley", "The Pass"]


# -- chapter titles ---------------------------------------------------------------------

# (heading in the file, the title kept): a title is the writer's, unless it is the
# archive's own "Chapter N" for the chapter's own position N.
HEADINGS = [
    ("Chapter 1", ""),
    ("Chapter 3", "Chapter 3"),
    ("Chapter 3: The Storm", "The Storm"),
    ("Chapter Four", ""),
    ("Chapter 7: Tide", "Chapter 7: Tide"),
    ("Part 6", "Part 6"),
]
TITLES = [title for _heading, title in HEADINGS]


def _text_with(headings: list[str]) -> str:
    body = "".join(f"{h}\n\nThe lantern swung in part {n}.\n\n" for n, h in enumerate(headings))
    return "Title: Lamps\nFandom: Harbour Tales\n\n" + body


def _html_with(headings: list[str]) -> str:
    body = "".join(
        f"<h2>{h}</h2><p>The lantern swung in part {n}.</p>" for n, h in enumerate(headings)
    )
    return f"<html><head><title>Lamps</title></head><body><h1>Lamps</h1>{body}</body></html>"


def _ao3_with(headings: list[str]) -> str:
    chapters = "".join(
        f'<div class="meta group"><h2 class="heading">{h}</h2></div>'
        f'<div class="userstuff"><p>The lantern swung in part {n}.</p></div>'
        for n, h in enumerate(headings)
    )
    start, end = (
        helpers.AO3_HTML.index('<div id="chapters"'),
        helpers.AO3_HTML.index('<div id="afterword"'),
    )
    return (
        helpers.AO3_HTML[:start]
        + f'<div id="chapters" class="userstuff">{chapters}</div>'
        + helpers.AO3_HTML[end:]
    )


@pytest.mark.parametrize(
    ("name", "make"),
    [
        ("lamps.txt", lambda hs: _text_with(hs).encode()),
        ("lamps.md", lambda hs: _text_with([f"## {h}" for h in hs]).encode()),
        ("lamps.html", lambda hs: _html_with(hs).encode()),
        (
            "lamps.epub",
            lambda hs: helpers.make_epub(chapters=[(h, helpers.PARAGRAPHS) for h in hs]),
        ),
        (
            "fff.epub",
            lambda hs: helpers.make_fanficfare_epub([(h, helpers.PARAGRAPHS) for h in hs]),
        ),
    ],
)
def test_chapter_titles_are_kept_unless_they_are_the_archives_own(name, make) -> None:
    parsed = parse(name, make([heading for heading, _title in HEADINGS]))
    assert [c.title for c in parsed.chapters] == TITLES


def test_ao3_chapter_titles_that_look_generic_are_kept() -> None:
    # AO3 numbers its headings itself: "Chapter 3: Chapter 2" is chapter 3 titled
    # "Chapter 2"; a number that is not the chapter's own is the writer's, kept.
    headings = [
        "Chapter 1: Prologue",
        "Chapter 2",
        "Chapter 3: Chapter 2",
        "Chapter 4: Part 6",
        "Chapter 9: Odd",
    ]
    parsed = parse("ferry.html", _ao3_with(headings))
    assert parsed.importer == "ao3-html"
    titles = ["Prologue", "", "Chapter 2", "Part 6", "Chapter 9: Odd"]
    assert [c.title for c in parsed.chapters] == titles


def test_fanficfare_epub_with_a_prologue_keeps_every_chapter_title() -> None:
    headings = ["Prologue", *[f"Chapter {n}" for n in range(1, 9)]]
    parsed = parse(
        "fff.epub", helpers.make_fanficfare_epub([(h, helpers.PARAGRAPHS) for h in headings])
    )
    assert parsed.importer == "fanficfare"
    assert [c.title for c in parsed.chapters] == headings
    assert parsed.chapters[7].title == "Chapter 7"


# -- broken and hostile files -----------------------------------------------------------


def test_epub_whose_spine_names_a_missing_file() -> None:
    broken = helpers.make_epub(
        chapters=[("One", helpers.PARAGRAPHS), ("Two", helpers.PARAGRAPHS)],
        leave_out="chapter2.xhtml",
    )
    with pytest.raises(ImportFailed) as caught:
        parse("broken.epub", broken)
    assert str(caught.value) == (
        "broken.epub: the spine names OEBPS/chapter2.xhtml, which is not in the file."
    )


def test_truncated_epub() -> None:
    data = helpers.make_epub(chapters=[("One", helpers.PARAGRAPHS)])
    with pytest.raises(ImportFailed, match=r"^cut\.epub: .*truncated"):
        parse("cut.epub", data[: len(data) // 2])


def test_binary_garbage() -> None:
    garbage = bytes(range(256)) * 40
    with pytest.raises(ImportFailed, match=r"^noise\.txt: is not a text file"):
        parse("noise.txt", garbage)


def test_invalid_utf8_names_the_line() -> None:
    data = "Title: Ok\n\nline two \u00e9\nline three ".encode() + b"\xff\xfe broken"
    with pytest.raises(ImportFailed, match=r"^bad\.txt, line 4: is not valid UTF-8"):
        parse("bad.txt", data)


def test_file_over_the_size_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    from fanarchive.formats import limits

    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 1_000)
    with pytest.raises(ImportFailed, match=r"^big\.txt: .*files over"):
        parse("big.txt", "word " * 1_000)


def test_empty_file() -> None:
    with pytest.raises(ImportFailed, match=r"^empty\.txt: is empty"):
        parse("empty.txt", "  \n")


def test_epub_chapter_heading_that_says_more_than_its_navigation_label() -> None:
    headings = ["Prologue", "Chapter 1: Snow", "Chapter 2"]
    book = helpers.make_epub(chapters=[(h, helpers.PARAGRAPHS) for h in headings])
    members = {
        i.filename: z.read(i) for z in [zipfile.ZipFile(io.BytesIO(book))] for i in z.infolist()
    }
    members["OEBPS/toc.ncx"] = members["OEBPS/toc.ncx"].replace(b"Chapter 1: Snow", b"Chapter 1")
    del members["mimetype"]
    parsed = parse("snow.epub", helpers.make_zip(members, epub=True))
    # The navigation says "Chapter 1", the heading "Chapter 1: Snow": the heading wins.
    assert [c.title for c in parsed.chapters] == ["Prologue", "Chapter 1: Snow", "Chapter 2"]


# -- scene breaks in HTML ---------------------------------------------------------------

# The plain-text importer's markers (test_scene_break_markers_on_their_own_line), as HTML.
MARKERS = ["★", "☆ ☆ ☆", "***", "* * *", "~~~", "---", "oOo", "&lt;3&lt;3", "*&nbsp;*&nbsp;*"]
HOLDERS = [
    '<p align="center">{}</p>',
    '<p style="text-align:center">{}</p>',
    "<center>{}</center>",
    '<div class="center"><b>{}</b></div>',
    "<p>{}</p>",
]


def _html_import(name: str, body: str):
    if name.endswith(".epub"):
        return parse(name, helpers.make_epub(chapters=[("The Pass", body)]))
    return parse(name, f"<html><head><title>Pass</title></head><body>{body}</body></html>")


@pytest.mark.parametrize("name", ["pass.html", "pass.epub"])
@pytest.mark.parametrize("holder", HOLDERS)
@pytest.mark.parametrize("marker", MARKERS)
def test_a_paragraph_holding_only_a_marker_is_a_scene_break(
    name: str, holder: str, marker: str
) -> None:
    body = f"<p>Before the pass.</p>{holder.format(marker)}<p>After it.</p>"
    [chapter] = _html_import(name, body).chapters
    assert chapter.text == '<p>Before the pass.</p><hr class="scene-break"><p>After it.</p>'


@pytest.mark.parametrize(
    "paragraph",
    ["<p>* * * and then</p>", "<p>**</p>", "<p>* <img src='https://e.org/a.png'> *</p>"],
)
def test_a_marker_in_running_text_stays_text(paragraph: str) -> None:
    [chapter] = _html_import("pass.html", f"<p>Before.</p>{paragraph}").chapters
    assert "scene-break" not in chapter.text


def test_ao3_download_with_a_centred_marker() -> None:
    page = helpers.AO3_HTML.replace(
        '<hr class="scene-break">', '<p align="center">~~~</p><p align="center">* * *</p>'
    )
    first = parse("ferry.html", page).chapters[0]
    assert first.text.count('<hr class="scene-break">') == 2


# -- pages that start oddly -------------------------------------------------------------


@pytest.mark.parametrize(
    "start",
    [
        "<!-- saved from url=(0042)https://example.org/works/1 -->\n",
        "<!-- one --><!-- two -->\n<!DOCTYPE html>\n",
        '<?xml version="1.0" encoding="utf-8"?>\n<!-- generated -->\n',
    ],
)
def test_html_beginning_with_a_comment(start: str) -> None:
    page = (
        f"{start}<html><head><title>The Quay</title></head><body>"
        "<p>The barges slept along the quay.</p><!-- in the body too --></body></html>"
        "<!-- and after the end -->"
    )
    parsed = parse("quay.html", page)
    assert parsed.work.title == "The Quay"
    assert parsed.chapters[0].text == "<p>The barges slept along the quay.</p>"


# -- a title run into the first sentence ------------------------------------------------

SNOW = "The snow had not stopped for a week, and the barracks smelled of wet wool."


@pytest.mark.parametrize(
    ("opening", "title"),
    [
        (f"Winter Quarters {SNOW}", "Winter Quarters"),
        (f"The Snow Queen {SNOW}", "The Snow Queen"),
        (f"Return of the Lantern Keeper {SNOW}", "Return of the Lantern Keeper"),
        ("When Harry Met Sally He laughed at the idea for a whole week.", "When Harry Met Sally"),
        ("Aftermath She counted the boats twice before she believed it.", "Aftermath"),
        ("A Keeper's Tale \u201cCome in,\u201d she said, and shut the door.", "A Keeper's Tale"),
        ("Salt and Stone It was the third winter on the hill road.", "Salt and Stone"),
    ],
)
def test_a_title_run_into_the_first_sentence_is_noticed(opening: str, title: str) -> None:
    assert titlerun.title_run(opening) == title


@pytest.mark.parametrize(
    "opening",
    [
        SNOW,
        "Harry Potter walked in.",
        "Harry Potter walked in and sat down by the fire without a word.",
        "Mira Vale The Second counted the boats.",  # no small letters after "The"
        "Yesterday I went down to the harbour to count the boats.",
        "On the night of the storm nobody slept in the lighthouse.",
        "When she came home the lamps were already lit in every window.",
        "\u201cSeven,\u201d she said. \u201cThere should be eight.\u201d",
        "Mr. Darcy The rain had not stopped all day long.",
        "Chapter One The snow had not stopped for a week.",
        "Winter Quarters The end.",  # too little sentence after it
        "Winter Quarters",
        "",
    ],
)
def test_normal_openings_propose_no_title(opening: str) -> None:
    assert titlerun.title_run(opening) == ""


def test_a_flattened_text_proposes_its_run_in_title_and_keeps_its_text() -> None:
    text = "Winter Quarters " + helpers.FLATTENED
    parsed = parse("harbour.txt", text)
    assert parsed.proposed_title == "Winter Quarters"
    assert parsed.work.title == "Harbour"  # proposed, not applied
    assert parsed.chapters[0].text.startswith("Winter Quarters The lantern swung")
    # A file that names its title proposes nothing.
    named = parse("harbour.txt", "Title: Lanterns\n\n" + text)
    assert named.proposed_title == "" and named.work.title == "Lanterns"
    assert parse("harbour.txt", helpers.FLATTENED).proposed_title == ""
