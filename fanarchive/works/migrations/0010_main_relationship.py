"""A work's main relationships: `WorkTag.main`, and the first relationship of every work
already here marked main (AO3's convention, the main pairing first, as data).

"First" is the order the writer entered them (`WorkTag.position`, then id). One UPDATE
for the whole table, so a big archive migrates in seconds rather than a query per work.
"""

from django.db import migrations, models

# The first relationship link of each work: no other relationship link of the same work
# comes before it in (position, id). Portable SQL (SQLite and PostgreSQL).
MARK_FIRST_RELATIONSHIPS = """
UPDATE works_worktag SET main = %s
WHERE id IN (
    SELECT wt.id FROM works_worktag wt
    JOIN tags_tag t ON t.id = wt.tag_id
    WHERE t.type = %s AND NOT EXISTS (
        SELECT 1 FROM works_worktag other
        JOIN tags_tag other_tag ON other_tag.id = other.tag_id
        WHERE other.work_id = wt.work_id AND other_tag.type = %s
        AND (other.position < wt.position OR (other.position = wt.position AND other.id < wt.id))
    )
)
"""


def mark_first_relationships(apps: object, schema_editor: object) -> None:
    """Mark each work's first relationship as main (the data migration's one statement)."""
    connection = schema_editor.connection  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute(MARK_FIRST_RELATIONSHIPS, [True, "relationship", "relationship"])


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0009_search_vectors_computed_once"),
        ("tags", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="worktag",
            name="main",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(mark_first_relationships, migrations.RunPython.noop),
    ]
