"""Markdown with YAML front matter (or a header block); chapters at "Chapter" headings."""

from __future__ import annotations

from fanarchive.core.text import TextFormat
from fanarchive.formats.decode import decode_text
from fanarchive.formats.importers.base import Importer, Source, register
from fanarchive.formats.importers.plaintext import parse_text
from fanarchive.formats.parsed import ParsedWork


@register
class MarkdownImporter(Importer):
    name = "markdown"
    label = "Markdown"
    extensions = (".md", ".markdown", ".mdown", ".mkd")

    def sniff(self, source: Source) -> int:
        return 50 if source.extension in self.extensions else 0

    def parse(self, source: Source) -> ParsedWork:
        text = decode_text(source.data, source.name)
        return parse_text(text, source, importer=self.name, fmt=TextFormat.MARKDOWN)
