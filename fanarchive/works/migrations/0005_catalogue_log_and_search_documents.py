"""The catalogue's change log and the search documents now belong to the works app.

Only Django's record of the models moves (from discovery, whose migration 0008 lets
go of them): the tables keep their names, rows, triggers and generated columns, so
nothing is rewritten in the database.
"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("works", "0004_strip_control_characters"),
        ("discovery", "0007_strip_control_characters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="CatalogueChange",
                    fields=[
                        ("id", models.BigAutoField(primary_key=True, serialize=False)),
                        ("work_id", models.BigIntegerField(db_index=True)),
                        ("counts_only", models.BooleanField(default=False)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                    ],
                    options={"db_table": "discovery_cataloguechange"},
                ),
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        (
                            "work",
                            models.OneToOneField(
                                on_delete=django.db.models.deletion.CASCADE,
                                primary_key=True,
                                related_name="search_document",
                                serialize=False,
                                to="works.work",
                            ),
                        ),
                        ("title", models.TextField()),
                        ("creators", models.TextField(blank=True)),
                        ("tags", models.TextField(blank=True)),
                        ("summary", models.TextField(blank=True)),
                        ("notes", models.TextField(blank=True)),
                        ("body", models.TextField(blank=True)),
                    ],
                    options={"db_table": "discovery_searchdocument"},
                ),
            ],
        ),
    ]
