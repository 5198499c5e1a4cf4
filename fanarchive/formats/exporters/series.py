"""Series downloads: the series' front matter, then each part as its own work's download
shows it (its title page with the meta block, its chapters, its afterword).

Composed from the single-work exporters' pieces (`epub.title_page`, `chapter_body`,
`afterword`, `text.export_text`), so a part reads exactly as the work's own download.
The pieces carry fixed ids (preface, chapter-N, afterword) meant for one work per page;
in the one-page formats (HTML, PDF) each part's are renamed so ids stay unique.
"""

from __future__ import annotations

import io
import uuid
import zipfile
from collections.abc import Callable
from html import escape

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from fanarchive.core.text import html_to_text
from fanarchive.formats.exporters import epub, pdf, text
from fanarchive.formats.selectors import ExportDocument
from fanarchive.formats.series_documents import SeriesDocument

SERIES_CSS = """
.series-front h1 { font-size: 1.9em; }
.series-front p.parts { text-align: center; }
"""
SERIES_PRINT_CSS = """
.series-front { page-break-after: always; }
.preface.part { page-break-before: always; }
.chapters > .chapter { page-break-before: always; }
.chapters > .chapter:first-child { page-break-before: auto; }
.afterword { page-break-before: always; }
.series-front h1 { bookmark-level: 1; }
.preface h1 { bookmark-level: 1; }
h2.heading { bookmark-level: 2; }
"""


def _byline(names: list[str]) -> str:
    return ", ".join(f'<span class="author">{escape(n)}</span>' for n in names)


def _works(sdoc: SeriesDocument) -> str:
    """ "3 works", or "3 works, complete" (plain text)."""
    count = len(sdoc.parts)
    if sdoc.complete:
        text = ngettext("%(count)s work, complete", "%(count)s works, complete", count)
    else:
        text = ngettext("%(count)s work", "%(count)s works", count)
    return text % {"count": count}


def _front(sdoc: SeriesDocument, contents: str) -> str:
    """The series' own title page: title, creators, summary, notes, and its parts."""
    by = _("A series by %(creators)s") % {"creators": _byline(sdoc.byline)}
    return (
        '<div class="series-front meta">\n'
        + f"<h1>{escape(sdoc.title)}</h1>\n"
        + f'<div class="byline">{by}</div>\n'
        + f'<p class="parts">{escape(_works(sdoc))}</p>\n'
        + epub._labelled(_("Series Summary"), sdoc.summary)
        + epub._labelled(_("Series Notes"), sdoc.notes)
        + contents
        + "</div>"
    )


def _part_markup(number: int, doc: ExportDocument) -> str:
    """One part for a one-page file, its fixed ids prefixed with the part number."""
    preface = epub.title_page(doc).replace(
        '<div id="preface">', f'<div class="preface part" id="part-{number}">', 1
    )
    chapters = "\n".join(
        epub.chapter_body(doc, index).replace(
            f'id="chapter-{chapter.position}"',
            f'id="part-{number}-chapter-{chapter.position}"',
            1,
        )
        for index, chapter in enumerate(doc.chapters)
    )
    end = ""
    if doc.endnotes:
        end = epub.afterword(doc).replace('<div id="afterword">', '<div class="afterword">', 1)
    return f'{preface}\n<div class="userstuff chapters">\n{chapters}\n</div>\n{end}'


def series_html_document(sdoc: SeriesDocument, *, extra_css: str = "") -> str:
    entries = "\n".join(
        "<li>"
        + _("%(title)s by %(creators)s")
        % {
            "title": f'<a href="#part-{n}">{escape(doc.title)}</a>',
            "creators": escape(", ".join(doc.byline)),
        }
        + "</li>"
        for n, doc in enumerate(sdoc.parts, start=1)
    )
    heading = escape(_("Contents"))
    contents = f'<nav class="toc"><h2>{heading}</h2><ol>\n{entries}\n</ol></nav>\n'
    parts = "\n".join(_part_markup(n, doc) for n, doc in enumerate(sdoc.parts, start=1))
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(sdoc.language)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(sdoc.title)}</title>\n"
        '<meta name="generator" content="Fanarchive">\n'
        + "".join(f'<meta name="author" content="{escape(n)}">\n' for n in sdoc.byline)
        + f"<style>\n{epub.STYLESHEET}{SERIES_CSS}{extra_css}</style>\n</head>\n<body>\n"
        + _front(sdoc, contents)
        + "\n"
        + parts
        + "\n</body>\n</html>\n"
    )


def export_series_html(sdoc: SeriesDocument) -> bytes:
    return series_html_document(sdoc).encode("utf-8")


def export_series_pdf(sdoc: SeriesDocument) -> bytes:
    from weasyprint import HTML  # imported here, as in pdf.py: loading Pango takes a moment

    css = pdf.PRINT_CSS + SERIES_PRINT_CSS
    markup = series_html_document(sdoc, extra_css=css)
    document = HTML(string=markup, base_url=None, url_fetcher=pdf._no_fetch).write_pdf()
    return bytes(document or b"")


