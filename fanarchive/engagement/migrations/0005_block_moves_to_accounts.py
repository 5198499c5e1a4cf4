"""Django's record of blocks moves to the accounts app (its migration 0006); the table,
its rows and its constraints stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("engagement", "0004_strip_control_characters"),
        ("accounts", "0006_block"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Block")],
        ),
    ]
