from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.works.models import Work


class ImportRecord(models.Model):
    """Which file a work was imported from, so a re-run skips what is already there.

    The hash is of the file's bytes; it is unique per importing user, so two
    users can each import the same file. Deleting the work deletes the record,
    and the file can then be imported again.
    """

    work = models.OneToOneField(Work, on_delete=models.CASCADE, related_name="import_record")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_records"
    )
    sha256 = models.CharField(max_length=64)
    source_name = models.CharField(max_length=500)
    importer = models.CharField(max_length=40)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "sha256"], name="import_record_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source_name} -> {self.work_id}"
