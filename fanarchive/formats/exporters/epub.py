"""EPUB 3, written directly with zipfile: small, fast, and valid by construction.

The book: a title page with AO3's meta block, title, byline, summary and notes;
one XHTML file per chapter with its heading, notes, text and end notes; an
afterword with the work's end notes; a navigation document; a stylesheet; and
the package document with title, creators, language, identifier, subjects and
the modified date. epubcheck passes it (tested).

The book's language (`<dc:language>`, `xml:lang`) is the work's; the words the archive
adds (labels, "Chapter 3", the contents) are in the language active while it is written,
the reader's (download_services).
"""

from __future__ import annotations

import io
import uuid
import zipfile
from html import escape

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fanarchive.core.text import html_to_text
from fanarchive.formats.exporters.xhtml import to_xhtml
from fanarchive.formats.selectors import META_LABELS, ExportDocument

MEDIA_TYPE = "application/epub+zip"
STYLESHEET = """\
body { font-family: serif; line-height: 1.5; margin: 0 5%; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
h1 { font-size: 1.6em; text-align: center; margin: 1em 0 0.3em; }
.byline { text-align: center; margin-bottom: 1.5em; }
dl.tags { font-size: 0.9em; border: 1px solid #999; padding: 0.5em; }
dl.tags dt { font-weight: bold; }
dl.tags dd { margin: 0 0 0.3em 1em; }
blockquote.userstuff { margin: 0.5em 1.5em; }
.meta p.label { font-weight: bold; margin-bottom: 0; }
.userstuff p { margin: 0 0 0.8em; }
hr.scene-break { border: none; text-align: center; margin: 1.2em 0; }
hr.scene-break::after { content: "* * *"; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
"""
CONTAINER = """<?xml version="1.0" encoding="UTF-8"?>
<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container">
  <rootfiles>
    <rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>
  </rootfiles>
</container>
"""


def _page(doc: ExportDocument, title: str, body: str) -> str:
    lang = escape(doc.language)
    epub_ns = ' xmlns:epub="http://www.idpf.org/2007/ops"'
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n'
        f'<html xmlns="http://www.w3.org/1999/xhtml"{epub_ns} xml:lang="{lang}" lang="{lang}">\n'
        f"<head><title>{escape(title)}</title>"
        '<link rel="stylesheet" type="text/css" href="style.css"/></head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    )


def _labelled(label: str, markup: str) -> str:
    if not markup:
        return ""
    quoted = f'<blockquote class="userstuff">{to_xhtml(markup)}</blockquote>\n'
    return f'<p class="label">{escape(label)}</p>\n{quoted}'


def count(value: int) -> str:
    """A number as the download's language writes it (1,234 or 1.234)."""
    return number_format(value, force_grouping=True)


def series_part(part: int, title: str) -> str:
    """ "Part 2 of Title" (plain text)."""
    return _("Part %(part)s of %(title)s") % {"part": part, "title": title}


def term(label: object) -> str:
    """A label before its value: "Rating:" (plain text)."""
    # Translators: a label before its value in a download ("Rating: Mature").
    return _("%(label)s:") % {"label": label}


def _meta_block(doc: ExportDocument) -> str:
    rows = []
    for tag_type, label in META_LABELS:
        names = doc.tags.get(tag_type)
        if names:
            tags = ", ".join(f'<span class="tag">{escape(n)}</span>' for n in names)
            rows.append(f"<dt>{escape(term(label))}</dt><dd>{tags}</dd>")
    # (Translated outside f-strings: xgettext does not look inside them.)
    language = escape(term(_("Language")))
    rows.append(f"<dt>{language}</dt><dd>{escape(doc.language_name)}</dd>")
    if doc.series:
        parts = ", ".join(
            f'<span class="series">{escape(series_part(part, title))}</span>'
            for part, title in doc.series
        )
        series = escape(term(pgettext("one series, a label in a download", "Series")))
        rows.append(f"<dt>{series}</dt><dd>{parts}</dd>")
    stats = []
    if doc.published:
        stats.append(term(_("Published")) + f" {doc.published:%Y-%m-%d}")
    if doc.revised and doc.published and doc.revised.date() != doc.published.date():
        revised = _("Completed") if doc.complete else _("Updated")
        stats.append(term(revised) + f" {doc.revised:%Y-%m-%d}")
    stats += [
        term(_("Words")) + " " + count(doc.words),
        term(_("Chapters")) + " " + doc.chapter_fraction,
    ]
    stats_label = escape(term(_("Stats")))
    rows.append(f"<dt>{stats_label}</dt><dd>{escape(' '.join(stats))}</dd>")
    return '<dl class="tags">\n' + "\n".join(rows) + "\n</dl>\n"


def byline(names: list[str]) -> str:
    """ "by A, B" with each name in its span (markup)."""
    creators = ", ".join(f'<span class="author">{escape(n)}</span>' for n in names)
    return _("by %(creators)s") % {"creators": creators}


