"""Mutes may be scoped to fandoms; standing listing preferences (hide anonymous works, crossovers)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0008_catalogue_log_moves_to_works"),
        ("tags", "0006_tag_words"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="mutedcreator",
            name="fandoms",
            field=models.ManyToManyField(blank=True, related_name="+", to="tags.tag"),
        ),
        migrations.AddField(
            model_name="mutedtag",
            name="fandoms",
            field=models.ManyToManyField(blank=True, related_name="+", to="tags.tag"),
        ),
        migrations.CreateModel(
            name="ListingPreference",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("hide_anonymous", models.BooleanField(default=False)),
                ("hide_crossovers", models.BooleanField(default=False)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
    ]
