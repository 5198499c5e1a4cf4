"""Reading backups back for comparison, and a second database of the other engine."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from fanarchive.backup import format as fmt
from fanarchive.core.testing import PROJECT_ROOT, command_environment

DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"


def tables_of(path: Path) -> tuple[dict[str, list[Any]], dict[str, bytes]]:
    """Every table's rows (sorted) and every data file of a backup, with content type and
    permission ids replaced by their natural keys, which are what a restore keeps."""
    raw: dict[str, tuple[list[str], list[list[Any]]]] = {}
    files: dict[str, bytes] = {}
    table = ""
    current = ""
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            obj = json.loads(line)
            if isinstance(obj, list):
                raw[table][1].append(obj)
            elif "table" in obj:
                table = obj["table"]
                raw[table] = (obj["columns"], [])
            elif "file" in obj:
                current = obj["file"]
                files[current] = b""
            elif "data" in obj:
                files[current] += base64.b64decode(obj["data"])
    _, ct_rows = raw.pop(ContentType._meta.db_table)
    types = {row[0]: (row[1], row[2]) for row in ct_rows}
    perm_columns, perm_rows = raw.pop(Permission._meta.db_table)
    at = {c: i for i, c in enumerate(perm_columns)}
    perms = {
        row[at["id"]]: (types[row[at["content_type_id"]]], row[at["codename"]]) for row in perm_rows
    }
    tables: dict[str, list[Any]] = {
        "content types": sorted(types.values()),
        "permissions": sorted(perms.values()),
    }
    refs: dict[str, dict[str, dict[int, Any]]] = {}
    for model in fmt.backed_up_models():
        for field in fmt.columns_of(model):
            if field.is_relation and field.related_model is ContentType:
                refs.setdefault(model._meta.db_table, {})[field.column] = types
            if field.is_relation and field.related_model is Permission:
                refs.setdefault(model._meta.db_table, {})[field.column] = perms
    for name, (columns, rows) in raw.items():
        for column, mapping in refs.get(name, {}).items():
            i = columns.index(column)
            for row in rows:
                row[i] = mapping.get(row[i], row[i])
        tables[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True))
    return tables, files


def run_command(*args: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "fanarchive.cli", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, f"{args}: {done.stdout}\n{done.stderr}"
    return done.stdout


def source_environment(data_dir: Path) -> tuple[dict[str, str], Path]:
    """The environment of a command on this test's own database, and its data directory:
    the SQLite file's folder, or `data_dir` on PostgreSQL."""
    env = command_environment()
    if connection.vendor != "sqlite":
        env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    return env, Path(env["FANARCHIVE_DATA_DIR"])


@contextmanager
def other_engine(data_dir: Path) -> Iterator[dict[str, str]]:
    """The environment of a command on a new, empty archive of the other engine: a new
    SQLite file when the tests run on PostgreSQL, a new PostgreSQL database (created here,
    dropped after) when they run on SQLite. Without a PostgreSQL server the test is skipped,
    except in CI, where one always runs."""
    env = command_environment()
    env.pop("DATABASE_URL", None)
    env["FANARCHIVE_DATA_DIR"] = str(data_dir)
    if connection.vendor != "sqlite":
        yield env
        return
    server = os.environ.get("FANARCHIVE_TEST_POSTGRES_URL", DEFAULT_POSTGRES)
    name = f"fanarchive_backup_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg.connect(server.replace("postgres://", "postgresql://"), autocommit=True)
    except psycopg.OperationalError:
        if os.environ.get("CI"):
            raise
        pytest.skip("no PostgreSQL server for the cross-engine part")
    try:
        admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(urlsplit(server)._replace(path=f"/{name}"))
        yield env
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def rewritten(path: Path, target: Path, change: Any, added: dict[str, int] | None = None) -> None:
    """A copy of the backup with `change(lines)` applied and the footer's hash (and, for
    rows `added` to tables, its counts) made right again: a backup that is sound as a
    file but says something else."""
    with gzip.open(path, "rb") as handle:
        lines = handle.read().splitlines(keepends=True)
    body, footer = change(lines[:-1]), json.loads(lines[-1])
    for table, rows in (added or {}).items():
        footer["tables"][table] += rows
    footer["sha256"] = hashlib.sha256(b"".join(body)).hexdigest()
    with gzip.open(target, "wb") as out:
        out.write(b"".join(body) + json.dumps(footer).encode() + b"\n")
