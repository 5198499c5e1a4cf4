"""The backup file: what it holds and how each value is written (docs/backup-format.md).

A backup is one gzip stream of UTF-8 JSON lines:

    {"format": "fanarchive-backup", "version": 1, ...}          the header
    {"table": "works_work", "model": "works.work", "columns": [...]}
    [1, "A title", ...]                                          one line per row
    ...
    {"file": "secret_key", "size": 68}                           a file of the data directory
    {"data": "<base64>"}                                         its bytes, in chunks
    {"end": true, "tables": {...}, "files": {...}, "sha256": "..."}   the footer

Values are engine-neutral: dates and times in ISO 8601, decimals and UUIDs as strings,
bytes in base64, JSON as JSON. The footer's sha256 is of every line before it (their
bytes, newlines included), so a truncated or altered file is found by `--verify`.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

FORMAT_NAME = "fanarchive-backup"
FORMAT_VERSION = 1

# Tables a backup leaves out, by model label: rebuilt on restore (the catalogue's change
# log, its readers' positions, the search documents and those waiting to be rewritten:
# a restore writes every document), transient (sessions, rate-limit counts, the task queue), or
# mapped rather than copied (content types and permissions differ between databases: they
# are written, and matched on restore by their natural keys).
SKIPPED = frozenset(
    {
        "sessions.session",
        "core.ratecount",
        "django_tasks_database.dbtaskresult",
        "works.cataloguechange",
        "works.cataloguereader",
        "works.searchdocument",
        "works.stalesearchdocument",
    }
)
CONTENT_TYPES = "contenttypes.contenttype"
PERMISSIONS = "auth.permission"
MAPPED = frozenset({CONTENT_TYPES, PERMISSIONS})

# Entries of the data directory that are rebuilt or transient, never backed up: the
# catalogue index, cached downloads, collected static files, the workers' lock files,
# uploads waiting a day at most for their owner, and SQLite's own files.
DATA_SKIPPED_DIRS = frozenset({"index", "downloads", "static", "workers", "imports"})
DATA_SKIPPED_SUFFIXES = (".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal")
# Files still being written (a data export's `.part`, a backup's `.partial`).
DATA_UNFINISHED_SUFFIXES = (".part", ".partial")

ROWS_PER_BATCH = 2000
FILE_CHUNK = 48 * 1024


class BackupError(Exception):
    """A backup that cannot be written, read or restored; the message says why."""


def backed_up_models() -> list[type[models.Model]]:
    """Every table a backup holds, content types and permissions first (restore maps
    them), then the apps' models in INSTALLED_APPS order, many-to-many tables included."""
    chosen: list[type[models.Model]] = []
    tables: set[str] = set()
    for model in apps.get_models(include_auto_created=True):
        meta = model._meta
        if not meta.managed or meta.proxy or meta.label_lower in SKIPPED:
            continue
        if meta.db_table in tables:
            continue
        tables.add(meta.db_table)
        chosen.append(model)
    first = {CONTENT_TYPES: 0, PERMISSIONS: 1}
    chosen.sort(key=lambda m: first.get(m._meta.label_lower, 2))
    return chosen


def columns_of(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.local_concrete_fields)


# -- values -----------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return None if value is None else value.isoformat()


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _b64(value: Any) -> Any:
    return None if value is None else base64.b64encode(bytes(value)).decode("ascii")


def _micros(value: Any) -> Any:
    return None if value is None else value // dt.timedelta(microseconds=1)


def _none_or(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def decode(value: Any) -> Any:
        return None if value is None else parse(value)

    return decode


# Internal type -> (to the file, from the file). Anything else (numbers, text, booleans,
# JSON) is written as it is.
_CODECS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], Any]]] = {
    "DateTimeField": (_iso, _none_or(dt.datetime.fromisoformat)),
    "DateField": (_iso, _none_or(dt.date.fromisoformat)),
    "TimeField": (_iso, _none_or(dt.time.fromisoformat)),
    "DecimalField": (_text, _none_or(decimal.Decimal)),
    "UUIDField": (_text, _none_or(uuid.UUID)),
    "BinaryField": (_b64, _none_or(base64.b64decode)),
    "DurationField": (_micros, _none_or(lambda v: dt.timedelta(microseconds=int(v)))),
}


def _target(field: models.Field[Any, Any]) -> models.Field[Any, Any]:
    """The field whose type a column really has (a foreign key's target's)."""
    while field.is_relation and field.target_field is not field:  # type: ignore[attr-defined]
        field = field.target_field  # type: ignore[attr-defined]
    return field


def encoders(fields: list[models.Field[Any, Any]]) -> list[Callable[[Any], Any] | None]:
    return [_CODECS.get(_target(f).get_internal_type(), (None, None))[0] for f in fields]


def decoders(fields: list[models.Field[Any, Any]]) -> list[Callable[[Any], Any] | None]:
    return [_CODECS.get(_target(f).get_internal_type(), (None, None))[1] for f in fields]


# -- sections -----------------------------------------------------------------------------


@dataclass
class Header:
    created_at: str
    engine: str
    migrations: dict[str, list[str]]


def applied_migrations(connection: Any) -> dict[str, list[str]]:
    """The migrations applied to `connection`'s database, by app, sorted."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        rows = cursor.fetchall()
    state: dict[str, list[str]] = {}
    for app, name in rows:
        state.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(state.items())}


def chunks(data: bytes) -> Iterator[bytes]:
    for start in range(0, len(data), FILE_CHUNK):
        yield data[start : start + FILE_CHUNK]


def b64encode(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
