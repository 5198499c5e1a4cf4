"""Each importer on fixtures written for it (see helpers.py)."""

from __future__ import annotations

import ftfy.bad_codecs  # noqa: F401  (registers the "sloppy" codecs used below)
import pytest

from fanarchive.formats.errors import ImportFailed
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
