"""Remove control characters from the file names of imports already stored (see
`core.cleaning`; the import service cleans what comes in). Reversing it does nothing."""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows


def clean(apps, schema_editor):
    clean_rows(apps.get_model("formats", "ImportRecord"), lines=("source_name",))


class Migration(migrations.Migration):
    dependencies = [("formats", "0003_efiction_mapping_engagement")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
