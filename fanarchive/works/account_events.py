"""The works app's listener to the accounts services (`accounts.events`): a renamed pseud
or account is catalogued again in every work it wrote, so the sort by creator finds the new
name at once (in the rename's transaction), and search too, or within minutes for a creator
of very many works (`catalogue_works_changed`)."""

from __future__ import annotations

from collections.abc import Collection

from fanarchive.works.catalogue_services import catalogue_works_changed
from fanarchive.works.models import Creatorship


class WorksAccountListener:
    def bylines_changed(self, *, pseud_ids: Collection[int]) -> None:
        catalogue_works_changed(
            work_ids=Creatorship.objects.filter(pseud_id__in=list(pseud_ids)).values_list(
                "work_id", flat=True
            )
        )
