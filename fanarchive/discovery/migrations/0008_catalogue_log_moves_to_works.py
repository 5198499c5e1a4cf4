"""Django's record of the change log and search documents moves to the works app
(works' migration 0005); the tables, their rows and their full-text machinery stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("discovery", "0007_strip_control_characters"),
        ("works", "0005_catalogue_log_and_search_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="CatalogueChange"),
                migrations.DeleteModel(name="SearchDocument"),
            ],
        ),
    ]