def title_page(doc: ExportDocument) -> str:
    body = (
        '<div id="preface"><div class="meta">\n'
        + _meta_block(doc)
        + f"<h1>{escape(doc.title)}</h1>\n"
        + f'<div class="byline">{byline(doc.byline)}</div>\n'
        + _labelled(_("Summary"), doc.summary)
        + _labelled(_("Notes"), doc.notes)
        + "</div></div>"
    )
    return body


def chapter_body(doc: ExportDocument, index: int) -> str:
    chapter = doc.chapters[index]
    many = len(doc.chapters) > 1
    heading = f'<h2 class="heading">{escape(chapter.heading)}</h2>\n' if many else ""
    before = heading + _labelled(_("Chapter Summary"), chapter.summary)
    before += _labelled(_("Chapter Notes"), chapter.notes)
    after = _labelled(_("Chapter End Notes"), chapter.endnotes)
    return (
        f'<div class="chapter" id="chapter-{chapter.position}">\n'
        + (f'<div class="meta group">\n{before}</div>\n' if before else "")
        + f'<div class="userstuff">\n{to_xhtml(chapter.content)}\n</div>\n'
        + (f'<div class="meta group">\n{after}</div>\n' if after else "")
        + "</div>"
    )


def afterword(doc: ExportDocument) -> str:
    return (
        '<div id="afterword"><div class="meta">\n'
        + _labelled(_("End Notes"), doc.endnotes)
        + "</div></div>"
    )


def identifier(doc: ExportDocument) -> str:
    name = f"fanarchive:{doc.site_name}:work:{doc.work_id}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _package(doc: ExportDocument, items: list[tuple[str, str, str]]) -> str:
    subjects = "".join(
        f"<dc:subject>{escape(name)}</dc:subject>\n    "
        for tag_type, _label in META_LABELS[3:]
        for name in doc.tags.get(tag_type, [])
    )
    creators = "".join(f"<dc:creator>{escape(n)}</dc:creator>\n    " for n in doc.byline)
    summary = " ".join(html_to_text(doc.summary).split())
    description = f"<dc:description>{escape(summary)}</dc:description>\n    " if summary else ""
    collections = "".join(
        f'<meta property="belongs-to-collection" id="series-{n}">{escape(title)}</meta>\n    '
        f'<meta refines="#series-{n}" property="collection-type">series</meta>\n    '
        f'<meta refines="#series-{n}" property="group-position">{part}</meta>\n    '
        for n, (part, title) in enumerate(doc.series, start=1)
    )
    manifest = "\n    ".join(
        f'<item id="{item_id}" href="{href}" media-type="application/xhtml+xml"/>'
        for item_id, href, _title in items
    )
    spine = "\n    ".join(f'<itemref idref="{item_id}"/>' for item_id, _h, _t in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"
         unique-identifier="uid" xml:lang="{escape(doc.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">{identifier(doc)}</dc:identifier>
    <dc:title>{escape(doc.title)}</dc:title>
    <dc:language>{escape(doc.language)}</dc:language>
    {creators}{subjects}{description}{collections}<dc:publisher>{escape(doc.site_name)}</dc:publisher>
    <meta property="dcterms:modified">{doc.updated:%Y-%m-%dT%H:%M:%SZ}</meta>
    <meta name="generator" content="Fanarchive"/>
  </metadata>
  <manifest>
    <item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/>
    <item id="css" href="style.css" media-type="text/css"/>
    {manifest}
  </manifest>
  <spine>
    {spine}
  </spine>
</package>
"""


def _nav(doc: ExportDocument, items: list[tuple[str, str, str]]) -> str:
    entries = "\n".join(
        f'<li><a href="{href}">{escape(title)}</a></li>' for _id, href, title in items
    )
    body = (
        f'<nav epub:type="toc" id="toc"><h1>{escape(doc.title)}</h1>\n<ol>\n{entries}\n</ol></nav>'
    )
    return _page(doc, doc.title, body)


def export_epub(doc: ExportDocument) -> bytes:
    pages: list[tuple[str, str, str, str]] = [
        ("title", "title.xhtml", _("Preface"), title_page(doc))
    ]
    for index, chapter in enumerate(doc.chapters):
        label = chapter.heading if len(doc.chapters) > 1 else doc.title
        pages.append(
            (f"c{index + 1}", f"chapter-{index + 1:03d}.xhtml", label, chapter_body(doc, index))
        )
    if doc.endnotes:
        pages.append(("afterword", "afterword.xhtml", _("Afterword"), afterword(doc)))
    items = [(item_id, href, title) for item_id, href, title, _body in pages]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(zipfile.ZipInfo("mimetype"), MEDIA_TYPE, compress_type=zipfile.ZIP_STORED)

        def add(name: str, text: str) -> None:
            book.writestr(name, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)

        add("META-INF/container.xml", CONTAINER)
        add("EPUB/package.opf", _package(doc, items))
        add("EPUB/nav.xhtml", _nav(doc, items))
        add("EPUB/style.css", STYLESHEET)
        for _id, href, title, body in pages:
            add(f"EPUB/{href}", _page(doc, title, body))
    return buffer.getvalue()
