"""What the review page of "Import a work" shows of a parsed work, as plain text.

Notes, summaries and chapters are HTML (or the writer's plain text or Markdown); the
page shows their text, escaped once by the template, so "Don't & do" reads as typed
rather than as "Don&#x27;t &amp; do".
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from fanarchive.core.advice import Rating
from fanarchive.core.text import TextFormat, html_to_text, render
from fanarchive.formats.parsed import ParsedWork
from fanarchive.tags.fixed import NOT_RATED
from fanarchive.works.advice_selectors import advice_for_texts

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


@dataclass(frozen=True)
class RatingSuggestion:
    """The rating a file with none reads as (`core.advice`): offered on the review page,
    named in the CLI's report, never applied without the writer."""

    rating: str
    reasons: list[str]
    warnings: list[str]

    def notice(self) -> str:
        """The CLI report's line: the work keeps Not Rated."""
        values = {
            "rating": self.rating,
            "reasons": "; ".join(self.reasons),
            "not_rated": NOT_RATED,
            "warnings": ", ".join(self.warnings),
        }
        if self.warnings:
            return (
                _(
                    "No rating given: the text reads as %(rating)s (%(reasons)s). The work "
                    "stays %(not_rated)s; change its rating if the advice is right. It may "
                    "need the warnings: %(warnings)s."
                )
                % values
            )
        return (
            _(
                "No rating given: the text reads as %(rating)s (%(reasons)s). The work "
                "stays %(not_rated)s; change its rating if the advice is right."
            )
            % values
        )


def rating_suggestion(parsed: ParsedWork) -> RatingSuggestion | None:
    """For a file rated Not Rated, the rating its text reads as, when above General (a
    text in which nothing was found is not vouched for as General)."""
    if parsed.work.rating != NOT_RATED:
        return None
    advice = advice_for_texts(
        [chapter.text for chapter in parsed.chapters], language=parsed.work.language
    )
    if advice.rating is Rating.GENERAL:
        return None
    return RatingSuggestion(
        rating=advice.rating,
        reasons=advice.reasons_for_rating(),
        warnings=[str(w) for w in advice.warnings],
    )
