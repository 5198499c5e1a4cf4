"""FanFicFare EPUBs: metadata from its title page, chapters from the spine.

FanFicFare writes a title page (title_page.xhtml) with the title and author in
a heading and one "<b>Label:</b> value" line per field; its "Category" is the
fandom. The package document names FanFicFare as a contributor.
"""

from __future__ import annotations

import re

import lxml.html

from fanarchive.formats.importers import htmltools
from fanarchive.formats.importers.base import Importer, Source, fallback_title, register
from fanarchive.formats.importers.epub import chapters_of
from fanarchive.formats.importers.epubread import Book, Document, book_for_sniffing, open_book
from fanarchive.formats.parsed import Metadata, ParsedWork, build_work, series_from, split_tags

_FIELDS = {
    "category": "fandoms",
    "categories": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "genre": "freeforms",
    "genres": "freeforms",
    "additional tags": "freeforms",
    "freeform tags": "freeforms",
    "characters": "characters",
    "relationships": "relationships",
    "ships": "relationships",
    "pairings": "relationships",
    "rating": "rating",
    "warnings": "warnings",
    "language": "language",
    "series": "series",
    "summary": "summary",
    "description": "summary",
}


def _title_page(book: Book) -> Document | None:
    for doc in book.documents[:3]:
        if "title_page" in doc.href or "titlepage" in doc.href:
            return doc
    for doc in book.documents[:3]:
        if any(htmltools.text_of(b).endswith(":") for b in doc.root.iter("b")):
            return doc
    return None


def _value_after(label: lxml.html.HtmlElement) -> tuple[str, str]:
    """The text and markup between a <b>Label:</b> and the next label."""
    texts = [label.tail or ""]
    markup = [label.tail or ""]
    node = label.getnext()
    while node is not None and htmltools.local(node) not in {"b", "strong"}:
        if htmltools.local(node) != "br":
            texts.append(node.text_content())
            markup.append(lxml.html.tostring(node, encoding="unicode", with_tail=False))
        texts.append(node.tail or "")
        markup.append(node.tail or "")
        node = node.getnext()
    return " ".join("".join(texts).split()), "".join(markup).strip()


def read_title_page(doc: Document, meta: Metadata) -> None:
    heading = next(doc.root.iter("h1", "h2", "h3"), None)
    if heading is not None:
        links = [htmltools.text_of(a) for a in heading.iter("a")]
        text = htmltools.text_of(heading)
        match = re.match(r"(?P<title>.+?)\s+by\s+(?P<author>.+)$", text)
        if links:
            meta.title = links[0]
            meta.creators = links[1:] or meta.creators
        elif match:
            meta.title = match.group("title")
            meta.creators = split_tags(match.group("author"))
    for label in doc.root.iter("b", "strong"):
        key = htmltools.text_of(label).rstrip(":").strip().lower()
        target = _FIELDS.get(key)
        if target is None:
            continue
        text, markup = _value_after(label)
        if target == "summary":
            meta.summary = markup or text
        elif target == "rating":
            meta.rating = text
        elif target == "language":
            meta.language = text
        elif target == "series":
            meta.series = series_from(text)
        else:
            getattr(meta, target).extend(split_tags(text))


@register
class FanFicFareImporter(Importer):
    name = "fanficfare"
    label = "FanFicFare EPUB"
    extensions = (".epub",)

    def sniff(self, source: Source) -> int:
        book = book_for_sniffing(source)
        return 95 if book is not None and "fanficfare" in book.package.lower() else 0

    def parse(self, source: Source) -> ParsedWork:
        book = open_book(source)
        meta = Metadata(title=book.meta.title, creators=list(book.meta.creators))
        page = _title_page(book)
        if page is not None:
            read_title_page(page, meta)
        meta.language = meta.language or book.meta.language
        meta.series = meta.series or book.meta.series
        skip = {page.href} if page is not None else set()
        chapters = chapters_of(book, skip)
        return build_work(
            meta, chapters, importer=self.name, fallback_title=fallback_title(source.name)
        )
