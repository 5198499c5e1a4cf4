"""Plain text: a header block, then the chapters; re-importable by the text importer."""

from __future__ import annotations

import lxml.html
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from fanarchive.core.text import html_to_text
from fanarchive.formats.exporters.epub import count, series_part, term
from fanarchive.formats.selectors import META_LABELS, ExportDocument

SCENE_BREAK = "* * *"
_BLOCKS = {
    "p",
    "div",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "ul",
    "ol",
    "dl",
    "table",
    "figure",
    "details",
    "center",
    "address",
}


def _paragraphs(fragment: str) -> list[str]:
    """The fragment's paragraphs as text, scene breaks as SCENE_BREAK."""
    if not fragment.strip():
        return []
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    out: list[str] = []
    loose = [root.text or ""]

    def flush() -> None:
        text = " ".join("".join(loose).split())
        if text:
            out.append(text)
        loose.clear()

    for child in root:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "hr":
            flush()
            out.append(SCENE_BREAK)
        elif child.tag in _BLOCKS:
            flush()
            for br in child.iter("br"):
                br.tail = "\n" + (br.tail or "")
            markup = lxml.html.tostring(child, encoding="unicode", with_tail=False)
            text = "\n".join(" ".join(line.split()) for line in html_to_text(markup).split("\n"))
            text = "\n".join(line for line in text.split("\n") if line)
            if text:
                out.append(text)
        else:
            loose.append(child.text_content())
        loose.append(child.tail or "")
    flush()
    return out


def field(label: object, value: str) -> str:
    """ "Label: value", in the download's language."""
    return f"{term(label)} {value}"


def _section(label: str, fragment: str) -> list[str]:
    paragraphs = _paragraphs(fragment)
    if not paragraphs:
        return []
    return [field(label, paragraphs[0]), *paragraphs[1:]]


def export_text(doc: ExportDocument) -> bytes:
    header = [field(_("Title"), doc.title), field(_("Author"), ", ".join(doc.byline))]
    for tag_type, label in META_LABELS:
        names = doc.tags.get(tag_type)
        if names:
            header.append(field(label, ", ".join(names)))
    header.append(field(_("Language"), doc.language_name))
    header += [
        field(pgettext("one series, a label in a download", "Series"), series_part(part, title))
        for part, title in doc.series
    ]
    header.append(field(_("Words"), count(doc.words)))
    header.append(field(_("Chapters"), doc.chapter_fraction))
    summary = _paragraphs(doc.summary)
    if summary:
        header.append(field(_("Summary"), "\n".join(summary)))
    blocks = ["\n".join(header)]
    blocks += _section(_("Notes"), doc.notes)
    many = len(doc.chapters) > 1
    for chapter in doc.chapters:
        if many:
            blocks.append(chapter.heading)
        blocks += _section(_("Chapter Summary"), chapter.summary)
        blocks += _section(_("Chapter Notes"), chapter.notes)
        blocks += _paragraphs(chapter.content)
        blocks += _section(_("Chapter End Notes"), chapter.endnotes)
    blocks += _section(_("End Notes"), doc.endnotes)
    return ("\n\n".join(blocks) + "\n").encode("utf-8")
