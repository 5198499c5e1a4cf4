"""Writes of the discovery app."""

from __future__ import annotations

from fanarchive.discovery.models import CatalogueChange


def catalogue_work_changed(*, work_id: int) -> None:
    """Log that a work's listing data changed (tags, visibility, counts, existence).

    Call inside the transaction that makes the change.
    """
    CatalogueChange.objects.create(work_id=work_id)
