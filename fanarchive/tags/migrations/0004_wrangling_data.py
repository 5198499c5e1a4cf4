import unicodedata

from django.db import migrations


def fold(name):
    # A frozen copy of fanarchive.tags.models.fold_name.
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(stripped.split())


def fill(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name="Wranglers")
    batch = []
    for tag in Tag.objects.only("id", "name").iterator(chunk_size=2000):
        tag.name_folded = fold(tag.name)
        batch.append(tag)
        if len(batch) >= 2000:
            Tag.objects.bulk_update(batch, ["name_folded"])
            batch = []
    Tag.objects.bulk_update(batch, ["name_folded"])
    # Use counts are filled by `fanarchive tags_recount` (the works app may not be
    # migrated yet at this point on a fresh database).


def unfill(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Wranglers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0003_wrangling"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]
    operations = [migrations.RunPython(fill, unfill)]
