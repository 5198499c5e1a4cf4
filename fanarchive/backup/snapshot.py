"""Writing a backup: one consistent snapshot of the database, then the data files, streamed.

The rows are read in one read-only transaction that sees one moment of the database
while the site goes on writing: REPEATABLE READ on PostgreSQL; on SQLite (WAL mode,
config/settings.py) a deferred read transaction, whose snapshot is taken at its first
read and which never blocks writers. Rows are read by primary key in chunks
(`iterator`), encoded and compressed as they come, so memory does not grow with the
archive. See docs/backup-format.md for the format.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from fanarchive.backup import format as fmt

COMPRESS_LEVEL = 3  # gzip's 6 costs twice the time for a file ~8% smaller


@dataclass
class Summary:
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    bytes_written: int = 0

    def works(self) -> int:
        return self.tables.get("works_work", 0)


class _Writer:
    """Lines into a gzip stream, hashed as they go."""

    def __init__(self, raw: IO[bytes]) -> None:
        self.raw = raw
        self.gz = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=COMPRESS_LEVEL, mtime=0)
        self.sha = hashlib.sha256()

    def lines(self, data: str) -> None:
        encoded = data.encode("utf-8")
        self.sha.update(encoded)
        self.gz.write(encoded)

    def line(self, obj: Any) -> None:
        self.lines(_dumps(obj) + "\n")

    def close(self, footer: dict[str, Any]) -> None:
        footer["sha256"] = self.sha.hexdigest()
        self.gz.write((_dumps(footer) + "\n").encode("utf-8"))
        self.gz.close()


_dumps = json.JSONEncoder(ensure_ascii=True, separators=(",", ":"), allow_nan=False).encode


@contextmanager
def snapshot(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Every read inside sees the database as it was at one moment."""
    connection = connections[using]
    if connection.in_atomic_block:
        # Already in a transaction (a test's): its reads see one state.
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    if connection.vendor == "sqlite":
        # Not transaction.atomic(): the settings' IMMEDIATE mode would take the write lock
        # for the whole backup. A deferred transaction only reads, from one WAL snapshot.
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    raise fmt.BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


def _data_files(data_dir: Path, leave_out: set[Path]) -> list[tuple[str, Path]]:
    """The data directory's files worth keeping, by path relative to it."""
    found: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(data_dir):
        here = Path(root)
        if here == data_dir:
            dirs[:] = [d for d in dirs if d not in fmt.DATA_SKIPPED_DIRS]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".restore-"))
        for name in sorted(files):
            path = here / name
            if name.endswith(fmt.DATA_SKIPPED_SUFFIXES) or path.resolve() in leave_out:
                continue
            if name.endswith(fmt.DATA_UNFINISHED_SUFFIXES) or path.is_symlink():
                continue
            if not path.is_file():
                continue
            found.append((path.relative_to(data_dir).as_posix(), path))
    return found


def backup_write(
    raw: IO[bytes],
    *,
    using: str = DEFAULT_DB_ALIAS,
    leave_out: set[Path] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Summary:
    """Write a backup of the database `using` and the data directory to `raw`."""
    connection = connections[using]
    out = _Writer(raw)
    summary = Summary()
    with snapshot(using):
        out.line(
            {
                "format": fmt.FORMAT_NAME,
                "version": fmt.FORMAT_VERSION,
                "created_at": timezone.now().isoformat(),
                "engine": connection.vendor,
                "migrations": fmt.applied_migrations(connection),
            }
        )
        for model in fmt.backed_up_models():
            fields = fmt.columns_of(model)
            meta = model._meta
            out.line(
                {
                    "table": meta.db_table,
                    "model": meta.label_lower,
                    "columns": [f.column for f in fields],
                }
            )
            encode = fmt.encoders(fields)
            coded = [(i, e) for i, e in enumerate(encode) if e is not None]
            rows = (
                model._base_manager.using(using)
                .order_by("pk")
                .values_list(*[f.attname for f in fields])
                .iterator(chunk_size=fmt.ROWS_PER_BATCH)
            )
            count = 0
            batch: list[str] = []
            for row in rows:
                if coded:
                    values = list(row)
                    for i, encoder in coded:
                        values[i] = encoder(values[i])
                    batch.append(_dumps(values))
                else:
                    batch.append(_dumps(row))
                if len(batch) >= fmt.ROWS_PER_BATCH:
                    out.lines("\n".join(batch) + "\n")
                    count += len(batch)
                    batch.clear()
                    if progress:
                        progress(meta.db_table, count)
            if batch:
                out.lines("\n".join(batch) + "\n")
                count += len(batch)
            summary.tables[meta.db_table] = count
    data_dir = Path(settings.DATA_DIR).resolve()
    for name, path in _data_files(data_dir, leave_out or set()):
        size = 0
        with path.open("rb") as handle:
            content = iter(lambda: handle.read(fmt.FILE_CHUNK), b"")
            out.line({"file": name, "size": path.stat().st_size})
            for chunk in content:
                size += len(chunk)
                out.line({"data": fmt.b64encode(chunk)})
        out.line({"file_end": name, "size": size})
        summary.files[name] = size
    out.close({"end": True, "tables": summary.tables, "files": summary.files})
    return summary


def backup_to_path(path: Path, *, progress: Callable[[str, int], None] | None = None) -> Summary:
    """Write the backup to `path` through a `.partial` file renamed at the end, so a
    backup cut short never looks like a finished one."""
    partial = path.with_name(path.name + ".partial")
    try:
        with partial.open("wb") as raw:
            summary = backup_write(
                raw, leave_out={path.resolve(), partial.resolve()}, progress=progress
            )
            raw.flush()
            os.fsync(raw.fileno())
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    summary.bytes_written = path.stat().st_size
    return summary
