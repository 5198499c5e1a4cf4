"""The backup services and commands: restore, verify, and what they refuse."""

from __future__ import annotations

import gzip
import json
from io import BytesIO, StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fanarchive.accounts.models import User
from fanarchive.backup import format as fmt
from fanarchive.backup.format import BackupError
from fanarchive.backup.reader import _parse, safe_file_name
from fanarchive.backup.restore_services import backup_check, backup_restore, lz4_available
from fanarchive.backup.snapshot import backup_to_path, backup_write
from fanarchive.backup.tests.helpers import rewritten
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import Kudos
from fanarchive.tags.models import Tag
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(tmp_path: Path, settings) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    (settings.DATA_DIR / "secret_key").write_text("a-key-for-tests")
    for skipped in ("index", "downloads", "static"):
        (settings.DATA_DIR / skipped).mkdir()
        (settings.DATA_DIR / skipped / "rebuilt.bin").write_bytes(b"\0" * 10)
    return settings.DATA_DIR


@pytest.fixture
def backup(tmp_path: Path, data_dir: Path) -> Path:
    """A backup of a small archive, which is then emptied (as a new archive would be)."""
    writer = make_user("harbour_writer")
    work = make_work(writer, chapters=2, title="The Tide Clock")
    kudos_give(work=work, user=make_user("reader"))
    path = tmp_path / "archive.backup"
    summary = backup_to_path(path)
    assert summary.works() == 1 and summary.tables["works_chapter"] == 2
    assert set(summary.files) == {"secret_key"}
    Work.objects.all().delete()
    User.objects.all().delete()
    (data_dir / "secret_key").write_text("the new archive's own key")
    return path


def _restore(path: Path) -> None:
    with path.open("rb") as raw:
        backup_restore(raw)


def _nothing_restored(data_dir: Path) -> None:
    assert not User.objects.exists() and not Work.objects.exists()
    assert (data_dir / "secret_key").read_text() == "the new archive's own key"
    assert not [p for p in data_dir.iterdir() if p.name.startswith(".restore-")]


def test_restore_fills_the_empty_archive(backup, data_dir):
    tags = Tag.objects.count()
    _restore(backup)
    work = Work.objects.get(title="The Tide Clock")
    assert Chapter.objects.filter(work=work).count() == 2
    assert Kudos.objects.get().work == work
    assert Tag.objects.count() == tags
    assert (data_dir / "secret_key").read_text() == "a-key-for-tests"
    # New rows get new ids after the restored ones.
    assert make_work(User.objects.get(username="harbour_writer")).pk > work.pk


def test_restore_refuses_an_archive_that_is_not_empty(backup, data_dir):
    make_user("already_here")
    with pytest.raises(BackupError, match="not empty"):
        _restore(backup)
    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[: len(b) // 2], "cut short|ends early"),
        (lambda b: b[:-30], "cut short|ends early|gzip"),
        (lambda b: b"not a backup at all", "not a readable backup"),
        (lambda b: b"", "empty"),
        (lambda b: gzip.compress(b"{}\n"), "not a Fanarchive backup"),
        (
            lambda b: gzip.compress(
                gzip.decompress(b).replace(b"The Tide Clock", b"The Tidy Clock")
            ),
            "checksum",
        ),
        (
            lambda b: gzip.compress(b"\n".join(gzip.decompress(b).split(b"\n")[:-2]) + b"\n"),
            "no last line",
        ),
    ],
)
def test_a_damaged_backup_restores_nothing(backup, data_dir, tmp_path, damage, message):
    bad = tmp_path / "damaged.backup"
    bad.write_bytes(damage(backup.read_bytes()))
    with pytest.raises(BackupError, match=message):
        _restore(bad)
    _nothing_restored(data_dir)
    with pytest.raises(CommandError, match="not a sound backup"):
        call_command("backup", "--verify", str(bad), stdout=StringIO())


