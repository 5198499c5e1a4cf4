"""Counting rows per work for many works at once (kudos, comments, hits, bookmarks).

An `IN` list of thousands of ids costs the ORM more to prepare than the database takes to
answer it, so above `IN_MAX` ids the rows are read by id range instead: the answer may then
hold works between the ids that were not asked about, which callers simply do not read.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet

# Above this many ids, rows are read by id range instead of an IN list.
IN_MAX = 500


def of_works(queryset: QuerySet[Any], ids: list[int]) -> QuerySet[Any]:
    """`queryset`'s rows of these works (`ids` sorted), and maybe of works between them."""
    if len(ids) > IN_MAX:
        return queryset.filter(work_id__gte=ids[0], work_id__lte=ids[-1])
    return queryset.filter(work_id__in=ids)


def count_by_work(queryset: QuerySet[Any], ids: list[int]) -> dict[int, int]:
    """How many of `queryset`'s rows each of these works has (`ids` sorted; works with none
    are missing)."""
    rows = of_works(queryset, ids).values("work_id").annotate(n=Count("pk"))
    return dict(rows.values_list("work_id", "n"))
