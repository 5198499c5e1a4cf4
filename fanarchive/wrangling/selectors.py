"""Reads of wrangling that need the works: the queues of unwrangled tags."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, QuerySet

from fanarchive.tags.models import FandomLink, Tag
from fanarchive.works.models import WorkTag


def unwrangled_tags(*, fandom: Tag | None, tag_type: str) -> QuerySet[Tag]:
    """The queue: unwrangled tags of a type, with `uses` (works carrying them).

    With a fandom: tags used on works of that fandom (or its synonyms) that are not
    linked to any fandom yet, or are linked to this one. Without: every unwrangled
    tag of the type. Most used first.
    """
    tags = Tag.objects.filter(type=tag_type).unwrangled()
    if fandom is not None:
        fandom_family = [fandom.pk, *fandom.synonyms.values_list("pk", flat=True)]
        fandom_works = WorkTag.objects.filter(tag_id__in=fandom_family).values("work_id")
        tags = tags.filter(
            Exists(WorkTag.objects.filter(tag_id=OuterRef("pk"), work_id__in=fandom_works))
        ).filter(
            ~Exists(FandomLink.objects.filter(tag_id=OuterRef("pk")))
            | Exists(FandomLink.objects.filter(tag_id=OuterRef("pk"), fandom=fandom))
        )
    return tags.annotate(uses=Count("work_tags", distinct=True)).order_by("-uses", "name_folded")
