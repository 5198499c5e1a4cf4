"""Reading a whole eFiction archive, from a dump file or a live database, into an `Archive`."""

from __future__ import annotations

from pathlib import Path

from fanarchive.formats.efiction.dump import DumpReader
from fanarchive.formats.efiction.live import LiveReader
from fanarchive.formats.efiction.records import Archive
from fanarchive.formats.efiction.schema import add_rows


def read_dump(path: Path, *, prefix: str) -> Archive:
    archive = Archive()
    for found in DumpReader(path).rows():
        add_rows(archive, prefix=prefix, table=found.table, rows=found.rows)
    return archive


def read_live(url: str, *, prefix: str) -> Archive:
    archive = Archive()
    reader = LiveReader(url, prefix=prefix)
    try:
        for table in reader.tables():
            add_rows(archive, prefix=prefix, table=table, rows=reader.rows(table))
    finally:
        reader.close()
    return archive
