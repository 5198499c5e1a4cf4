"""Autocomplete matches the start of any word of a tag's name: the words of every tag
(`TagWord`), filled here for the tags there are, and kept by the tag services from now on;
an index in autocomplete's order replaces the covering prefix indexes of the whole name."""

import django.db.models.deletion
from django.db import migrations, models

BATCH = 5000


def words(folded):
    # A frozen copy of fanarchive.tags.models.name_words.
    return [
        folded[i:]
        for i, char in enumerate(folded)
        if i == 0 or (char.isalnum() and not folded[i - 1].isalnum())
    ]


def fill_tag_words(apps, schema_editor):
    Tag = apps.get_model("tags", "Tag")
    TagWord = apps.get_model("tags", "TagWord")
    TagWord.objects.all().delete()
    batch = []
    rows = Tag.objects.order_by("pk").values_list("pk", "type", "name_folded")
    for pk, tag_type, folded in rows.iterator(chunk_size=BATCH):
        batch += [TagWord(tag_id=pk, type=tag_type, word=word) for word in words(folded)]
        if len(batch) >= BATCH:
            TagWord.objects.bulk_create(batch)
            batch = []
    TagWord.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("tags", "0005_strip_control_characters"),
    ]

    operations = [
        migrations.CreateModel(
            name="TagWord",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "type",
                    models.CharField(
                        choices=[
                            ("rating", "Rating"),
                            ("warning", "Archive Warning"),
                            ("category", "Category"),
                            ("fandom", "Fandom"),
                            ("relationship", "Relationship"),
                            ("character", "Character"),
                            ("freeform", "Additional Tags"),
                        ],
                        max_length=20,
                    ),
                ),
                ("word", models.CharField(max_length=200)),
                (
                    "tag",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="words",
                        to="tags.tag",
                    ),
                ),
            ],
        ),
        # Filled before its indexes are built: one sort per index, not one insert each.
        migrations.RunPython(fill_tag_words, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="tagword",
            index=models.Index(
                fields=["type", "word", "tag"],
                name="tagword_prefix_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops", "int8_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="tagword",
            index=models.Index(
                fields=["tag", "word", "type"],
                name="tagword_tag_idx",
                opclasses=["int8_ops", "varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.RemoveIndex(model_name="tag", name="tag_autocomplete_pg_idx"),
        migrations.RemoveIndex(model_name="tag", name="tag_autocomplete_idx"),
        migrations.AddIndex(
            model_name="tag",
            index=models.Index(
                fields=["type", "name_folded"],
                name="tag_name_folded_idx",
                opclasses=["varchar_pattern_ops", "varchar_pattern_ops"],
            ),
        ),
        migrations.AddIndex(
            model_name="tag",
            index=models.Index(
                fields=[
                    "type",
                    "-canonical",
                    "-use_count",
                    "name_folded",
                    "id",
                    "unwrangleable",
                    "synonym_of",
                ],
                name="tag_ranked_idx",
            ),
        ),
    ]
