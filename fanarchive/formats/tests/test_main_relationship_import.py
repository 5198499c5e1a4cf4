"""Imports mark the first relationship as main; downloads list the main ones first, so a
work downloaded and imported again keeps its main relationship."""

from __future__ import annotations

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.import_services import IMPORTED, ImportOptions, work_import
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.selectors import export_document
from fanarchive.works.models import Work, WorkTag

pytestmark = pytest.mark.django_db


def test_an_imported_work_has_its_first_relationship_as_main(user):
    original = make_work(
        user, relationships=["Ada/Bel", "Mira/Tomas"], main_relationships=["Mira/Tomas"]
    )
    data = FORMATS["html"].build(export_document(Work.objects.get(pk=original.pk)))
    outcome = work_import(
        user=make_user("importer"),
        source=Source("export.html", data),
        options=ImportOptions(post=True),
    )
    assert outcome.status == IMPORTED, outcome.reason
    assert outcome.work_id is not None
    links = WorkTag.objects.filter(work_id=outcome.work_id, tag__type="relationship")
    assert list(links.order_by("position").values_list("tag__name", "main")) == [
        ("Mira/Tomas", True),
        ("Ada/Bel", False),
    ]
