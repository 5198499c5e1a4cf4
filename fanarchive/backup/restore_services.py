"""Restoring a backup into an empty archive, and checking one without restoring it.

`backup_restore` refuses an archive that holds accounts or works, and a backup whose
migration state differs from this code's (restore it with the version that made it, then
upgrade). It then reads the stream once, in one transaction: each table's rows replace
what the data migrations put there, inserted in batches with their own primary keys (no
model is saved, so no signal or service runs; on PostgreSQL by one COPY a table, its
foreign keys and plain indexes set aside and added back before the commit: one check and
one sorted build for all rows rather than one a row); content types and permissions are
matched by their natural keys, since their ids differ between databases. Any problem in
the file, rows that do not hold together included, rolls everything back. The data files
are written to a staging folder and moved into place once the rows are committed. The
tables are then analysed (planner statistics); the index and the search documents are
rebuilt afterwards by the command (`backup.rebuild`). The tags' use counts come with the
rows.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg.copy import QueuedLibpqWriter

from fanarchive.accounts.models import User
from fanarchive.backup import format as fmt
from fanarchive.backup import reader
from fanarchive.backup.format import BackupError
from fanarchive.works.models import Work

# Internal types whose values the database adapter needs prepared by the field.
_PREPARED = frozenset({*fmt._CODECS, "JSONField"})
# Memory PostgreSQL may use to sort an index's entries in one pass (its default, 64 MB,
# spills the larger indexes of 100,000 works, the word pairs' above all, to disk).
INDEX_BUILD_MEMORY = "256MB"


def lz4_available(connection: BaseDatabaseWrapper) -> bool:
    """Whether the database is a PostgreSQL server built with lz4 compression."""
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def lz4_compression_use(connection: BaseDatabaseWrapper, *, local: bool = False) -> bool:
    """PostgreSQL: compress the long values this session writes (chapters' texts, search
    documents' vectors) with lz4 where the server was built with it; whether it was.

    pglz, PostgreSQL's default, compresses about three times slower: it was half of a
    restore's load (the chapters) on 100,000 works. Values keep the method they were
    written with and read the same either way, so nothing else needs to know. `local`:
    for the current transaction only.
    """
    if not lz4_available(connection):
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"SET {'LOCAL ' if local else ''}default_toast_compression = 'lz4'")
    return True


@dataclass
class RestoreSummary:
    tables: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    created_at: str = ""
    engine: str = ""

    def works(self) -> int:
        return self.tables.get("works_work", 0)


def archive_contents(using: str = DEFAULT_DB_ALIAS) -> tuple[int, int]:
    """How many accounts and works the archive holds (a restore wants none)."""
    return (User.objects.using(using).count(), Work.objects.using(using).count())


def _migration_difference(backup: dict[str, list[str]], here: dict[str, list[str]]) -> str:
    ours = {(app, name) for app, names in here.items() for name in names}
    theirs = {(app, name) for app, names in backup.items() for name in names}
    missing_here = sorted(theirs - ours)
    missing_there = sorted(ours - theirs)
    parts = []
    if missing_there:
        listed = ", ".join(f"{a}.{n}" for a, n in missing_there[:5])
        parts.append(
            f"this archive's code has migrations the backup's had not ({listed}"
            f"{', ...' if len(missing_there) > 5 else ''}): restore the backup with the "
            "Fanarchive version that made it, then upgrade"
        )
    if missing_here:
        listed = ", ".join(f"{a}.{n}" for a, n in missing_here[:5])
        parts.append(
            f"the backup was made by a newer Fanarchive (migrations {listed}"
            f"{', ...' if len(missing_here) > 5 else ''}): upgrade this one and run "
            "`fanarchive migrate` first"
        )
    return "; ".join(parts)


class _Mapper:
    """Backup ids of content types and permissions -> this database's."""

    def __init__(self, using: str) -> None:
        self.using = using
        self.content_types: dict[int, int] = {}
        self.permissions: dict[int, int] = {}

    def content_type_rows(self, table: reader.Table, rows: list[list[Any]]) -> None:
        at = {c: i for i, c in enumerate(table.columns)}
        for row in rows:
            app_label, model = row[at["app_label"]], row[at["model"]]
            ct, _ = ContentType.objects.db_manager(self.using).get_or_create(
                app_label=app_label, model=model
            )
            self.content_types[row[at["id"]]] = ct.pk

    def permission_rows(self, table: reader.Table, rows: list[list[Any]]) -> None:
        at = {c: i for i, c in enumerate(table.columns)}
        for row in rows:
            content_type = self.content_types.get(row[at["content_type_id"]])
            if content_type is None:
                raise BackupError(
                    f"A permission of the backup names an unknown content type {row}."
                )
            permission, _ = Permission.objects.db_manager(self.using).get_or_create(
                content_type_id=content_type,
                codename=row[at["codename"]],
                defaults={"name": row[at["name"]]},
            )
            self.permissions[row[at["id"]]] = permission.pk

    def remapper(self, target: type[models.Model]) -> Callable[[Any], Any] | None:
        mapping = (
            self.content_types
            if target is ContentType
            else self.permissions
            if target is Permission
            else None
        )
        if mapping is None:
            return None

        def remap(value: Any) -> Any:
            if value is None:
                return None
            try:
                return mapping[value]
            except KeyError as error:
                raise BackupError(
                    f"A row of the backup names a {target._meta.verbose_name} ({value}) "
                    "it does not hold."
                ) from error

        return remap


class _Inserter:
    """Rows of one table, as the backup gives them, into this database."""

    def __init__(self, table: reader.Table, using: str, mapper: _Mapper) -> None:
        self.using = using
        self.connection = connections[using]
        try:
            self.model = apps.get_model(table.model)
        except (LookupError, ValueError) as error:
            raise BackupError(f"The backup's table {table.name} is unknown here.") from error
        meta = self.model._meta
        fields = fmt.columns_of(self.model)
        if meta.db_table != table.name or [f.column for f in fields] != table.columns:
            raise BackupError(
                f"The backup's table {table.name} does not have this archive's columns "
                f"({', '.join(table.columns)} against {', '.join(f.column for f in fields)})."
            )
        quote = self.connection.ops.quote_name
        # Names checked against this code's model above, quoted: no text of the file's own.
        columns = ", ".join(quote(c) for c in table.columns)
        self.sql = (
            f"INSERT INTO {quote(meta.db_table)} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(fields))})"
        )
        # PostgreSQL takes rows several times faster through COPY than through INSERTs.
        self.copy_sql = (
            f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            if self.connection.vendor == "postgresql"
            else None
        )
        steps: list[tuple[int, Callable[[Any], Any]]] = []
        for i, (f, decode) in enumerate(zip(fields, fmt.decoders(fields), strict=True)):
            remap = (
                mapper.remapper(f.related_model)  # type: ignore[arg-type]
                if f.is_relation and f.related_model is not None
                else None
            )
            if remap is not None:
                steps.append((i, remap))
                continue
            if fmt._target(f).get_internal_type() in _PREPARED:
                steps.append((i, self._preparer(f, decode)))
        self.steps = steps
        self.copying = ExitStack()
        self.copy: Any = None
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {quote(meta.db_table)}")  # noqa: S608

    def _preparer(
        self, f: models.Field[Any, Any], decode: Callable[[Any], Any] | None
    ) -> Callable[[Any], Any]:
        connection = self.connection
        # PostgreSQL's adapter takes a date, or a datetime with its time zone, as it is:
        # the field's preparation (a fifth of the load's own time) is for the rest.
        as_read = connection.vendor == "postgresql" and fmt._target(f).get_internal_type() in {
            "DateTimeField",
            "DateField",
        }

        def prepare(value: Any) -> Any:
            if decode is not None:
                try:
                    value = decode(value)
                except (TypeError, ValueError, ArithmeticError) as error:
                    raise BackupError(
                        f"A value of {self.model._meta.db_table}.{f.column} cannot be "
                        f"read: {value!r}."
                    ) from error
            naive = isinstance(value, dt.datetime) and value.tzinfo is None
            if as_read and not naive:  # Django makes a naive datetime aware, with a warning
                return value
            return f.get_db_prep_save(value, connection)

        return prepare

    def insert(self, rows: list[list[Any]]) -> None:
        if self.steps:
            for row in rows:
                for i, step in self.steps:
                    row[i] = step(row[i])
        if self.copy_sql is None:
            with self.connection.cursor() as cursor:
                cursor.executemany(self.sql, rows)
            return
        if self.copy is None:
            # One COPY for the whole table, its data sent by a thread of psycopg's: the
            # server stores rows while this thread reads and prepares the next (a plain
            # writer waits for each send, which took half the load's time).
            cursor = self.copying.enter_context(self.connection.cursor())
            writer = QueuedLibpqWriter(cursor.cursor)
            self.copy = self.copying.enter_context(cursor.cursor.copy(self.copy_sql, writer=writer))
        for row in rows:
            self.copy.write_row(row)

    def __enter__(self) -> _Inserter:
        return self

    def __exit__(self, *error: Any) -> None:
        """End the table's COPY: completed, or abandoned with `error` (before a rollback)."""
        self.copy = None
        self.copying.__exit__(*error)


class _ForeignKeys:
    """PostgreSQL: the foreign keys of the restored tables, set aside while their rows
    are copied and put back before the commit.

    A deferred foreign key checks each inserted row at the commit, one lookup a row (two
    thirds of the server's time for the works' tags); adding the constraint back checks
    every row at once, in one join. Both happen in the restore's transaction, so a
    backup whose rows do not hold together is refused all the same and nothing stays.
    """

    def __init__(self, connection: BaseDatabaseWrapper, tables: list[str]) -> None:
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid) "
                "FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid = ANY("
                "ARRAY(SELECT to_regclass(name) FROM unnest(%s::text[]) AS name)) "
                "ORDER BY 1, 2",
                [tables],
            )
            self.keys: list[tuple[str, str, str]] = cursor.fetchall()

    def _alter(self, clause: Callable[[str, str], str]) -> None:
        quote = self.connection.ops.quote_name
        by_table: dict[str, list[str]] = {}
        for table, name, definition in self.keys:
            by_table.setdefault(table, []).append(clause(quote(name), definition))
        with self.connection.cursor() as cursor:
            for table, clauses in by_table.items():
                # Names and definitions read from this database's catalogue, not the file.
                cursor.execute(f"ALTER TABLE {table} {', '.join(clauses)}")

    def drop(self) -> None:
        self._alter(lambda name, definition: f"DROP CONSTRAINT {name}")

    def add(self) -> None:
        self._alter(lambda name, definition: f"ADD CONSTRAINT {name} {definition}")


