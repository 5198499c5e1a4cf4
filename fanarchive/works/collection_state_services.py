"""A work's collection-derived flags: unrevealed, and anonymous by collection.

The collections app (a higher layer) decides the values from the work's collection
items; this is the one place that writes them, so the catalogue hears every change.
"""

from __future__ import annotations

from django.db import transaction

from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work


@transaction.atomic
def work_collection_state_set(*, work_id: int, unrevealed: bool, anonymous: bool) -> bool:
    """Set the work's flags; True when they changed (listings, search and feeds follow)."""
    work = Work.objects.select_for_update().filter(pk=work_id).first()
    if work is None:
        return False
    if work.unrevealed == unrevealed and work.anonymous_by_collection == anonymous:
        return False
    work.unrevealed = unrevealed
    work.anonymous_by_collection = anonymous
    work.save(update_fields=["unrevealed", "anonymous_by_collection", "updated_at"])
    catalogue_work_changed(work_id=work.pk)
    return True
