"""A reader's year in reading, from their reading history (only for the reader's own eyes).

History keeps one row per work with the time it was *last* read, so a work counts in
the year it was last opened (a reread in a later year moves it there). Only works the
reader may still see (`Work.objects.visible_to`) count in anything, totals included: a
work hidden since, put back into an unrevealed collection or made a draft is shown
only as a number ("N more are no longer available"), never by its tags. Deleted works
take their history rows with them. Tag names come from works the reader may list, so
no tag is advertised that a listing would not show; synonyms count as their canonical
tag. No creator is named, so anonymous works give nothing away.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractMonth

from fanarchive.accounts.models import User
from fanarchive.engagement.models import ReadingHistory
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Work, WorkTag

TOP = 5
TOP_TYPES = (
    (TagType.FANDOM, "Fandoms"),
    (TagType.RELATIONSHIP, "Relationships"),
    (TagType.CHARACTER, "Characters"),
    (TagType.FREEFORM, "Additional tags"),
)


@dataclass
class YearInReading:
    year: int
    works: int = 0
    words: int = 0
    unavailable: int = 0  # read that year, no longer visible to the reader
    top: dict[str, list[tuple[str, int]]] = field(default_factory=dict)  # label: (name, works)
    ratings: list[tuple[str, int]] = field(default_factory=list)
    months: list[int] = field(default_factory=lambda: [0] * 12)  # works per month, Jan first
    busiest_month: int | None = None  # 1-12


def reading_years(reader: User) -> list[int]:
    """Years with something in the reader's history, newest first."""
    moments = ReadingHistory.objects.filter(user=reader, last_read_at__isnull=False).values_list(
        "last_read_at", flat=True
    )
    return sorted({moment.year for moment in moments if moment}, reverse=True)


def year_in_reading(reader: User, year: int) -> YearInReading:
    start = datetime(year, 1, 1, tzinfo=UTC)
    end = datetime(year + 1, 1, 1, tzinfo=UTC)
    entries = ReadingHistory.objects.filter(
        user=reader, last_read_at__gte=start, last_read_at__lt=end
    )
    visible = Work.objects.visible_to(reader).values("id")
    shown = entries.filter(work__in=visible)
    summary = YearInReading(year=year)
    summary.works = shown.count()
    summary.unavailable = entries.count() - summary.works
    summary.words = shown.aggregate(words=Sum("work__word_count"))["words"] or 0
    by_month = (
        shown.order_by()
        .annotate(month=ExtractMonth("last_read_at", tzinfo=UTC))
        .values("month")
        .annotate(n=Count("id"))
        .values_list("month", "n")
    )
    for month, count in by_month:
        summary.months[month - 1] = count
    if summary.works:
        summary.busiest_month = max(range(12), key=lambda m: (summary.months[m], -m)) + 1
    work_ids = shown.values("work_id")
    # One row per (work, tag as canonical): a work tagged with two synonyms counts once.
    pairs = (
        WorkTag.objects.filter(work_id__in=work_ids)
        .annotate(counted=Coalesce("tag__synonym_of_id", "tag_id"))
        .values_list("work_id", "counted")
        .distinct()
    )
    counts = Counter(tag_id for _, tag_id in pairs)
    tags = {tag.pk: tag for tag in Tag.objects.filter(pk__in=list(counts))}

    def ranked(tag_type: TagType, limit: int | None) -> list[tuple[str, int]]:
        found = sorted(
            ((tags[t].name, n) for t, n in counts.items() if tags[t].type == tag_type),
            key=lambda pair: (-pair[1], pair[0].casefold()),
        )
        return found[:limit] if limit else found

    summary.top = {label: ranked(tag_type, TOP) for tag_type, label in TOP_TYPES}
    summary.ratings = ranked(TagType.RATING, None)
    return summary
