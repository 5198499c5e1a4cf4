"""AO3 downloads (HTML, and EPUB through epub.py), laid out as in shared REFERENCE.

A preface with the meta list (`dl.tags`: Rating, Archive Warning, Category,
Fandom, Relationship, Character, Additional Tags, Language, Series, Stats), the
title (h1), byline, summary and notes; then chapters, each with a heading
"Chapter N: Title", optional summary and notes, the text in a `div.userstuff`,
and end notes; an afterword with the work's end notes. Fanarchive's own HTML and
EPUB downloads use the same layout, so they come back in unchanged.
"""

from __future__ import annotations

import re

import lxml.html

from fanarchive.core.text import TextFormat
from fanarchive.formats.importers import htmltools
from fanarchive.formats.importers.base import Importer, Source, fallback_title, register
from fanarchive.formats.importers.epub import combined
from fanarchive.formats.importers.epubread import book_for_sniffing, open_book
from fanarchive.formats.importers.textwork import chapter_title
from fanarchive.formats.parsed import Metadata, ParsedWork, build_work, series_from, split_tags
from fanarchive.works.services import ChapterInput

_CHAPTER = re.compile(r"^Chapter\s+\d+\s*(?::\s*(?P<title>.*))?$", re.IGNORECASE)
_META_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "freeforms",
    "language": "language",
    "series": "series",
}
_LABELS = {
    "summary": "summary",
    "notes": "notes",
    "end notes": "endnotes",
    "chapter summary": "chapter_summary",
    "chapter notes": "chapter_notes",
    "chapter end notes": "chapter_endnotes",
}


def _label(element: lxml.html.HtmlElement) -> str | None:
    if htmltools.local(element) not in {"p", "h2", "h3", "h4", "h5", "b", "strong", "div"}:
        return None
    text = htmltools.text_of(element).rstrip(":").strip().lower()
    return _LABELS.get(text) if len(text) < 30 else None


def _tag_names(dd: lxml.html.HtmlElement) -> list[str]:
    links = [htmltools.text_of(a) for a in dd.iter("a")]
    links = links or [
        htmltools.text_of(s) for s in dd.iter("span") if "tag" in htmltools.classes(s)
    ]
    return [name for name in links if name] or split_tags(htmltools.text_of(dd))


def read_meta_list(root: lxml.html.HtmlElement, meta: Metadata) -> bool:
    """Fill `meta` from the first `dl` that holds a "Rating:" entry."""
    for dl in root.iter("dl"):
        terms = [(htmltools.text_of(dt).rstrip(":").strip().lower(), dt) for dt in dl.iter("dt")]
        if not any(term in {"rating", "ratings"} for term, _ in terms):
            continue
        for term, dt in terms:
            dd = dt.getnext()
            target = _META_FIELDS.get(term)
            if dd is None or htmltools.local(dd) != "dd" or target is None:
                continue
            if target == "rating":
                meta.rating = (_tag_names(dd) or [""])[0]
            elif target == "language":
                meta.language = htmltools.text_of(dd)
            elif target == "series":
                # One span per series in Fanarchive's downloads; else the whole entry.
                spans = [s for s in dd.iter("span") if "series" in htmltools.classes(s)]
                for entry in spans or [dd]:
                    meta.series += series_from(htmltools.text_of(entry))
            else:
                getattr(meta, target).extend(_tag_names(dd))
        dl.drop_tree()
        return True
    return False


