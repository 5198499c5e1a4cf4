"""Downloads: every format builds, EPUBs pass epubcheck, and files are cached per version."""

from __future__ import annotations

import io
import zipfile

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.formats.download_services import work_export
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.exporters.xhtml import to_xhtml
from fanarchive.formats.selectors import export_document
from fanarchive.works.services import ChapterInput, chapter_update

HOSTILE_TEXT = (
    '<p align="center">Centred <big>big</big> <tt>mono</tt> <strike>old</strike> '
    '<acronym title="x">ACR</acronym> <a href="/works/1">relative</a> '
    '<a href="https://example.org/" name="n">absolute</a></p>'
    '<center>Middle</center><img src="https://example.org/i.png" alt="a gull">'
    '<table border="1" summary="s" width="50%"><tr><td width="3" abbr="a">cell</td></tr></table>'
    '<hr class="scene-break"><p>After the break &amp; more\u00a0text.</p>'
    '<ul type="disc"><li>one</li></ul><ruby>字<rp>(</rp><rt>ji</rt><rp>)</rp></ruby>'
)


def test_epub_of_a_work_with_every_kind_of_markup_passes_epubcheck(user: User, epubcheck) -> None:
    work = make_work(
        user,
        chapters=2,
        texts=[HOSTILE_TEXT, "Second chapter.\n\n* * *\n\nThe end."],
        notes="Some <em>notes</em>.",
        endnotes="End <strong>notes</strong>.",
        relationships=["Mira/Tomas"],
        language="pt-BR",
    )
    data = FORMATS["epub"].build(export_document(work))
    epubcheck(data)
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "mimetype"
    assert {
        "EPUB/nav.xhtml",
        "EPUB/style.css",
        "EPUB/chapter-001.xhtml",
        "EPUB/afterword.xhtml",
    } <= set(names)


def test_single_chapter_epub_passes_epubcheck(user: User, epubcheck) -> None:
    work = make_work(user, summary="", notes="")
    epubcheck(FORMATS["epub"].build(export_document(work)))


def test_text_and_html_and_pdf(user: User) -> None:
    work = make_work(user, chapters=2, notes="Hello.")
    doc = export_document(work)
    text = FORMATS["txt"].build(doc).decode()
    assert text.startswith(f"Title: {work.title}\nAuthor: writer\nRating: General Audiences")
    assert "Chapter 2\n\n" in text
    page = FORMATS["html"].build(doc).decode()
    assert '<dl class="tags">' in page and "<h1>" in page
    pdf = FORMATS["pdf"].build(doc)
    assert pdf.startswith(b"%PDF")


def test_downloads_are_cached_and_rebuilt_when_the_work_changes(user: User) -> None:
    work = make_work(user, chapters=2)
    first = work_export(work=work, fmt="txt")
    assert work_export(work=work, fmt="txt") == first
    chapter = work.chapters.order_by("position").first()
    assert chapter is not None
    chapter_update(
        user=user,
        chapter=chapter,
        data=ChapterInput(text="A new first chapter.", text_format="plain"),
    )
    work.refresh_from_db()
    second = work_export(work=work, fmt="txt")
    assert second != first
    assert not first.exists()
    assert "A new first chapter." in second.read_text()


def test_epub_markup_keeps_no_anchor_without_a_target() -> None:
    # As stored before the sanitiser unwrapped emptied anchors, and links EPUB cannot keep.
    stored = (
        '<p>An <a rel="nofollow">emptied</a> link, a <a href="/works/1" rel="nofollow">'
        'relative</a> one, a <a name="fn1">named</a> anchor and a '
        '<a href="https://example.org/" rel="nofollow"><em>real</em> one</a>.</p>'
    )
    assert to_xhtml(stored) == (
        "<p>An emptied link, a relative one, a named anchor and a "
        '<a href="https://example.org/" rel="nofollow"><em>real</em> one</a>.</p>'
    )
