"""Works under a tag, wrangling included: the tag graph (`tags.selectors`) applied to WorkTag.

The database's own answer to "which works does filtering by this tag find", in any
state; wrangling uses it to know whose filter tags a change touches, and tests use it
as the reference for the discovery index.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, QuerySet

from fanarchive.tags.models import Tag
from fanarchive.tags.selectors import family_ids, filter_closure_ids
from fanarchive.works.models import Work, WorkTag


def works_filtered_by_tag(tag: Tag) -> QuerySet[Work]:
    """The database's answer to "works under this tag", wrangling included (all states)."""
    closure = filter_closure_ids([tag])
    return Work.objects.filter(
        Exists(WorkTag.objects.filter(work_id=OuterRef("pk"), tag_id__in=closure))
    )


def work_ids_under(tag_ids: Iterable[int]) -> set[int]:
    """Ids of every work (any state) carrying these tags, their synonyms or subtags."""
    closure = family_ids(tag_ids)
    return set(WorkTag.objects.filter(tag_id__in=closure).values_list("work_id", flat=True))
