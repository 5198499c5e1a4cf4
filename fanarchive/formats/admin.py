"""The eFiction migration's review ratings, read-only: written only by the migration."""

from django.contrib import admin

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.formats.models import EfictionReviewRatings


@admin.register(EfictionReviewRatings)
class EfictionReviewRatingsAdmin(ReadOnlyAdmin[EfictionReviewRatings]):
    list_display = ("title", "kind", "efiction_id", "count", "average", "scale", "archive")
    list_filter = ("archive", "kind")
    search_fields = ("title",)
    fields = (
        "archive",
        "kind",
        "efiction_id",
        "title",
        "work",
        "series",
        "ratings",
        "count",
        "average",
        "scale",
        "updated_at",
    )
    readonly_fields = fields
