"""PostgreSQL: the pairs of adjacent words of each search document, GIN-indexed.

A phrase ("salt harbour") is found by word positions, which the GIN index over
`vector` does not hold: PostgreSQL re-read every candidate's whole vector (~20 KB for
a 3,000-word work) to check them, 50-70 ms for a phrase of two common words. Each
pair of adjacent words as one lexeme ("salt harbour") lets the index itself find the
works where a phrase's words stand side by side. The pairs come from the positions
stored in `vector` (the same expression), so they are exactly the pairs PostgreSQL's
own phrase search could match; the exact query still confirms what is left after the
filter (fields, longer phrases). Adding the column computes it for every document
(a few ms each).
"""

from django.db import migrations

DOCUMENT = """
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(creators, '')), 'B')
    || setweight(to_tsvector('simple',
        coalesce(tags, '') || ' ' || coalesce(summary, '') || ' ' || coalesce(notes, '')), 'C')
    || setweight(to_tsvector('simple', coalesce(body, '')), 'D')
"""

# array_to_tsvector drops repeated lexemes itself.
FORWARD = [
    """CREATE FUNCTION fanarchive_word_pairs(document tsvector) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT coalesce(array_to_tsvector(array_agg(a.lexeme || ' ' || b.lexeme)), '')
        FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(document)) a
        JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(document)) b
          ON b.at = a.at + 1
    $$""",
    f"""ALTER TABLE discovery_searchdocument ADD COLUMN pair_vector tsvector
    GENERATED ALWAYS AS (fanarchive_word_pairs({DOCUMENT})) STORED""",
    "CREATE INDEX discovery_search_pairs_idx ON discovery_searchdocument USING GIN (pair_vector)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS discovery_search_pairs_idx",
    "ALTER TABLE discovery_searchdocument DROP COLUMN IF EXISTS pair_vector",
    "DROP FUNCTION IF EXISTS fanarchive_word_pairs(tsvector)",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0005_change_counts_only")]

    operations = [migrations.RunPython(forward, backward)]
