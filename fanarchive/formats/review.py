"""What the review page of "Import a work" shows of a parsed work, as plain text.

Notes, summaries and chapters are HTML (or the writer's plain text or Markdown); the
page shows their text, escaped once by the template, so "Don't & do" reads as typed
rather than as "Don&#x27;t &amp; do".
"""

from __future__ import annotations

from dataclasses import dataclass

from fanarchive.core.text import TextFormat, html_to_text, render
from fanarchive.formats.parsed import ParsedWork

# A chapter's preview shows its first words: this much of its text is enough to render.
PREVIEW_CHARS = 4_000


@dataclass(frozen=True)
class ChapterPreview:
    title: str
    text: str


@dataclass(frozen=True)
class ImportReview:
    summary: str
    notes: str
    endnotes: str
    chapters: list[ChapterPreview]


def plain_text(markup: str, text_format: TextFormat | str = TextFormat.HTML) -> str:
    """The text a reader would see of `markup`, as the site renders it, without tags."""
    if not markup.strip():
        return ""
    return html_to_text(render(markup, text_format)).strip()


def import_review(parsed: ParsedWork) -> ImportReview:
    return ImportReview(
        summary=plain_text(parsed.work.summary),
        notes=plain_text(parsed.work.notes),
        endnotes=plain_text(parsed.work.endnotes),
        chapters=[
            ChapterPreview(
                title=chapter.title,
                text=plain_text(chapter.text[:PREVIEW_CHARS], chapter.text_format),
            )
            for chapter in parsed.chapters
        ],
    )
