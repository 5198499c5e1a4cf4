"""What plain text and Markdown share: blocks, notes sections and chapter headings."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from fanarchive.formats.importers import reflow

_NOTES = re.compile(
    r"^\s*(?P<kind>chapter\s+end\s+notes|chapter\s+notes|chapter\s+summary|end\s+notes|author'?s?\s+notes?"
    r"|a/n|notes?)\s*:\s*",
    re.IGNORECASE,
)
# In a flattened line the trailing notes start after a sentence end.
_INLINE_NOTES = re.compile(
    r"(?:(?<=[.!?…\"”’])|(?<=\* \* \*))\s+(?P<kind>end\s+notes|author'?s?\s+notes?|a/n|notes?)"
    r"\s*:\s*",
    re.IGNORECASE,
)
_NUMBER_WORDS = (
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
CHAPTER_HEADING = re.compile(
    rf"^\s*(?:#+\s*)?(?:chapter|ch\.|part)\s+(?:\d+|[ivxlc]+|{_NUMBER_WORDS.replace(' ', '|')})"
    r"\s*(?:[:.\-–—]\s*(?P<title>.*?))?\s*$",
    re.IGNORECASE,
)
_SPECIAL_HEADING = re.compile(r"^\s*(?:#+\s*)?(?P<title>prologue|epilogue|interlude)\s*$", re.I)
# "Chapter N" as the archive shows an untitled chapter, with N spelled any way, and
# maybe a title after it.
_NUMBERED = re.compile(
    rf"^(?:chapter|ch\.?)\s+(?P<number>\d+|[ivxlc]+|{_NUMBER_WORDS.replace(' ', '|')})"
    r"\s*(?:[:.\-–—]\s*(?P<title>.*?))?\s*$",
    re.IGNORECASE,
)
_ROMAN = dict(zip("ivxlc", (1, 5, 10, 50, 100), strict=True))
_WORD_VALUES = {word: n for n, word in enumerate(_NUMBER_WORDS.split(), start=1)}
FLATTENED_CHARS = 1200
_BLANK = re.compile(r"\n[ \t]*\n+")


@dataclass
class Section:
    """A chapter as text blocks, before notes are taken out."""

    title: str = ""
    blocks: list[str] = field(default_factory=list)
    summary: str = ""
    notes: str = ""
    endnotes: str = ""


def blocks_of(text: str, *, flatten_aware: bool = True) -> list[str]:
    """Paragraph blocks: split at blank lines; text with no blank lines splits at every line.

    A block that is one very long line lost its line breaks: it is rebuilt into
    paragraphs (see reflow). Scene-break lines become reflow.SCENE_BREAK blocks.
    """
    text = text.strip("\n")
    chunks = _BLANK.split(text)
    if len(chunks) == 1 and text.count("\n") >= 2:
        chunks = [line for line in text.split("\n") if line.strip()]
    out: list[str] = []
    for chunk in chunks:
        lines: list[str] = []
        for line in chunk.split("\n"):
            if reflow.is_break_line(line):
                if lines:
                    out.append("\n".join(lines))
                    lines = []
                out.append(reflow.SCENE_BREAK)
            elif line.strip():
                lines.append(line.rstrip())
        if not lines:
            continue
        block = "\n".join(lines)
        if flatten_aware and _looks_flattened(block):
            out += _flattened(" ".join(block.split("\n")))
        else:
            out.append(block)
    return out


_TURNS = re.compile(r"[.!?…,—-][\"”]\s+[\"“]")


def _looks_flattened(block: str) -> bool:
    """A block that lost its line breaks: very long, or holding several dialogue turns
    or a scene-break marker in running text."""
    if block.count("\n") >= 2 or len(block) < 300:
        return False
    if len(block) > FLATTENED_CHARS:
        return True
    return len(_TURNS.findall(block)) >= 2 or reflow.has_inline_break(block)


def _flattened(line: str) -> list[str]:
    """A flattened line as blocks; a trailing notes section stays one block of its own."""
    notes = None
    for match in _INLINE_NOTES.finditer(line):
        if match.start() > len(line) // 2:
            notes = match
    body, tail = (line[: notes.start()], line[notes.start() :].strip()) if notes else (line, "")
    blocks = reflow.reflow(body)
    return [*blocks, tail] if tail else blocks


def notes_kind(block: str) -> tuple[str, str] | None:
    """("chapter" | "chapter_end" | "generic", text) when `block` opens a notes section."""
    match = _NOTES.match(block)
    if not match:
        return None
    kind = " ".join(match.group("kind").lower().split())
    label = {
        "chapter notes": "chapter",
        "chapter end notes": "chapter_end",
        "chapter summary": "chapter_summary",
    }.get(kind, "generic")
    return label, block[match.end() :].strip()


def chapter_heading(block: str) -> str | None:
    """The chapter title when `block` is a chapter heading line ("" for an untitled one)."""
    if "\n" in block.strip() or len(block) > 160:
        return None
    match = CHAPTER_HEADING.match(block) or _SPECIAL_HEADING.match(block)
    if not match:
        return None
    title = match.group("title") or ""
    if _SPECIAL_HEADING.match(block):
        return title.strip().title()
    return title.strip().strip("#").strip()


def _number_value(number: str) -> int | None:
    number = number.lower()
    if number.isdigit():
        return int(number)
    if number in _WORD_VALUES:
        return _WORD_VALUES[number]
    values = [_ROMAN[c] for c in number]
    total = sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))
    return total if _roman(total) == number else None


def _roman(value: int) -> str:
    out = ""
    for size, letters in ((100, "c"), (90, "xc"), (50, "l"), (40, "xl"), (10, "x")):
        count, value = divmod(value, size)
        out += letters * count
    return out + ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix")[value]


def chapter_title(heading: str, position: int) -> str:
    """The title to keep for the chapter at `position` (1, 2 ...) headed `heading`.

    A title is the writer's: it is kept, unless it is the archive's own heading for
    that position: "Chapter 3" (or "Chapter Three", "Ch. III") at position 3 is
    untitled, and "Chapter 3: The Storm" there is titled "The Storm". "Chapter 7" at
    position 8 (after a prologue) stays "Chapter 7".
    """
    heading = " ".join(heading.split()).strip("#").strip()
    match = _NUMBERED.match(heading)
    if match and _number_value(match.group("number")) == position:
        return (match.group("title") or "").strip()
    return heading


def split_chapters(blocks: list[str]) -> tuple[list[str], list[Section]]:
    """Blocks before the first chapter heading (the preface), and the chapters."""
    starts = [i for i, block in enumerate(blocks) if chapter_heading(block) is not None]
    if not starts:
        return [], [Section(blocks=blocks)]
    preface = blocks[: starts[0]]
    sections = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        sections.append(
            Section(title=chapter_title(blocks[start], n + 1), blocks=blocks[start + 1 : end])
        )
    return preface, sections


def _take_notes(blocks: list[str], *, leading: bool) -> tuple[str, str, list[str]]:
    """(kind, notes, remaining blocks) for notes at the start or the end of `blocks`."""
    if not blocks:
        return "", "", blocks
    if leading:
        found = notes_kind(blocks[0])
        if not found:
            return "", "", blocks
        kind, first = found
        rest = blocks[1:]
        notes = [first] if first else []
        # A marker between the notes and the story only separated them.
        if rest and rest[0] == reflow.SCENE_BREAK:
            rest = rest[1:]
        return kind, "\n\n".join(notes), rest
    for index in range(len(blocks) - 1, max(len(blocks) - 6, 0), -1):
        found = notes_kind(blocks[index])
        if found:
            kind, first = found
            notes = ([first] if first else []) + blocks[index + 1 :]
            rest = blocks[:index]
            while rest and rest[-1] == reflow.SCENE_BREAK:
                rest = rest[:-1]
            return kind, "\n\n".join(notes), rest
    return "", "", blocks


def assign_notes(sections: list[Section]) -> tuple[str, str]:
    """Take notes sections out of the chapters; returns the work's (notes, end notes).

    In a one-chapter work, notes at the start and end are the work's. In a longer
    one they belong to their chapter, except generic notes at the very end, which
    are the work's end notes. "Chapter Notes:" and "Chapter End Notes:" always
    belong to their chapter.
    """
    work_notes = work_endnotes = ""
    single = len(sections) == 1
    for index, section in enumerate(sections):
        for _ in range(2):  # a chapter summary, then notes
            kind, notes, section.blocks = _take_notes(section.blocks, leading=True)
            if kind == "chapter_summary":
                section.summary = notes
            elif notes and kind == "generic" and single:
                work_notes = notes
            elif notes:
                section.notes = notes
        kind, notes, section.blocks = _take_notes(section.blocks, leading=False)
        if notes:
            last = index == len(sections) - 1
            if kind == "generic" and (single or last):
                work_endnotes = notes
            else:
                section.endnotes = notes
    return work_notes, work_endnotes


def blocks_to_text(blocks: list[str]) -> str:
    """Blocks back to plain text, paragraphs apart by blank lines."""
    return "\n\n".join(blocks)


def notes_html(text: str) -> str:
    """Plain-text notes as HTML paragraphs (so "<3" stays text)."""
    paragraphs = [p.strip() for p in _BLANK.split(text.strip()) if p.strip()]
    return "\n".join(
        "<p>" + "<br>\n".join(html.escape(line) for line in p.split("\n")) + "</p>"
        for p in paragraphs
    )
