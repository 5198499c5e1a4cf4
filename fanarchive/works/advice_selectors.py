"""Rating and warning advice for works (the analyser is `core.advice`): what the posting
forms show before a work or chapter goes out, what moderators list, what an import
suggests. Advice only: nothing here changes a work or refuses a post.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext

from fanarchive.core.advice import Advice, analyse
from fanarchive.tags.fixed import CHOSE_NOT_TO_WARN
from fanarchive.tags.models import TagType
from fanarchive.works.inputs import ChapterInput, WorkInput
from fanarchive.works.models import Chapter, Work


@dataclass(frozen=True)
class PostingAdvice:
    """What to tell a writer before posting: one line per disagreement."""

    rating: str  # the rating the text reads as
    lines: list[str]
    more_mature: bool  # than the chosen rating


def advice_for_texts(chapters: Sequence[str], *, language: str = "en") -> Advice:
    return analyse(chapters, language=language)


def _chapter_texts(work: Work) -> list[str]:
    return list(
        Chapter.objects.filter(work=work).order_by("position").values_list("content", flat=True)
    )


def advice_for_work(work: Work) -> Advice:
    """The advice for a work's chapters as readers get them (drafts included: the
    writer's whole text), for moderators and the posting forms."""
    return analyse(_chapter_texts(work), language=work.language)


def posting_advice(advice: Advice, *, rating: str, warnings: Sequence[str]) -> PostingAdvice | None:
    """What disagrees between the text and what the writer chose, or None.

    A rating of Not Rated promises nothing and "Creator Chose Not To Use Archive
    Warnings" covers every warning, so neither is second-guessed.
    """
    lines = []
    more_mature = advice.more_mature_than(rating)
    if more_mature:
        lines.append(
            gettext("This reads as more mature than %(rating)s: %(reasons)s.")
            % {"rating": rating, "reasons": "; ".join(advice.reasons_for_rating())}
        )
    if CHOSE_NOT_TO_WARN not in warnings:
        for warning in advice.warnings:
            if warning not in warnings:
                reasons = "; ".join(advice.reasons_for_warning(warning))
                lines.append(
                    gettext('It may need the archive warning "%(warning)s": %(reasons)s.')
                    % {"warning": warning, "reasons": reasons}
                )
    if not lines:
        return None
    return PostingAdvice(rating=advice.rating, lines=lines, more_mature=more_mature)


def advice_for_new_work(data: WorkInput, chapters: Sequence[ChapterInput]) -> PostingAdvice | None:
    """The posting form's advice for a new work, from the text typed into it."""
    advice = analyse([c.text for c in chapters], language=data.language or "en")
    return posting_advice(advice, rating=data.rating, warnings=data.warnings)


def advice_for_work_update(work: Work, data: WorkInput) -> PostingAdvice | None:
    """The edit form's advice: the work's chapters against the rating and warnings
    about to be saved."""
    advice = analyse(_chapter_texts(work), language=data.language or work.language)
    return posting_advice(advice, rating=data.rating, warnings=data.warnings)


def advice_for_chapter(work: Work, data: ChapterInput, *, position: int) -> PostingAdvice | None:
    """The chapter form's advice: the chapter typed, at its place in the work, against
    the work's rating and warnings."""
    advice = numbered_like(analyse([data.text], language=work.language), position)
    rating, warnings = _chosen(work)
    return posting_advice(advice, rating=rating, warnings=warnings)


def numbered_like(advice: Advice, position: int) -> Advice:
    """The advice for one chapter analysed alone, its reasons naming the chapter's
    place in the work rather than "chapter 1"."""
    findings = tuple(replace(f, chapter=position) for f in advice.findings)
    return replace(advice, findings=findings)


def works_with_advice_disagreeing(
    *, limit: int = 50, scan: int = 500
) -> list[tuple[Work, PostingAdvice]]:
    """Posted works whose text reads as more mature than their rating, or needs a warning
    they lack, among the `scan` most recently updated; at most `limit`, for moderators.

    Computed on demand (a few ms per 10,000 words), so nothing is stored or kept in step.
    """
    works = list(
        Work.objects.filter(posted=True)
        .order_by("-updated_at", "-pk")
        .prefetch_related("work_tags__tag")[:scan]
    )
    texts: dict[int, list[str]] = {work.pk: [] for work in works}
    chapters = (
        Chapter.objects.filter(work_id__in=texts, posted=True)
        .order_by("work_id", "position")
        .values_list("work_id", "content")
    )
    for work_id, content in chapters.iterator(chunk_size=200):
        texts[work_id].append(content)
    found = []
    for work in works:
        advice = _advice_against_tags(work, analyse(texts[work.pk], language=work.language))
        if advice is not None:
            found.append((work, advice))
            if len(found) >= limit:
                break
    return found


def work_advice(work: Work) -> PostingAdvice | None:
    """What disagrees between a work's text and its rating and warnings, for moderators
    (a reported work's page)."""
    return _advice_against_tags(work, advice_for_work(work))


def _advice_against_tags(work: Work, advice: Advice) -> PostingAdvice | None:
    rating, warnings = _chosen(work)
    return posting_advice(advice, rating=rating, warnings=warnings)


def _chosen(work: Work) -> tuple[str, list[str]]:
    ratings = [t.name for t in work.tags_of(TagType.RATING)]
    warnings = [t.name for t in work.tags_of(TagType.WARNING)]
    return (ratings[0] if ratings else "", warnings)
