"""Reading eFiction archives: the streaming dump parser, the row mapping, the live reader."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import secrets
from pathlib import Path

import pytest

from fanarchive.formats.efiction import dump as dump_module
from fanarchive.formats.efiction import schema
from fanarchive.formats.efiction.dump import DumpReader, split_statements
from fanarchive.formats.efiction.read import read_dump, read_live
from fanarchive.formats.efiction.records import TABLES, Archive
from fanarchive.formats.efiction.sample import insert_sql
from fanarchive.formats.efiction.schema import date_of, ids_of, text_of
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.tests import efiction_fixture

TRICKY = (
    b"-- MySQL dump 10.13\n"
    b"/*!40101 SET NAMES latin1 */;\n"
    b"/* a comment; with a semicolon */\n"
    b"DROP TABLE IF EXISTS `t`;\n"
    b"CREATE TABLE `t` (\n  `id` int(11) NOT NULL,\n  `body` text,\n"
    b"  `n` float,\n  PRIMARY KEY (`id`),\n  KEY `b` (`body`(10))\n) ENGINE=MyISAM;\n"
    b"LOCK TABLES `t` WRITE;\n"
    b"INSERT INTO `t` VALUES (1,'O\\'Brien; said \"hi\"',1.5),(2,'it''s -- not # a comment',-2),"
    b"\n(3,'back\\\\slash \\n new \\r\\n line \\0 zero \\Z end \\t tab \\% pct',NULL);\n"
    b"# a hash comment ; here\n"
    b'INSERT INTO t (body, id, n) VALUES ("double \\" quote", 4, 1e3), (0x4869, 5, 0);\n'
    b"UNLOCK TABLES;\n"
    b"INSERT INTO `db`.`t` VALUES (6,'caf\xe9',7)"
)


def rows_of(data: bytes, tmp_path: Path) -> tuple[list[dict], DumpReader]:
    path = tmp_path / "dump.sql"
    path.write_bytes(data)
    reader = DumpReader(path)
    rows = [row for found in reader.rows() for row in found.rows]
    return rows, reader


@pytest.mark.parametrize("chunk", [1 << 20, 7, 1])
def test_the_dump_parser_reads_mysql_quoting_in_any_chunk_size(tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(dump_module, "CHUNK", chunk)
    rows, reader = rows_of(TRICKY, tmp_path)
    assert reader.charset == "latin1"
    assert reader.columns["t"] == ["id", "body", "n"]
    assert rows == [
        {"id": 1, "body": b'O\'Brien; said "hi"', "n": 1.5},
        {"id": 2, "body": b"it's -- not # a comment", "n": -2},
        {
            "id": 3,
            "body": b"back\\slash \n new \r\n line \x00 zero \x1a end \t tab \\% pct",
            "n": None,
        },
        {"id": 4, "body": b'double " quote', "n": 1000.0},
        {"id": 5, "body": b"Hi", "n": 0},
        {"id": 6, "body": b"caf\xe9", "n": 7},
    ]


def test_statements_are_split_outside_strings_and_comments():
    data = b"SELECT ';';\n-- x; y\nSELECT `a;b`;\n/* c; */ SELECT 1;"
    texts = [s.text for s in split_statements(io.BytesIO(data))]
    assert texts == [b"SELECT ';'", b"-- x; y\nSELECT `a;b`", b"/* c; */ SELECT 1"]


def test_bad_rows_name_their_line(tmp_path):
    data = b"CREATE TABLE t (\n  id int,\n  b text\n);\n\nINSERT INTO t VALUES (1,'a'),\n(2);\n"
    with pytest.raises(ImportFailed, match="1 values for the 2 columns") as error:
        rows_of(data, tmp_path)
    assert error.value.line == 7
    with pytest.raises(ImportFailed, match="without naming the columns"):
        rows_of(b"INSERT INTO nowhere VALUES (1);", tmp_path)


def test_values_written_by_the_sample_writer_read_back(tmp_path):
    table_rows: list[tuple[int, str | bytes, int | None]] = [
        (1, "line\nbreak 'quoted' \\ back", None),
        (2, b"\xe9t\xe9", 3),
    ]
    path = tmp_path / "d.sql"
    path.write_bytes(b"CREATE TABLE `x` (\n `a` int,\n `b` text,\n `c` int\n);\n")
    path.write_bytes(path.read_bytes() + insert_sql("x", table_rows))
    rows = [r for found in DumpReader(path).rows() for r in found.rows]
    assert rows[0]["b"] == b"line\nbreak 'quoted' \\ back"
    assert text_of(rows[1]["b"]) == "été"


def test_text_dates_and_id_lists():
    assert text_of(b"caf\xc3\xa9") == "café"  # UTF-8
    assert text_of(b"caf\xe9") == "café"  # latin-1 / cp1252
    assert text_of(b"\x93quoted\x94") == "“quoted”"  # cp1252 quotes
    assert text_of("cafÃ© crÃ¨me".encode()) == "café crème"  # mojibake
    assert text_of(b"a\r\nb\x00") == "a\nb"
    assert date_of("2008-03-01 12:00:00") == dt.datetime(2008, 3, 1, 12, tzinfo=dt.UTC)
    assert date_of(1204372800) == dt.datetime(2008, 3, 1, 12, tzinfo=dt.UTC)
    assert date_of(b"1204372800") == dt.datetime(2008, 3, 1, 12, tzinfo=dt.UTC)
    assert date_of("0000-00-00 00:00:00") is None
    assert date_of(0) is None
    assert ids_of(b"3,12, 7,,3,-1,x") == [3, 12, 7]


def test_a_fixture_dump_reads_into_records(tmp_path):
    fixture = efiction_fixture.build(tmp_path)
    archive = read_dump(fixture.dump, prefix="fanfiction_")
    assert archive.authors[2].penname == "Émile Côté"
    assert archive.authors[3].bio == "Loves café au lait."
    assert archive.stories[1].catids == [2] and archive.stories[1].charids == [1, 2]
    assert [c.chapid for c in archive.chapters_of(6)] == [8, 7, 9]
    assert archive.reviews[1].uid == 0 and archive.reviews[1].reviewer == "Passing Gull"
    assert archive.inseries[1].subseriesid == 2
    assert archive.ignored_tables == {}
    assert archive.site.store == "files" and archive.site.storiespath == "stories"


def test_every_table_read_has_a_builder_and_a_place_in_the_archive():
    """`records.TABLES` is the one list of tables: the readers, report and stages use it."""
    assert list(schema._BUILDERS) == list(TABLES)
    fields = {f.name for f in dataclasses.fields(Archive)}
    assert set(TABLES) <= fields


# -- the live reader ----------------------------------------------------------------------

MARIADB_HOST, MARIADB_PORT = "127.0.0.1", 3306


@pytest.fixture
def mariadb_database(tmp_path):
    """A throwaway MariaDB database loaded with the fixture dump; dropped afterwards.

    In CI (CI=true) an unreachable server fails the test: CI starts MariaDB.
    """
    import pymysql

    try:
        server = pymysql.connect(
            host=MARIADB_HOST,
            port=MARIADB_PORT,
            user="root",
            password="",
            charset="latin1",
            connect_timeout=5,
        )
    except pymysql.MySQLError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"MariaDB is not reachable on 127.0.0.1:3306: {error}")
        pytest.skip(f"MariaDB is not reachable on 127.0.0.1:3306: {error}")
    name = f"fa_efiction_test_{secrets.token_hex(4)}"
    fixture = efiction_fixture.build(tmp_path, unix_dates=False)
    try:
        with server.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET latin1")
            cursor.execute(f"USE `{name}`")
            with fixture.dump.open("rb") as handle:
                for statement in split_statements(handle):
                    # Sent as bytes into latin1 columns: the server keeps the dump's bytes.
                    server.query(statement.text)
        server.commit()
        yield name, fixture
    finally:
        with server.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        server.close()


def test_the_live_reader_reads_what_the_dump_holds(mariadb_database, tmp_path):
    name, fixture = mariadb_database
    live = read_live(f"mysql://root@127.0.0.1:3306/{name}", prefix="fanfiction_")
    dumped = read_dump(fixture.dump, prefix="fanfiction_")
    assert live.authors == dumped.authors
    assert live.stories == dumped.stories
    assert live.chapters == dumped.chapters
    assert live.categories == dumped.categories
    assert live.series == dumped.series and live.inseries == dumped.inseries
    assert live.reviews == dumped.reviews and live.favorites == dumped.favorites
    assert live.coauthors == dumped.coauthors
    assert live.authors[2].penname == "Émile Côté"


@pytest.mark.django_db
def test_the_command_migrates_a_live_database(mariadb_database):
    import json
    from io import StringIO

    from django.core.management import call_command

    from fanarchive.core.testing import make_user
    from fanarchive.works.models import Work

    name, fixture = mariadb_database
    make_user("archivist", is_staff=True)
    out = StringIO()
    call_command(
        "migrate-efiction",
        "--database",
        f"mysql://root@127.0.0.1:3306/{name}",
        "--stories",
        str(fixture.stories),
        "--as",
        "archivist",
        "--json",
        "--no-progress",
        stdout=out,
    )
    report = json.loads(out.getvalue())
    assert report["counts"]["stories"] == {"read": 6, "migrated": 4, "skipped": 2}
    assert report["counts"]["reviews"] == {"read": 8, "migrated": 5, "skipped": 3}
    assert report["counts"]["favorites"] == {"read": 9, "migrated": 5, "skipped": 4}
    assert Work.objects.filter(title="Lanterns Over the Quay").exists()


def test_a_live_database_that_cannot_be_reached_is_a_clear_error():
    with pytest.raises(ImportFailed, match="cannot be reached") as error:
        read_live("mysql://root:secret@127.0.0.1:1/none", prefix="fanfiction_")
    assert "secret" not in str(error.value) and ":***@" in str(error.value)
    with pytest.raises(ImportFailed, match="names no database"):
        read_live("mysql://root@127.0.0.1:3306/", prefix="fanfiction_")
    with pytest.raises(ImportFailed, match="not a mysql://"):
        read_live("postgres://x@y/z", prefix="fanfiction_")
