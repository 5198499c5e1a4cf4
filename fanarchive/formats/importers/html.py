"""HTML: one chapter or a whole work. Sanitised by the posting service like typed HTML."""

from __future__ import annotations

import re

import lxml.html

from fanarchive.core.text import TextFormat
from fanarchive.formats.importers import htmltools
from fanarchive.formats.importers.base import Importer, Source, fallback_title, register
from fanarchive.formats.importers.textwork import chapter_heading, chapter_title
from fanarchive.formats.parsed import Metadata, ParsedWork, build_work, split_tags
from fanarchive.works.services import ChapterInput

_HEADINGS = ("h1", "h2", "h3")


def chapters_from_body(
    body: lxml.html.HtmlElement, *, title: str
) -> tuple[list[ChapterInput], str]:
    """Chapters cut at "Chapter N" headings; the heading holding the title is dropped.

    Returns the chapters and the title found in the page when `title` is empty.
    """
    children = list(body)
    for child in children:
        if htmltools.local(child) == "h1" and not title:
            title = htmltools.text_of(child)
            child.drop_tree()
            break
        if htmltools.local(child) in _HEADINGS and htmltools.text_of(child) == title:
            child.drop_tree()
            break
    starts = [
        child
        for child in body
        if htmltools.local(child) in _HEADINGS
        and chapter_heading(htmltools.text_of(child)) is not None
    ]
    if len(starts) < 2 and not (starts and starts[0] is body[0]):
        return [ChapterInput(text=htmltools.inner_html(body), text_format=TextFormat.HTML)], title
    chapters: list[ChapterInput] = []
    current: ChapterInput | None = None
    parts: list[str] = []
    leading = [body.text or ""]
    for child in body:
        if child in starts:
            if current is not None:
                current.text = "".join(parts).strip()
                chapters.append(current)
            current = ChapterInput(
                text="",
                text_format=TextFormat.HTML,
                title=chapter_title(htmltools.text_of(child), len(chapters) + 1),
            )
            parts = [child.tail or ""]
            continue
        markup = lxml.html.tostring(child, encoding="unicode", with_tail=True)
        (parts if current is not None else leading).append(markup)
    if current is not None:
        current.text = "".join(parts).strip()
        chapters.append(current)
    if "".join(leading).strip() and chapters:
        chapters[0].notes = "".join(leading).strip()
    return chapters, title


def page_metadata(root: lxml.html.HtmlElement) -> Metadata:
    meta = Metadata()
    title = root.find(".//title")
    if title is not None:
        meta.title = htmltools.text_of(title)
    for element in root.iter("meta"):
        key = (element.get("name") or element.get("property") or "").lower()
        value = element.get("content") or ""
        if key in {"author", "dc.creator"}:
            meta.creators += split_tags(value)
        elif key in {"description", "dc.description"}:
            meta.summary = value
        elif key == "keywords":
            meta.freeforms += split_tags(value)
    meta.language = root.get("lang") or ""
    return meta


@register
class HtmlImporter(Importer):
    name = "html"
    label = "HTML"
    extensions = (".html", ".htm", ".xhtml")

    def sniff(self, source: Source) -> int:
        if source.extension in self.extensions:
            return 50
        head = source.head_text().lstrip()
        return 40 if re.match(r"(<!doctype html|<html|<\?xml[^>]*>\s*<html)", head) else 0

    def parse(self, source: Source) -> ParsedWork:
        root = htmltools.parse_document(source.data, source.name)
        htmltools.mark_scene_breaks(htmltools.body_of(root))
        meta = page_metadata(root)
        chapters, meta.title = chapters_from_body(htmltools.body_of(root), title=meta.title)
        return build_work(
            meta, chapters, importer=self.name, fallback_title=fallback_title(source.name)
        )
