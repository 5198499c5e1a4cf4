"""PDF through WeasyPrint, from the same HTML as the HTML download.

A title page, a table of contents with page numbers, each chapter on a new
page under its heading, page numbers at the foot. Remote images are already
replaced by their descriptions, so making a PDF never fetches anything.
"""

from __future__ import annotations

from fanarchive.formats.exporters.html import document
from fanarchive.formats.selectors import ExportDocument

PRINT_CSS = """
@page { size: A4; margin: 20mm 22mm 22mm;
  @bottom-center { content: counter(page); font-size: 9pt; } }
@page :first { @bottom-center { content: none; } }
body { margin: 0; font-size: 11pt; hyphens: manual; }
#preface { page-break-after: always; }
nav.toc { page-break-after: always; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc a { color: inherit; text-decoration: none; }
nav.toc a::after { content: leader('.') target-counter(attr(href), page); }
.chapter { page-break-before: always; }
#preface + .chapter, #chapters > .chapter:first-child { page-break-before: auto; }
h2.heading { bookmark-level: 1; margin-top: 0; }
h1 { bookmark-level: 1; }
#afterword { page-break-before: always; }
"""


def export_pdf(doc: ExportDocument) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment

    markup = document(doc, extra_css=PRINT_CSS, contents=True)
    pdf = HTML(string=markup, base_url=None, url_fetcher=_no_fetch).write_pdf()
    return bytes(pdf or b"")


def _no_fetch(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError(f"downloads never fetch {url}")
