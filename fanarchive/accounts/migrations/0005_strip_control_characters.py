"""Remove control characters from profiles and pseuds already stored (see
`core.cleaning`; the services clean what comes in). Reversing it does nothing."""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows


def clean(apps, schema_editor):
    clean_rows(apps.get_model("accounts", "User"), texts=("about",))
    # A pseud name left empty or taken by the cleaning gets the pseud's id added.
    clean_rows(
        apps.get_model("accounts", "Pseud"),
        lines=("name",),
        texts=("description",),
        unique="name",
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0004_use_marked_for_later")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
