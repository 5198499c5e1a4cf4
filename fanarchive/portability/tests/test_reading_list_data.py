"""The reading list goes into the person's data export and goes with their account."""

from __future__ import annotations

import json
import zipfile

import pytest

from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.models import ReadingListEntry
from fanarchive.engagement.reading_list_services import reading_list_set
from fanarchive.portability.deletion_services import DeletionChoices, account_delete
from fanarchive.portability.export_tasks import write_zip
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_reading_list(user, other_user, tmp_path):
    work = make_work(other_user, title="Quay Songs", chapters=2)
    gone = make_work(other_user, title="Since Hidden")
    reading_list_set(user=user, work=work, status="reading")
    reading_list_set(user=user, work=gone, status="want")
    last = work.chapters.get(position=2)
    ReadingListEntry.objects.filter(work=work).update(chapter_id=last.pk)
    Work.objects.filter(pk=gone.pk).update(hidden_by_admin=True)
    reading_list_set(user=other_user, work=work, status="dropped")  # someone else's
    target = tmp_path / "export.zip"
    write_zip(user, target)
    with zipfile.ZipFile(target) as archive:
        document = json.loads(archive.read("reading_list.json"))
        readme = archive.read("README.txt").decode()
    assert document["schema"] == "fanarchive-export/1"
    entries = document["reading_list"]
    assert [(e["work"], e["status"]) for e in entries] == [
        ({"id": work.pk, "title": "Quay Songs"}, "reading"),
        ({"id": gone.pk, "title": None}, "want"),  # no longer shown: only its id
    ]
    assert entries[0]["last_chapter_id"] == last.pk
    assert entries[1]["last_chapter_id"] is None
    assert "reading_list.json" in readme


def test_deleting_the_account_removes_its_reading_list(db):
    reader = make_user("leaving_reader")
    work = make_work(make_user("staying_writer"))
    reading_list_set(user=reader, work=work, status="finished")
    account_delete(
        user=reader,
        password=PASSWORD,
        address="192.0.2.9",
        choices=DeletionChoices(works="delete", comments="delete"),
    )
    assert not ReadingListEntry.objects.exists()
    assert Work.objects.filter(pk=work.pk).exists()
