"""Remove control characters from search documents and saved filters already stored.

The services clean what comes in (`core.text`); a work's search document copies its
fields, so documents written before the cleaning keep them until the work is edited.
Reversing it does nothing.
"""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows


def clean(apps, schema_editor):
    clean_rows(
        apps.get_model("discovery", "SearchDocument"),
        lines=("title",),
        texts=("creators", "tags", "summary", "notes", "body"),
    )
    clean_rows(apps.get_model("discovery", "SavedFilter"), lines=("name",))


class Migration(migrations.Migration):
    dependencies = [("discovery", "0006_search_word_pairs")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
