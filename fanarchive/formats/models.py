from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.works.models import Series, Work


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


class EfictionMapping(models.Model):
    """What one eFiction row became here, so re-running a migration adds nothing twice.

    Keyed by the archive's name (the `--archive` option; several old archives may be
    migrated into one), the kind of row and its eFiction id. `object_id` is the new
    object's id (a user, work, chapter, series, tag or comment, by kind); `data` keeps
    what has no place here, such as a story's hit count (and whether it was added to
    the work's hits).
    """

    class Kind(models.TextChoices):
        AUTHOR = "author", "author"
        CATEGORY = "category", "category"
        CHARACTER = "character", "character"
        STORY = "story", "story"
        CHAPTER = "chapter", "chapter"
        SERIES = "series", "series"
        # A review's comment; an author's favourites (efiction_id the author's uid, the
        # favourites done in `data`, as eFiction's favourites table has no id).
        REVIEW = "review", "review"
        FAVORITE = "favorite", "favorite"

    archive = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    efiction_id = models.PositiveIntegerField()
    object_id = models.PositiveIntegerField()
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["archive", "kind", "efiction_id"], name="efiction_mapping_unique"
            ),
        ]
        indexes = [models.Index(fields=["kind", "efiction_id"], name="efiction_mapping_old_idx")]

    def __str__(self) -> str:
        return f"{self.archive} {self.kind} {self.efiction_id} -> {self.object_id}"


class EfictionReviewRatings(models.Model):
    """The ratings eFiction's reviews gave one migrated story or series.

    Comments here carry no rating, so the eFiction migration keeps them for the
    archive's maintainers: each rating given and how often, their count and average.
    Written by the migration's engagement stage (recomputed from the whole archive on
    each run), shown read-only in the admin and in the migration's report.
    """

    class Kind(models.TextChoices):
        STORY = "story", "story"
        SERIES = "series", "series"

    archive = models.CharField(max_length=100)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    efiction_id = models.PositiveIntegerField()
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The story's or series' title on eFiction, kept if the work is deleted since.
    title = models.CharField(max_length=255)
    # A rating given ("1" to "10", or "1" liked and "0" disliked) -> how many reviews.
    ratings = models.JSONField(default=dict)
    count = models.PositiveIntegerField()
    average = models.FloatField()
    # What the ratings mean, from eFiction's settings ("1 to 10", "liked (1) or disliked (0)").
    scale = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "eFiction review ratings"
        verbose_name_plural = "eFiction review ratings"
        ordering = ["archive", "kind", "efiction_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["archive", "kind", "efiction_id"], name="efiction_ratings_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.archive} {self.kind} {self.efiction_id}: {self.count} ratings"
