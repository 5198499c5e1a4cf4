"""Blocks now belong to the accounts app (works and engagement both ask about them).

Only Django's record of the model moves (engagement's migration 0005 lets go of it):
the table keeps its name, rows and constraints.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_strip_control_characters"),
        ("engagement", "0004_strip_control_characters"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Block",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        (
                            "blocked",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks_received",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "blocker",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="blocks_made",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "engagement_block",
                        "ordering": ["-created_at", "-id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("blocker", "blocked"), name="block_unique_pair"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("blocker", models.F("blocked")), _negated=True),
                                name="block_not_self",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
