"""Backup and restore across engines (issue 16, I5): an archive backed up from this test's
database is restored into the other engine by the `fanarchive` command, backed up there,
and restored here again; every table's rows, logging in, the works list, a search and a
download come back the same."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Pseud, User
from fanarchive.backup.restore_services import backup_restore
from fanarchive.backup.snapshot import backup_to_path
from fanarchive.backup.tests.helpers import (
    other_engine,
    run_command,
    source_environment,
    tables_of,
)
from fanarchive.core.testing import make_user
from fanarchive.demo.generator import DEMO_PASSWORD, DEMO_USERNAME
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.formats.tests import efiction35_fixture as f35
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import ChapterRevision, Series, Work, WorkRevision
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import work_update
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

pytestmark = [pytest.mark.flushes_database, pytest.mark.django_db(transaction=True)]

_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def _archive(tmp_path: Path) -> Work:
    """A demo archive plus what the demo does not make, and a migrated eFiction archive."""
    admin = make_user("archivist", is_staff=True)
    fixture = f35.build(tmp_path / "efiction")
    call_command(
        "migrate-efiction",
        "--dump",
        str(fixture.dump),
        "--as",
        "archivist",
        "--json",
        "--no-progress",
        stdout=StringIO(),
    )
    call_command("demo", "--works", "6", "--users", "4", "--no-progress", stdout=StringIO())
    demo = User.objects.get(username=DEMO_USERNAME)
    reader = make_user("harbour_reader")
    reader_pseud = Pseud.objects.get(user=reader, is_default=True)
    work = Work.objects.filter(posted=True, hidden_by_admin=False, restricted=False).first()
    assert work is not None
    author = work.creatorships.first().pseud.user  # type: ignore[union-attr]
    chapter = work.chapters.filter(posted=True).first()
    assert chapter is not None
    first = comment_create(chapter=chapter, user=reader, text="The lighthouse scene is lovely.")
    comment_create(chapter=chapter, user=author, text="Thank you!", parent=first)
    comment_create(chapter=chapter, user=demo, text="The storm chapter, too.")
    kudos_give(work=work, user=reader)
    kudos_give(work=work, user=None, guest_key="g1")
    bookmark_create(
        user=reader, pseud=reader_pseud, work=work, notes="Read it twice.", tags=["Comfort Read"]
    )
    series = series_create(user=author, title="Harbour Lights", summary="Boats, mostly.")
    series_work_add(user=author, work=work, series=series)
    data = work_input_of(work)
    data.title = work.title + " (Revised)"
    work_update(user=author, work=work, data=data)
    freeform = Tag.objects.filter(type=TagType.FREEFORM, canonical=False).order_by("id")
    canonical, synonym = freeform[0], freeform[1]
    tag_set_canonical(user=admin, tag=canonical, canonical=True)
    tag_make_synonym(user=admin, tag=synonym, canonical=canonical)
    assert Series.objects.exists() and WorkRevision.objects.count() > Work.objects.count()
    assert ChapterRevision.objects.exists() and demo.pk
    call_command("tags_recount", stdout=StringIO())
    call_command("reindex", "--search", stdout=StringIO(), stderr=StringIO())
    return work


def _surfaces(work: Work) -> dict[str, bytes]:
    guest = Client()
    word = work.title.split()[0]
    seen = {
        "works": guest.get(reverse("works:list")),
        "search": guest.get(reverse("works:list") + f"?q={word}"),
        "download": guest.get(reverse("formats:download", args=[work.pk, "html"])),
    }
    pages = {}
    for name, response in seen.items():
        assert response.status_code == 200, name
        body = response.getvalue()
        pages[name] = _TOKEN.sub(b"", body)
    assert str(work.pk).encode() in pages["works"] and work.title.encode() in pages["search"]
    for username, password in [
        (DEMO_USERNAME, DEMO_PASSWORD),
        ("Archivist_Ada", f35.PASSWORD_ADA),
        ("Zoe_Bronte", f35.PASSWORD_ZOE),
    ]:
        login = Client().post(
            reverse("accounts:login"), {"username": username, "password": password}
        )
        assert login.status_code == 302, username
    return pages


def test_sqlite_and_postgresql_round_trip_keeps_every_row_and_page(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "final-data"
    settings.DATA_DIR.mkdir()
    work = _archive(tmp_path)
    before = _surfaces(work)
    first, second, third = (tmp_path / f"{n}.fanarchive-backup" for n in "abc")
    source, source_data = source_environment(tmp_path / "source-data")
    source_data.mkdir(exist_ok=True)
    (source_data / "notes.txt").write_text("The archive's own notes.\n")

    # 1. Backed up by the command, from this test's database.
    run_command("backup", str(first), env=source)
    # 2. Restored into a new archive of the other engine, and backed up there.
    with other_engine(tmp_path / "other-data") as other:
        restored = run_command("restore", str(first), env=other)
        assert "Restored " in restored and "Rebuilt the index" in restored
        run_command("backup", str(second), env=other)
        verified = run_command("backup", "--verify", str(second), env=other)
        assert "a sound backup" in verified
    # 3. Restored here again, into the emptied database.
    call_command("flush", interactive=False)
    with second.open("rb") as raw:
        summary = backup_restore(raw)
    call_command("reindex", "--search", stdout=StringIO(), stderr=StringIO())
    call_command("tags_recount", stdout=StringIO())
    backup_to_path(third)

    rows_a, files_a = tables_of(first)
    rows_b, files_b = tables_of(second)
    rows_c, files_c = tables_of(third)
    assert summary.works() == Work.objects.count() == len(rows_a["works_work"]) > 6
    assert set(rows_a) == set(rows_b) == set(rows_c)
    for table in rows_a:
        assert rows_b[table] == rows_a[table], table
        assert rows_c[table] == rows_a[table], table
    assert rows_a["engagement_comment"] and rows_a["formats_efictionmapping"]
    assert rows_a["tags_wranglinglog"] and rows_a["works_serieswork"]
    assert files_a["notes.txt"] == files_c["notes.txt"] == b"The archive's own notes.\n"
    assert files_a["secret_key"] == files_b["secret_key"] == files_c["secret_key"]
    assert _surfaces(Work.objects.get(pk=work.pk)) == before
