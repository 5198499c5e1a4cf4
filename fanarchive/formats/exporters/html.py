"""One self-contained HTML file in AO3's download layout (re-importable as an AO3 download)."""

from __future__ import annotations

from html import escape

from django.utils.translation import gettext as _

from fanarchive.formats.exporters.epub import STYLESHEET, afterword, chapter_body, title_page
from fanarchive.formats.selectors import ExportDocument


def document(doc: ExportDocument, *, extra_css: str = "", contents: bool = False) -> str:
    toc = ""
    if contents and len(doc.chapters) > 1:
        entries = "\n".join(
            f'<li><a href="#chapter-{c.position}">{escape(c.heading)}</a></li>'
            for c in doc.chapters
        )
        heading = escape(_("Contents"))
        toc = f'<nav class="toc"><h2>{heading}</h2><ol>\n{entries}\n</ol></nav>\n'
    chapters = "\n".join(chapter_body(doc, i) for i in range(len(doc.chapters)))
    end = afterword(doc) if doc.endnotes else ""
    lang = escape(doc.language)
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n"
        '<meta name="generator" content="Fanarchive">\n'
        + "".join(f'<meta name="author" content="{escape(n)}">\n' for n in doc.byline)
        + f"<style>\n{STYLESHEET}{extra_css}</style>\n</head>\n<body>\n"
        + title_page(doc)
        + "\n"
        + toc
        + f'<div id="chapters" class="userstuff">\n{chapters}\n</div>\n'
        + end
        + "\n</body>\n</html>\n"
    )


def export_html(doc: ExportDocument) -> bytes:
    return document(doc).encode("utf-8")
