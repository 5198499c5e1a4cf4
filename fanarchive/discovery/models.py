from __future__ import annotations

from django.db import models


class CatalogueChange(models.Model):
    """One entry of the catalogue's change log.

    Written in the same transaction as the change itself, so the log never
    claims a change that was rolled back nor misses one that was committed. The
    auto-increment id is the monotonic sequence every process catches up from.
    `work_id` is a plain number, not a foreign key: a deleted work must still be
    logged so that indexes drop it.
    """

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"change {self.pk} of work {self.work_id}"
