"""PostgreSQL: a search document's vectors computed once per write, by a trigger.

The three generated columns (discovery's migrations 0003, 0004 and 0006) each parsed
the document again: `vector` and `pair_vector` the whole text (`pair_vector` is made
from the same expression as `vector`, which a generated column cannot reference) and
`head_vector` its first part. A BEFORE trigger computes the head once, `vector` as the
head followed by the body (`||` is associative, so it is the very same tsvector) and
the pairs from that `vector`: the same values for ~30% less work, which is most of
what a rebuild (`reindex --search`, a restore) costs. The columns keep their values,
types and GIN indexes (DROP EXPRESSION only stops PostgreSQL computing them).
"""

from django.db import migrations

HEAD = """
    setweight(to_tsvector('simple', coalesce({row}title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce({row}creators, '')), 'B')
    || setweight(to_tsvector('simple',
        coalesce({row}tags, '') || ' ' || coalesce({row}summary, '') || ' '
        || coalesce({row}notes, '')), 'C')
"""
BODY = "setweight(to_tsvector('simple', coalesce({row}body, '')), 'D')"

FORWARD = [
    """ALTER TABLE discovery_searchdocument
        ALTER COLUMN vector DROP EXPRESSION,
        ALTER COLUMN head_vector DROP EXPRESSION,
        ALTER COLUMN pair_vector DROP EXPRESSION""",
    f"""CREATE FUNCTION fanarchive_search_vectors() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        NEW.head_vector := {HEAD.format(row="NEW.")};
        NEW.vector := NEW.head_vector || {BODY.format(row="NEW.")};
        NEW.pair_vector := fanarchive_word_pairs(NEW.vector);
        RETURN NEW;
    END
    $$""",
    """CREATE TRIGGER discovery_search_vectors
    BEFORE INSERT OR UPDATE ON discovery_searchdocument
    FOR EACH ROW EXECUTE FUNCTION fanarchive_search_vectors()""",
]
# Back to the generated columns of discovery's migrations (recomputed for every row).
BACKWARD = [
    "DROP TRIGGER IF EXISTS discovery_search_vectors ON discovery_searchdocument",
    "DROP FUNCTION IF EXISTS fanarchive_search_vectors()",
    """ALTER TABLE discovery_searchdocument
        DROP COLUMN vector, DROP COLUMN head_vector, DROP COLUMN pair_vector""",
    f"""ALTER TABLE discovery_searchdocument ADD COLUMN vector tsvector
    GENERATED ALWAYS AS ({HEAD.format(row="")} || {BODY.format(row="")}) STORED""",
    f"""ALTER TABLE discovery_searchdocument ADD COLUMN head_vector tsvector
    GENERATED ALWAYS AS ({HEAD.format(row="")}) STORED""",
    f"""ALTER TABLE discovery_searchdocument ADD COLUMN pair_vector tsvector
    GENERATED ALWAYS AS (fanarchive_word_pairs({HEAD.format(row="")} || {BODY.format(row="")}))
    STORED""",
    "CREATE INDEX discovery_search_vector_idx ON discovery_searchdocument USING GIN (vector)",
    "CREATE INDEX discovery_search_pairs_idx ON discovery_searchdocument USING GIN (pair_vector)",
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
    dependencies = [("works", "0008_work_collection_state")]

    operations = [migrations.RunPython(forward, backward)]
