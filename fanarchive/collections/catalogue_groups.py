"""The collections each work is listed in, for the catalogue index (`discovery.groups`).

A work is filed under the collections whose item for it is listed (approved by the
collection and by its creator). A parent collection's listing asks for its own id and its
sub-collections' (`selectors.collection_family_ids`), so moving a sub-collection needs no
reindexing. Unrevealed works are left out by the index itself, as hidden ones are.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from fanarchive.collections.models import CollectionItem
from fanarchive.collections.selectors import listed_item_q


def listed_groups(
    *, work_ids: Sequence[int] | None, id_range: tuple[int, int] | None
) -> Iterable[tuple[int, int]]:
    items = CollectionItem.objects.filter(listed_item_q(), work__isnull=False)
    if work_ids is not None:
        items = items.filter(work_id__in=list(work_ids))
    if id_range is not None:
        items = items.filter(work_id__gte=id_range[0], work_id__lt=id_range[1])
    pairs: Iterable[tuple[int, int]] = items.values_list("work_id", "collection_id").iterator(
        chunk_size=20000
    )
    return pairs
