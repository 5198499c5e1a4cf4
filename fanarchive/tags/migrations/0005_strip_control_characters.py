"""Remove control characters from tag names already stored (see `core.cleaning`; the
tag services clean what comes in). Reversing it does nothing.

A name the cleaning leaves empty, or equal to another tag's of the type, gets the
tag's id added ("Sea Song 41"), for wranglers to merge.
"""

from django.db import migrations

from fanarchive.core.cleaning import clean_rows
from fanarchive.core.text import clean_line
from fanarchive.tags.models import fold_name


def _tag_name(name):
    # As tags.services.normalise_tag_name: on one line, spaces collapsed.
    return " ".join(clean_line(name).split())


def _folded(updates):
    # Autocomplete reads the folded name: it follows the name.
    return {"name_folded": fold_name(updates["name"])} if "name" in updates else {}


def clean(apps, schema_editor):
    clean_rows(
        apps.get_model("tags", "Tag"),
        lines=("name",),
        unique="name",
        derive=_folded,
        line_cleaner=_tag_name,
    )
    clean_rows(apps.get_model("tags", "WranglingLog"), lines=("tag_name", "target_name"))


class Migration(migrations.Migration):
    dependencies = [("tags", "0004_wrangling_data")]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop)]
