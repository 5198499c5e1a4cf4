"""Remove control characters from works, chapters, series and gifts already stored.

The services clean every text field as it comes in (`core.text.clean_text`,
`clean_line`); this gives older rows the same treatment, so a title holding U+0001
no longer breaks the feeds and EPUBs. Reversing it does nothing: the characters are
not worth restoring.
"""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows


def clean(apps, schema_editor):
    works = clean_rows(
        apps.get_model("works", "Work"),
        lines=("title",),
        texts=("summary", "notes", "endnotes"),
    )
    clean_rows(
        apps.get_model("works", "Chapter"),
        lines=("title",),
        texts=("summary", "notes", "endnotes", "source", "content"),
    )
    clean_rows(
        apps.get_model("works", "ChapterRevision"),
        lines=("title",),
        texts=("summary", "notes", "endnotes", "source"),
    )
    clean_rows(apps.get_model("works", "Series"), lines=("title",), texts=("summary", "notes"))
    clean_rows(apps.get_model("works", "Gift"), lines=("recipient_name",))
    # The catalogue index keeps the works' title sort keys: tell it which changed.
    change = apps.get_model("discovery", "CatalogueChange")
    change.objects.bulk_create([change(work_id=work_id) for work_id in works])


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0003_comment_settings"),
        ("discovery", "0006_search_word_pairs"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
