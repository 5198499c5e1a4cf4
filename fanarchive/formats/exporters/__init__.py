"""Exporters: each turns an ExportDocument into the bytes of one download format."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from fanarchive.formats.exporters.epub import export_epub
from fanarchive.formats.exporters.html import export_html
from fanarchive.formats.exporters.pdf import export_pdf
from fanarchive.formats.exporters.text import export_text
from fanarchive.formats.selectors import ExportDocument


@dataclass(frozen=True)
class Format:
    name: str
    label: StrOrPromise  # shown to readers: "Text" is translated
    extension: str
    content_type: str
    build: Callable[[ExportDocument], bytes]


def _epub(doc: ExportDocument) -> bytes:
    return export_epub(doc)


def _pdf(doc: ExportDocument) -> bytes:
    return export_pdf(doc)


def _html(doc: ExportDocument) -> bytes:
    return export_html(doc)


def _text(doc: ExportDocument) -> bytes:
    return export_text(doc)


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("epub", "EPUB", "epub", "application/epub+zip", _epub),
        Format("pdf", "PDF", "pdf", "application/pdf", _pdf),
        Format("html", "HTML", "html", "text/html; charset=utf-8", _html),
        Format("txt", gettext_lazy("Text"), "txt", "text/plain; charset=utf-8", _text),
    )
}


def download_name(title: str, work_id: int, extension: str) -> str:
    """A file name from the title: "The Lighthouse Keeper" -> "The_Lighthouse_Keeper.epub"."""
    base = re.sub(r"[^\w\s-]", "", title).strip()
    base = re.sub(r"\s+", "_", base)[:80] or f"work_{work_id}"
    return f"{base}.{extension}"