def export_series_text(sdoc: SeriesDocument) -> bytes:
    header = [
        text.field(pgettext("one series, a label in a download", "Series"), sdoc.title),
        text.field(_("Author"), ", ".join(sdoc.byline)),
    ]
    header.append(text.field(_("Works"), _works(sdoc)))
    blocks = ["\n".join(header)]
    blocks += text._section(_("Series Summary"), sdoc.summary)
    blocks += text._section(_("Series Notes"), sdoc.notes)
    blocks.append(
        epub.term(_("Contents"))
        + "\n"
        + "\n".join(
            _("Part %(part)s: %(title)s") % {"part": n, "title": doc.title}
            for n, doc in enumerate(sdoc.parts, start=1)
        )
    )
    rule = "=" * 60
    for n, doc in enumerate(sdoc.parts, start=1):
        blocks.append(f"{rule}\n{epub.series_part(n, sdoc.title)}\n{rule}")
        blocks.append(text.export_text(doc).decode("utf-8").rstrip("\n"))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


# -- EPUB ---------------------------------------------------------------------------------

# (manifest id, file name, title in the contents, XHTML body, the part's document)
Page = tuple[str, str, str, str, ExportDocument]


def _part_pages(number: int, doc: ExportDocument) -> list[Page]:
    prefix = f"part-{number:03d}"
    pages: list[Page] = [(f"p{number}", f"{prefix}.xhtml", doc.title, epub.title_page(doc), doc)]
    for index, chapter in enumerate(doc.chapters):
        label = chapter.heading if len(doc.chapters) > 1 else doc.title
        href = f"{prefix}-chapter-{index + 1:03d}.xhtml"
        pages.append((f"p{number}c{index + 1}", href, label, epub.chapter_body(doc, index), doc))
    if doc.endnotes:
        pages.append(
            (f"p{number}a", f"{prefix}-afterword.xhtml", _("Afterword"), epub.afterword(doc), doc)
        )
    return pages


def _nav(sdoc: SeriesDocument, parts: list[list[Page]]) -> str:
    about = escape(_("About this series"))
    entries = [f'<li><a href="series.xhtml">{about}</a></li>']
    for pages in parts:
        _id, href, title, _body, _doc = pages[0]
        inner = "".join(f'<li><a href="{p[1]}">{escape(p[2])}</a></li>' for p in pages[1:])
        nested = f"<ol>{inner}</ol>" if inner else ""
        entries.append(f'<li><a href="{href}">{escape(title)}</a>{nested}</li>')
    body = (
        f'<nav epub:type="toc" id="toc"><h1>{escape(sdoc.title)}</h1>\n<ol>\n'
        + "\n".join(entries)
        + "\n</ol></nav>"
    )
    return epub._page(sdoc.parts[0], sdoc.title, body)


def series_identifier(sdoc: SeriesDocument) -> str:
    name = f"fanarchive:{sdoc.site_name}:series:{sdoc.series_id}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _package(sdoc: SeriesDocument, pages: list[Page]) -> str:
    languages = list(dict.fromkeys(doc.language for doc in sdoc.parts))
    creators = "".join(f"<dc:creator>{escape(n)}</dc:creator>\n    " for n in sdoc.byline)
    summary = " ".join(html_to_text(sdoc.summary).split())
    description = f"<dc:description>{escape(summary)}</dc:description>\n    " if summary else ""
    manifest = "\n    ".join(
        f'<item id="{page[0]}" href="{page[1]}" media-type="application/xhtml+xml"/>'
        for page in pages
    )
    spine = "\n    ".join(f'<itemref idref="{page[0]}"/>' for page in pages)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<package xmlns="http://www.idpf.org/2007/opf" version="3.0"
         unique-identifier="uid" xml:lang="{escape(sdoc.language)}">
  <metadata xmlns:dc="http://purl.org/dc/elements/1.1/">
    <dc:identifier id="uid">{series_identifier(sdoc)}</dc:identifier>
    <dc:title>{escape(sdoc.title)}</dc:title>
    {"".join(f"<dc:language>{escape(lang)}</dc:language>" for lang in languages)}
    {creators}{description}<dc:publisher>{escape(sdoc.site_name)}</dc:publisher>
    <meta property="dcterms:modified">{sdoc.modified:%Y-%m-%dT%H:%M:%SZ}</meta>
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


def export_series_epub(sdoc: SeriesDocument) -> bytes:
    front: Page = ("series", "series.xhtml", sdoc.title, _front(sdoc, ""), sdoc.parts[0])
    parts = [_part_pages(n, doc) for n, doc in enumerate(sdoc.parts, start=1)]
    pages = [front, *(page for part in parts for page in part)]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        book.writestr(
            zipfile.ZipInfo("mimetype"), epub.MEDIA_TYPE, compress_type=zipfile.ZIP_STORED
        )

        def add(name: str, content: str) -> None:
            book.writestr(name, content.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)

        add("META-INF/container.xml", epub.CONTAINER)
        add("EPUB/package.opf", _package(sdoc, pages))
        add("EPUB/nav.xhtml", _nav(sdoc, parts))
        add("EPUB/style.css", epub.STYLESHEET + SERIES_CSS)
        for _id, href, title, body, doc in pages:
            add(f"EPUB/{href}", epub._page(doc, title, body))
    return buffer.getvalue()


SERIES_BUILDERS: dict[str, Callable[[SeriesDocument], bytes]] = {
    "epub": export_series_epub,
    "pdf": export_series_pdf,
    "html": export_series_html,
    "txt": export_series_text,
}
