"""Remove control characters from comments, bookmarks and notices already stored (see
`core.cleaning`; the services clean what comes in). A notice's subject is an e-mail
subject, which may not hold a line break. Reversing it does nothing."""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows


def clean(apps, schema_editor):
    clean_rows(apps.get_model("engagement", "Comment"), lines=("guest_name",), texts=("text",))
    clean_rows(apps.get_model("engagement", "Bookmark"), texts=("notes",))
    clean_rows(apps.get_model("engagement", "Notice"), lines=("subject",), texts=("body",))


class Migration(migrations.Migration):
    dependencies = [("engagement", "0003_social")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
