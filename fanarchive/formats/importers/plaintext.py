"""Plain text: paragraphs from blank lines, or rebuilt when the line breaks were lost."""

from __future__ import annotations

import re

from fanarchive.core.text import TextFormat
from fanarchive.formats.decode import decode_text
from fanarchive.formats.importers import header, reflow, textwork, titlerun
from fanarchive.formats.importers.base import Importer, Source, fallback_title, register
from fanarchive.formats.parsed import Metadata, ParsedWork, build_work
from fanarchive.works.services import ChapterInput

_BYLINE = re.compile(r"^\s*by\s+(.+?)\s*$", re.IGNORECASE)


def parse_text(text: str, source: Source, *, importer: str, fmt: TextFormat) -> ParsedWork:
    """A text (plain or Markdown, already decoded) as the intermediate work."""
    meta, body = header.front_matter(text, source.name)
    if meta is None:
        meta, body = header.header_block(text)
    meta = meta or Metadata()
    blocks = textwork.blocks_of(body, flatten_aware=fmt is TextFormat.PLAIN)
    if not meta.title and len(blocks) >= 3 and _is_title_line(blocks[0]):
        byline = _BYLINE.match(blocks[1])
        if byline:
            meta.title = blocks[0].strip().lstrip("#").strip()
            meta.creators = [byline.group(1)]
            blocks = blocks[2:]
    preface, sections = textwork.split_chapters(blocks)
    if preface:
        found = textwork.notes_kind(preface[0])
        if found:
            preface[0] = found[1]
        meta.notes = "\n\n".join([meta.notes, *preface]).strip()
    notes, endnotes = textwork.assign_notes(sections)
    proposed = "" if meta.title else _title_run_of(sections)
    meta.notes = "\n\n".join(filter(None, [meta.notes, notes]))
    meta.endnotes = "\n\n".join(filter(None, [meta.endnotes, endnotes]))
    meta.notes = textwork.notes_html(meta.notes)
    meta.endnotes = textwork.notes_html(meta.endnotes)
    meta.summary = textwork.notes_html(meta.summary)
    chapters = [
        ChapterInput(
            text=textwork.blocks_to_text(section.blocks),
            text_format=fmt,
            title=section.title,
            summary=textwork.notes_html(section.summary),
            notes=textwork.notes_html(section.notes),
            endnotes=textwork.notes_html(section.endnotes),
        )
        for section in sections
    ]
    parsed = build_work(
        meta, chapters, importer=importer, fallback_title=fallback_title(source.name)
    )
    parsed.proposed_title = proposed
    return parsed


def _title_run_of(sections: list[textwork.Section]) -> str:
    """A title run into the first sentence of a text that names none (see titlerun)."""
    blocks = sections[0].blocks if sections else []
    if not blocks or blocks[0] == reflow.SCENE_BREAK:
        return ""
    return titlerun.title_run(blocks[0])


def _is_title_line(block: str) -> bool:
    return "\n" not in block and len(block) < 120 and not block.rstrip().endswith((".", ","))


@register
class PlainTextImporter(Importer):
    name = "text"
    label = "Plain text"
    extensions = (".txt", ".text", "")

    def sniff(self, source: Source) -> int:
        return 10 if source.extension in self.extensions else 1

    def parse(self, source: Source) -> ParsedWork:
        text = decode_text(source.data, source.name)
        return parse_text(text, source, importer=self.name, fmt=TextFormat.PLAIN)
