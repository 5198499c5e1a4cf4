"""PostgreSQL: a small weighted tsvector of everything but the chapter text, for ranking.

Ranking with the full vector detoasts every hit's whole text (~50 µs each); the
head vector (title, creators, tags, summary, notes) is small, so "best match"
stays fast on works of any length. Matching still uses the full vector's GIN index.
"""

from django.db import migrations

FORWARD = """ALTER TABLE discovery_searchdocument ADD COLUMN head_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(creators, '')), 'B')
    || setweight(to_tsvector('simple',
        coalesce(tags, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(notes, '')), 'C')
) STORED"""
BACKWARD = "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS head_vector"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0003_full_text")]

    operations = [migrations.RunPython(forward, backward)]