class _PlainIndexes:
    """PostgreSQL: the restored tables' indexes that back no constraint (plain ones, and
    unique ones made by `CREATE UNIQUE INDEX`), set aside while the rows are copied and
    built again before the commit.

    One sorted build of an index costs a fraction of adding each row's entry as it is
    copied (the works' tags carry four). A unique index built again still refuses
    duplicates, in the restore's transaction, so such a backup is refused all the same.
    Primary keys and unique constraints stay: the foreign keys added back need them.
    """

    def __init__(self, connection: BaseDatabaseWrapper, tables: list[str]) -> None:
        self.connection = connection
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid = ANY("
                "ARRAY(SELECT to_regclass(name) FROM unnest(%s::text[]) AS name)) "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [tables],
            )
            self.indexes: list[tuple[str, str]] = cursor.fetchall()

    def drop(self) -> None:
        with self.connection.cursor() as cursor:
            for name, _ in self.indexes:
                # Names read from this database's catalogue, not the file.
                cursor.execute(f"DROP INDEX {name}")

    def add(self) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            for _, definition in self.indexes:
                cursor.execute(definition)


def backup_restore(
    raw: IO[bytes],
    *,
    using: str = DEFAULT_DB_ALIAS,
    progress: Callable[[str, int], None] | None = None,
) -> RestoreSummary:
    """Fill this empty archive from the backup in `raw`; nothing changes on any error."""
    connection = connections[using]
    users, works = archive_contents(using)
    if users or works:
        raise BackupError(
            f"This archive is not empty ({users} accounts, {works} works): a backup is "
            "restored into a new archive only (a new database, or a new data directory)."
        )
    data_dir = Path(settings.DATA_DIR).resolve()
    staging = data_dir / f".restore-{id(raw)}"
    summary = RestoreSummary()
    parts = reader.read_backup(raw)
    handle: IO[bytes] | None = None
    # Inside a caller's transaction (tests) its own pending checks forbid the ALTERs.
    set_keys_aside = connection.vendor == "postgresql" and not connection.in_atomic_block
    try:
        try:
            # `copies` ends an unfinished COPY before the transaction rolls back.
            with transaction.atomic(using=using), ExitStack() as copies:
                header = next(parts)
                if not isinstance(header, dict):  # read_backup always starts with it
                    raise BackupError("The backup has no header.")
                difference = _migration_difference(
                    header["migrations"], fmt.applied_migrations(connection)
                )
                if difference:
                    raise BackupError(f"This backup cannot be restored here: {difference}.")
                summary.created_at = str(header.get("created_at", ""))
                summary.engine = str(header.get("engine", ""))
                lz4_compression_use(connection, local=True)
                foreign_keys = indexes = None
                if set_keys_aside:
                    tables = [m._meta.db_table for m in fmt.backed_up_models()]
                    foreign_keys = _ForeignKeys(connection, tables)
                    foreign_keys.drop()
                    indexes = _PlainIndexes(connection, tables)
                    indexes.drop()
                mapper = _Mapper(using)
                inserter: _Inserter | None = None
                restored: list[type[models.Model]] = []
                for part in parts:
                    if isinstance(part, reader.Table):
                        inserter = None
                        if part.model not in fmt.MAPPED:
                            inserter = _Inserter(part, using, mapper)
                            copies.push(inserter)
                            restored.append(inserter.model)
                    elif isinstance(part, reader.Rows):
                        if part.table.model == fmt.CONTENT_TYPES:
                            mapper.content_type_rows(part.table, part.rows)
                        elif part.table.model == fmt.PERMISSIONS:
                            mapper.permission_rows(part.table, part.rows)
                        elif inserter is not None:
                            inserter.insert(part.rows)
                    elif isinstance(part, reader.TableEnd):
                        if inserter is not None:
                            inserter.__exit__(None, None, None)
                        summary.tables[part.table.name] = part.count
                        if progress:
                            progress(part.table.name, part.count)
                    elif isinstance(part, reader.FileStart):
                        target = staging / part.name
                        target.parent.mkdir(parents=True, exist_ok=True)
                        handle = target.open("wb")
                    elif isinstance(part, reader.FileData) and handle is not None:
                        handle.write(part.data)
                    elif isinstance(part, reader.FileEnd) and handle is not None:
                        handle.close()
                        handle = None
                        summary.files[part.name] = part.size
                missing = {m._meta.db_table for m in fmt.backed_up_models()} - set(summary.tables)
                if missing:
                    raise BackupError(f"The backup lacks tables: {', '.join(sorted(missing))}.")
                if indexes is not None:
                    indexes.add()
                if foreign_keys is not None:
                    foreign_keys.add()
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        for sql in connection.ops.sequence_reset_sql(no_style(), restored):
                            cursor.execute(sql)
        except IntegrityError as error:
            # A row naming one the backup does not hold (a foreign key), or a duplicate.
            raise BackupError(
                f"The backup's rows do not hold together: {str(error).strip()}."
            ) from error
        # Fresh tables have no planner statistics: without them PostgreSQL picks plans for
        # empty tables (a count over the tags took minutes on 100,000 works).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        for name in summary.files:
            destination = data_dir / name
            destination.parent.mkdir(parents=True, exist_ok=True)
            (staging / name).replace(destination)
    finally:
        if handle is not None:
            handle.close()
        shutil.rmtree(staging, ignore_errors=True)
    return summary