def test_a_backup_saying_something_else_is_refused(backup, data_dir, tmp_path):
    def other_migrations(lines: list[bytes]) -> list[bytes]:
        header = json.loads(lines[0])
        header["migrations"]["works"].append("9999_from_the_future")
        return [json.dumps(header).encode() + b"\n", *lines[1:]]

    def bad_date(lines: list[bytes]) -> list[bytes]:
        at = next(i for i, line in enumerate(lines) if b'"table":"works_work"' in line)
        row = json.loads(lines[at + 1])
        columns = json.loads(lines[at])["columns"]
        row[columns.index("created_at")] = "yesterday-ish"
        return [*lines[: at + 1], json.dumps(row).encode() + b"\n", *lines[at + 2 :]]

    def escaping_file(lines: list[bytes]) -> list[bytes]:
        return [
            line.replace(b'"file":"secret_key"', b'"file":"../outside"').replace(
                b'"file_end":"secret_key"', b'"file_end":"../outside"'
            )
            for line in lines
        ]

    cases = [
        (other_migrations, "newer Fanarchive"),
        (bad_date, "works_work.created_at cannot be read"),
        (escaping_file, "not allowed"),
    ]
    for change, message in cases:
        target = tmp_path / f"{change.__name__}.backup"
        rewritten(backup, target, change)
        with pytest.raises(BackupError, match=message):
            _restore(target)
        _nothing_restored(data_dir)
    assert not (tmp_path / "outside").exists()


def test_verify_reads_a_sound_backup_and_says_what_it_holds(backup):
    out = StringIO()
    call_command("backup", "--verify", str(backup), stdout=out)
    text = out.getvalue()
    assert "a sound backup" in text and "works_chapter: 2 rows" in text
    with backup.open("rb") as raw:
        summary = backup_check(raw)
    assert summary.tables["works_work"] == 1 and summary.files == {"secret_key": 15}


def test_the_backup_leaves_out_caches_sessions_and_rebuilt_tables(data_dir):
    make_work(make_user("harbour_writer"))
    raw = BytesIO()
    summary = backup_write(raw)
    tables = set(summary.tables)
    assert "works_work" in tables and "engagement_bookmark_tags" in tables
    for skipped in (
        "django_session",
        "discovery_searchdocument",
        "discovery_cataloguechange",
        "works_cataloguereader",
        "works_stalesearchdocument",
    ):
        assert skipped not in tables
    assert "core_ratecount" not in tables
    assert set(summary.files) == {"secret_key"}
    assert "auth_group_permissions" in tables and "django_content_type" in tables


def test_the_commands_explain_their_refusals(backup, tmp_path):
    make_user("already_here")
    with pytest.raises(CommandError, match=r"Nothing was restored\. This archive is not empty"):
        call_command("restore", str(backup), stdout=StringIO())
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("backup", "--verify", str(tmp_path / "missing.backup"), stdout=StringIO())
    with pytest.raises(CommandError, match="is a directory"):
        call_command("backup", str(tmp_path), stdout=StringIO())


def test_a_backup_cut_short_leaves_no_file(tmp_path, data_dir, monkeypatch):
    make_work(make_user("harbour_writer"))

    def failing(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fmt, "applied_migrations", failing)
    target = tmp_path / "full-disk.backup"
    with pytest.raises(CommandError, match="No space left"):
        call_command("backup", str(target), stdout=StringIO())
    assert list(tmp_path.glob("full-disk*")) == []


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("secret_key", True),
        ("exports/7/archive.zip", True),
        ("../secret_key", False),
        ("/etc/passwd", False),
        ("a/../../b", False),
        (".hidden", False),
        ("index/catalogue.bin", False),
        ("fanarchive.sqlite3", False),
        ("a\\b", False),
        ("", False),
    ],
)
def test_file_names_stay_inside_the_data_directory(name, safe):
    assert safe_file_name(name) is safe


