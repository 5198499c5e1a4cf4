"""Engagement in the admin: to look at, not to change. Kudos, comments and blocks change
through the services (counts, notices and the catalogue follow them); moderation
actions come with the moderation app."""

from django.contrib import admin

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.engagement.models import Block, Comment, Kudos, WorkHitCount


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin[Block]):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(Kudos)
class KudosAdmin(ReadOnlyAdmin[Kudos]):
    list_display = ("work", "user", "created_at")
    search_fields = ("user__username", "work__title")


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin[Comment]):
    list_display = ("id", "work", "author_name", "state", "frozen", "deleted", "created_at")
    list_filter = ("state", "frozen", "deleted")
    search_fields = ("user__username", "guest_name", "work__title", "text")
    # Guests' hashed addresses and e-mail addresses stay out of the list.
    exclude = ("guest_key",)


@admin.register(WorkHitCount)
class WorkHitCountAdmin(ReadOnlyAdmin[WorkHitCount]):
    list_display = ("work", "hits")
