"""Engagement in the admin: to look at. Kudos and comments change through the
services (counts, notices and the catalogue follow them); the one change made here,
deleting comments, calls `comment_remove` (the moderators' delete, audited).
Hiding a comment is the moderation queue's (`comment_set_hidden`)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.engagement.models import Comment, Kudos, WorkHitCount
from fanarchive.engagement.moderation_services import comment_remove


@admin.register(Kudos)
class KudosAdmin(ReadOnlyAdmin[Kudos]):
    list_display = ("work", "user", "created_at")
    search_fields = ("user__username", "work__title")


@admin.action(description="Delete the selected comments (counts and threads follow)")
def delete_comments(
    modeladmin: admin.ModelAdmin[Comment], request: HttpRequest, comments: QuerySet[Comment]
) -> None:
    # Through the service, one by one: threads keep their replies, counts are logged,
    # and the audit log records each.
    for comment in comments.select_related("work"):
        comment_remove(user=request.user, comment=comment, reason="Deleted from the admin pages.")  # type: ignore[arg-type]


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin[Comment]):
    actions = (delete_comments,)
    list_display = ("id", "work", "author_name", "state", "frozen", "deleted", "created_at")
    list_filter = ("state", "frozen", "deleted")
    search_fields = ("user__username", "guest_name", "work__title", "text")
    # Guests' hashed addresses and e-mail addresses stay out of the list.
    exclude = ("guest_key",)


@admin.register(WorkHitCount)
class WorkHitCountAdmin(ReadOnlyAdmin[WorkHitCount]):
    list_display = ("work", "hits")
