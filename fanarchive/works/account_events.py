"""The works app's listener to the accounts services (`accounts.events`): a renamed pseud
or account is catalogued again in every work it wrote, so search and the sort by creator
find the new name at once (in the rename's transaction)."""

from __future__ import annotations

from collections.abc import Collection

from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Creatorship


class WorksAccountListener:
    def bylines_changed(self, *, pseud_ids: Collection[int]) -> None:
        work_ids = list(
            Creatorship.objects.filter(pseud_id__in=list(pseud_ids))
            .values_list("work_id", flat=True)
            .distinct()
            .order_by("work_id")
        )
        for work_id in work_ids:
            catalogue_work_changed(work_id=work_id)