class _Walker:
    """Walks the document in order, collecting notes and chapters."""

    def __init__(self) -> None:
        self.meta = Metadata()
        self.chapters: list[ChapterInput] = []
        self.pending: str | None = None

    def _chapter(self) -> ChapterInput:
        if not self.chapters:
            self.chapters.append(ChapterInput(text="", text_format=TextFormat.HTML))
        return self.chapters[-1]

    def _store(self, label: str, markup: str) -> None:
        if label in {"summary", "notes"} and not self.chapters:
            setattr(self.meta, label, markup)
        elif label == "endnotes":
            self.meta.endnotes = markup
        elif label == "notes":
            # AO3 puts a one-chapter work's chapter notes under "Notes" too.
            self._chapter().notes = markup
        elif label.startswith("chapter_"):
            setattr(self._chapter(), label.removeprefix("chapter_"), markup)

    def walk(self, element: lxml.html.HtmlElement) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = htmltools.local(child)
            css = htmltools.classes(child)
            text = htmltools.text_of(child) if tag in {"h1", "h2", "h3"} else ""
            if tag == "h1" and not self.meta.title:
                self.meta.title = text
            elif tag in {"h2", "h3"} and _CHAPTER.match(text):
                # The whole heading for now: its number is checked against the
                # chapter's position once all chapters are known (parse_ao3).
                self.chapters.append(ChapterInput(text="", text_format=TextFormat.HTML, title=text))
            elif "byline" in css:
                names = [htmltools.text_of(a) for a in child.iter("a")] or [
                    htmltools.text_of(s)
                    for s in child.iter("span")
                    if "author" in htmltools.classes(s)
                ]
                if not names:
                    names = split_tags(
                        re.sub(r"^\s*by\s+", "", htmltools.text_of(child), flags=re.I)
                    )
                self.meta.creators = [n for n in names if n]
            elif _label(child):
                self.pending = _label(child)
            elif tag == "blockquote" and self.pending:
                self._store(self.pending, htmltools.inner_html(child))
                self.pending = None
            elif (
                tag == "div"
                and "userstuff" in css
                and not child.xpath(
                    ".//div[contains(concat(' ', normalize-space(@class), ' '), ' userstuff ')]"
                )
            ):
                chapter = self._chapter()
                if chapter.text:
                    self.chapters.append(ChapterInput(text="", text_format=TextFormat.HTML))
                    chapter = self.chapters[-1]
                chapter.text = htmltools.inner_html(child)
            elif "message" in css:
                continue
            else:
                self.walk(child)


def _title_part(heading: str) -> str:
    """What a "Chapter N: Title" heading says besides the number."""
    match = _CHAPTER.match(heading)
    return (match.group("title") or "").strip() if match else heading


def parse_ao3(root: lxml.html.HtmlElement, source: Source, *, importer: str) -> ParsedWork:
    meta = Metadata()
    read_meta_list(root, meta)
    walker = _Walker()
    body = htmltools.body_of(root)
    htmltools.mark_scene_breaks(body)
    walker.walk(body)
    for name in ("title", "creators", "summary", "notes", "endnotes"):
        setattr(meta, name, getattr(walker.meta, name))
    chapters = [c for c in walker.chapters if c.text.strip() or _title_part(c.title)]
    for position, chapter in enumerate(chapters, start=1):
        chapter.title = chapter_title(chapter.title, position)
    return build_work(meta, chapters, importer=importer, fallback_title=fallback_title(source.name))


def looks_like_ao3(head: bytes) -> bool:
    head = head.lower()
    return (b'class="tags"' in head and b"rating" in head) or b'id="preface"' in head


@register
class Ao3HtmlImporter(Importer):
    name = "ao3-html"
    label = "AO3 download (HTML)"
    extensions = (".html", ".htm")

    def sniff(self, source: Source) -> int:
        if source.is_zip:
            return 0
        return 90 if looks_like_ao3(source.data[:65_536]) else 0

    def parse(self, source: Source) -> ParsedWork:
        root = htmltools.parse_document(source.data, source.name)
        return parse_ao3(root, source, importer=self.name)


@register
class Ao3EpubImporter(Importer):
    name = "ao3-epub"
    label = "AO3 download (EPUB)"
    extensions = (".epub",)

    def sniff(self, source: Source) -> int:
        book = book_for_sniffing(source)
        if book is None:
            return 0
        if "Archive of Our Own" in book.package or "Fanarchive" in book.package:
            return 90
        for doc in book.documents[:3]:
            for dl in doc.root.iter("dl"):
                if "rating" in htmltools.text_of(dl).lower():
                    return 90
        return 0

    def parse(self, source: Source) -> ParsedWork:
        book = open_book(source)
        parsed = parse_ao3(combined(book), source, importer=self.name)
        if not parsed.creators:
            parsed.creators = book.meta.creators
        return parsed
