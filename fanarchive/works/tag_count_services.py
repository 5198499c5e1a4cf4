"""The tags' use counts: how many public works carry each tag directly.

`Tag.use_count` orders autocomplete suggestions only; it is a cache refreshed from the
works (a background task each host's worker queues daily, `works.tag_count_tasks`, and
`fanarchive tags_recount` after big imports) rather than kept exact on every work save,
so it is written here, in the layer that owns WorkTag.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from fanarchive.tags.models import Tag
from fanarchive.works.models import WorkTag


def tags_recount(*, tag_ids: Iterable[int] | None = None) -> int:
    """Refresh `use_count` (public works carrying the tag directly); all tags when None."""
    uses = (
        WorkTag.objects.filter(
            tag_id=OuterRef("pk"),
            work__posted=True,
            work__hidden_by_admin=False,
            work__unrevealed=False,  # a collection's unrevealed works are not counted yet
            work__restricted=False,
        )
        .order_by()
        .values("tag_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    tags = Tag.objects.all() if tag_ids is None else Tag.objects.filter(pk__in=list(tag_ids))
    return tags.update(use_count=Coalesce(Subquery(uses), 0))
