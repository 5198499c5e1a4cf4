# ruff: noqa: S608  (constant DDL built from module constants, no input)
"""The full-text index over SearchDocument, in the database's own engine.

SQLite: an external-content FTS5 table kept in step by triggers.
PostgreSQL: a generated, weighted tsvector column with a GIN index.
"""

from django.db import migrations

COLUMNS = "title, creators, tags, summary, notes, body"
NEW = ", ".join(f"new.{c}" for c in COLUMNS.split(", "))
OLD = ", ".join(f"old.{c}" for c in COLUMNS.split(", "))

SQLITE_FORWARD = [
    f"""CREATE VIRTUAL TABLE discovery_search_fts USING fts5(
        {COLUMNS}, content='discovery_searchdocument', content_rowid='work_id',
        tokenize='unicode61 remove_diacritics 2')""",
    f"""CREATE TRIGGER discovery_search_ai AFTER INSERT ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(rowid, {COLUMNS}) VALUES (new.work_id, {NEW});
    END""",
    f"""CREATE TRIGGER discovery_search_ad AFTER DELETE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.work_id, {OLD});
    END""",
    f"""CREATE TRIGGER discovery_search_au AFTER UPDATE ON discovery_searchdocument BEGIN
        INSERT INTO discovery_search_fts(discovery_search_fts, rowid, {COLUMNS})
        VALUES ('delete', old.work_id, {OLD});
        INSERT INTO discovery_search_fts(rowid, {COLUMNS}) VALUES (new.work_id, {NEW});
    END""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_search_au",
    "DROP TRIGGER IF EXISTS discovery_search_ad",
    "DROP TRIGGER IF EXISTS discovery_search_ai",
    "DROP TABLE IF EXISTS discovery_search_fts",
]
POSTGRES_FORWARD = [
    """ALTER TABLE discovery_searchdocument ADD COLUMN vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', coalesce(title, '')), 'A')
        || setweight(to_tsvector('simple', coalesce(creators, '')), 'B')
        || setweight(to_tsvector('simple',
            coalesce(tags, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(notes, '')), 'C')
        || setweight(to_tsvector('simple', coalesce(body, '')), 'D')
    ) STORED""",
    "CREATE INDEX discovery_search_vector_idx ON discovery_searchdocument USING GIN (vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS discovery_search_vector_idx",
    "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS vector",
]


def forward(apps, schema_editor):
    statements = {"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    statements = {"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}
    for sql in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_searchdocument_mutedcreator_mutedtag_savedfilter")]

    operations = [migrations.RunPython(forward, backward)]
