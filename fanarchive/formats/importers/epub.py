"""EPUB: chapters from the spine, titled from the navigation; metadata from the package."""

from __future__ import annotations

import copy
import re

import lxml.html
from django.utils.translation import gettext as _

from fanarchive.core.text import TextFormat
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.importers import htmltools
from fanarchive.formats.importers.base import Importer, Source, fallback_title, register
from fanarchive.formats.importers.epubread import Book, Document, is_epub, open_book
from fanarchive.formats.importers.textwork import chapter_heading, chapter_title
from fanarchive.formats.parsed import ParsedWork, build_work
from fanarchive.works.services import ChapterInput

_FRONT_MATTER = re.compile(r"^(cover|title ?page|table of contents|contents|toc|copyright)$", re.I)
_FRONT_FILE = re.compile(r"(cover|title_?page|titlepage|toc|nav|log_page|info)", re.I)


def _is_front_matter(book: Book, doc: Document) -> bool:
    if "nav" in doc.properties or doc.href == book.nav_href or not doc.linear:
        return True
    label = book.nav_titles.get(doc.href, "")
    if _FRONT_MATTER.match(label.strip()):
        return True
    words = len(htmltools.text_of(htmltools.body_of(doc.root)).split())
    return bool(_FRONT_FILE.search(doc.href.rsplit("/", 1)[-1])) and words < 300


def _says_more(heading: str, label: str) -> bool:
    """Whether a heading is the navigation label and more ("Chapter 7: Snow" for
    "Chapter 7"), or there is no label."""
    rest = heading.removeprefix(label) if heading.startswith(label) else None
    return not label or (rest is not None and rest[:1] in {"", " ", ":", ".", "-", "–", "—"})


def chapter_from(book: Book, doc: Document, position: int) -> ChapterInput | None:
    """The chapter at `position` from a spine document, titled from the navigation or
    its first heading (which then leaves the text)."""
    body = copy.deepcopy(htmltools.body_of(doc.root))
    htmltools.mark_scene_breaks(body)
    label = book.nav_titles.get(doc.href, "")
    first = next((c for c in body.iter("h1", "h2", "h3") if htmltools.text_of(c)), None)
    title = label
    if first is not None:
        heading = htmltools.text_of(first)
        if not title or heading == label or chapter_heading(heading) is not None:
            title = heading if _says_more(heading, title) else title
            first.drop_tree()
    title = chapter_title(title, position)
    text = htmltools.inner_html(body)
    if not htmltools.text_of(body):
        return None
    return ChapterInput(text=text, text_format=TextFormat.HTML, title=title)


def chapters_of(book: Book, skip: set[str] | None = None) -> list[ChapterInput]:
    chapters: list[ChapterInput] = []
    for doc in book.documents:
        if doc.href in (skip or set()) or _is_front_matter(book, doc):
            continue
        chapter = chapter_from(book, doc, len(chapters) + 1)
        if chapter is not None:
            chapters.append(chapter)
    if not chapters:
        raise ImportFailed(book.name, _("has no chapter with any text in it."))
    if len(chapters) == 1 and chapters[0].title == book.meta.title:
        chapters[0].title = ""
    return chapters


def combined(book: Book) -> lxml.html.HtmlElement:
    """Every spine document's body in one page, for readers of one-page layouts (AO3)."""
    root = lxml.html.document_fromstring("<html><body></body></html>")
    body = htmltools.body_of(root)
    for doc in book.documents:
        if "nav" in doc.properties:
            continue
        section = lxml.html.Element("div")
        for child in htmltools.body_of(doc.root):
            section.append(copy.deepcopy(child))
        body.append(section)
    return root


@register
class EpubImporter(Importer):
    name = "epub"
    label = "EPUB"
    extensions = (".epub",)

    def sniff(self, source: Source) -> int:
        return 60 if is_epub(source) else 0

    def parse(self, source: Source) -> ParsedWork:
        book = open_book(source)
        return build_work(
            book.meta,
            chapters_of(book),
            importer=self.name,
            fallback_title=fallback_title(source.name),
        )