def backup_check(raw: IO[bytes]) -> RestoreSummary:
    """Read a whole backup as a restore would, without writing anything: its structure,
    footer counts and checksum, and that every value of a table this code knows parses."""
    summary = RestoreSummary()
    decoders: list[tuple[int, Callable[[Any], Any]]] = []
    for part in reader.read_backup(raw):
        if isinstance(part, dict):
            summary.created_at = str(part.get("created_at", ""))
            summary.engine = str(part.get("engine", ""))
        elif isinstance(part, reader.Table):
            decoders = []
            try:
                model = apps.get_model(part.model)
            except (LookupError, ValueError):
                continue
            fields = fmt.columns_of(model)
            if [f.column for f in fields] == part.columns:
                decoders = [(i, d) for i, d in enumerate(fmt.decoders(fields)) if d is not None]
        elif isinstance(part, reader.Rows):
            for row in part.rows:
                for i, decode in decoders:
                    try:
                        decode(row[i])
                    except (TypeError, ValueError, ArithmeticError) as error:
                        raise BackupError(
                            f"A value of {part.table.name}.{part.table.columns[i]} cannot "
                            f"be read: {row[i]!r}."
                        ) from error
        elif isinstance(part, reader.TableEnd):
            summary.tables[part.table.name] = part.count
        elif isinstance(part, reader.FileEnd):
            summary.files[part.name] = part.size
    return summary
