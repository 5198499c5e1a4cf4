"""A reader's mutes and filters are theirs to change (discovery.services); the admin looks."""

from django.contrib import admin

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.discovery.models import MutedCreator, MutedTag, SavedFilter


@admin.register(SavedFilter)
class SavedFilterAdmin(ReadOnlyAdmin[SavedFilter]):
    list_display = ("name", "user", "query_string", "created_at")
    search_fields = ("name", "user__username")


@admin.register(MutedTag)
class MutedTagAdmin(ReadOnlyAdmin[MutedTag]):
    list_display = ("user", "tag", "created_at")


@admin.register(MutedCreator)
class MutedCreatorAdmin(ReadOnlyAdmin[MutedCreator]):
    list_display = ("user", "creator", "created_at")
