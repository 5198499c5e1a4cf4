"""Reads of tags."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from fanarchive.tags.models import Tag, TagType


def fixed_tags(tag_type: TagType | str) -> QuerySet[Tag]:
    return Tag.objects.filter(type=tag_type).order_by("sort_order")


def fixed_tags_by_name(tag_type: TagType | str, names: list[str]) -> tuple[list[Tag], list[str]]:
    """The fixed tags with these exact names, in AO3's order, and the names that are unknown."""
    known = {tag.name: tag for tag in fixed_tags(tag_type)}
    unknown = [name for name in names if name not in known]
    found = [tag for name, tag in known.items() if name in names]
    return found, unknown


def tag_with_visible_count(tag_id: int, *, visible_work_ids: QuerySet) -> Tag | None:
    return (
        Tag.objects.filter(pk=tag_id)
        .annotate(work_count=Count("work_tags", filter=Q(work_tags__work_id__in=visible_work_ids)))
        .first()
    )