def _foreign_keys(table: str) -> dict[str, tuple[str, str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: c["foreign_key"] for name, c in found.items() if c["foreign_key"]}


@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_rows_naming_rows_the_backup_lacks_are_refused(backup, data_dir, tmp_path):
    def orphan_chapter(lines: list[bytes]) -> list[bytes]:
        at = next(i for i, line in enumerate(lines) if b'"table":"works_chapter"' in line)
        row = json.loads(lines[at + 1])
        row[json.loads(lines[at])["columns"].index("work_id")] = 987654
        return [*lines[: at + 1], json.dumps(row).encode() + b"\n", *lines[at + 2 :]]

    keys = _foreign_keys("works_chapter")
    assert ("works_work", "id") in keys.values()
    target = tmp_path / "orphan.backup"
    rewritten(backup, target, orphan_chapter)
    with pytest.raises(BackupError, match="do not hold together"):
        _restore(target)
    _nothing_restored(data_dir)
    assert _foreign_keys("works_chapter") == keys  # set aside during the copy, and back
    _restore(backup)  # the sound backup still restores
    assert Work.objects.get().chapters.count() == 2


def _indexes(table: str) -> dict[str, tuple[list[str], bool]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return {name: (c["columns"], c["unique"]) for name, c in found.items() if c["index"]}


@pytest.mark.flushes_database
@pytest.mark.django_db(transaction=True)
def test_rows_breaking_a_unique_index_are_refused_and_indexes_come_back(backup, data_dir, tmp_path):
    """The same reader's kudos twice: refused by the unique index built again after the
    copy (on PostgreSQL it is set aside meanwhile), and every index is back as it was."""

    def kudos_twice(lines: list[bytes]) -> list[bytes]:
        at = next(i for i, line in enumerate(lines) if b'"table":"engagement_kudos"' in line)
        columns = json.loads(lines[at])["columns"]
        row = json.loads(lines[at + 1])
        row[columns.index("id")] = 987654
        return [*lines[: at + 2], json.dumps(row).encode() + b"\n", *lines[at + 2 :]]

    before = {table: _indexes(table) for table in ("engagement_kudos", "works_worktag")}
    assert any(unique for _, unique in before["engagement_kudos"].values())
    target = tmp_path / "twice.backup"
    rewritten(backup, target, kudos_twice, added={"engagement_kudos": 1})
    with pytest.raises(BackupError, match="do not hold together"):
        _restore(target)
    _nothing_restored(data_dir)
    assert {table: _indexes(table) for table in before} == before
    _restore(backup)
    assert Kudos.objects.count() == 1
    assert {table: _indexes(table) for table in before} == before


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's compression")
def test_restore_compresses_long_texts_with_lz4_where_the_server_has_it(tmp_path, data_dir):
    if not lz4_available(connection):
        pytest.skip("this PostgreSQL server was built without lz4")
    long_text = "\n\n".join(
        f"Paragraph {n}: the lamp burned low while {n * 7} gulls circled the quay."
        for n in range(400)
    )
    make_work(make_user("long_writer"), texts=[long_text], title="The Long Watch")
    path = tmp_path / "long.backup"
    backup_to_path(path)
    Work.objects.all().delete()
    User.objects.all().delete()
    _restore(path)
    chapter = Chapter.objects.get(work__title="The Long Watch")
    assert chapter.content.count("gulls circled the quay") == 400  # read back whole
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_column_compression(content) FROM works_chapter WHERE id = %s",
            [chapter.pk],
        )
        assert cursor.fetchone() == ("lz4",)


def test_a_line_only_the_json_module_reads_is_still_read():
    """orjson refuses NaN, which json writes for a float that is not a number."""
    row = _parse(b'[1, NaN, "x"]\n', 5)
    assert row[0] == 1 and row[1] != row[1] and row[2] == "x"
    with pytest.raises(BackupError, match="Line 5 of the backup is not valid JSON"):
        _parse(b"[1, \n", 5)
