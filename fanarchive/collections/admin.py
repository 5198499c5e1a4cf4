"""Collections in Django's admin: read-only. Owners run their collections on the site,
where the services check who may do what and keep works' flags right."""

from __future__ import annotations

from django.contrib import admin

from fanarchive.collections.models import Collection, CollectionItem, CollectionParticipant
from fanarchive.core.admin import ReadOnlyAdmin, ReadOnlyInline


class ParticipantInline(ReadOnlyInline[CollectionParticipant, Collection]):
    model = CollectionParticipant
    fields = ("pseud", "role", "created_at")
    readonly_fields = fields


@admin.register(Collection)
class CollectionAdmin(ReadOnlyAdmin[Collection]):
    list_display = ("name", "title", "parent", "closed", "moderated", "unrevealed", "anonymous")
    list_filter = ("closed", "moderated", "unrevealed", "anonymous")
    search_fields = ("name", "title")
    inlines = (ParticipantInline,)


@admin.register(CollectionItem)
class CollectionItemAdmin(ReadOnlyAdmin[CollectionItem]):
    list_display = (
        "collection",
        "work",
        "bookmark",
        "collection_approval",
        "user_approval",
        "unrevealed",
        "anonymous",
        "created_at",
    )
    list_filter = ("collection_approval", "user_approval", "unrevealed", "anonymous")
    raw_id_fields = ("collection", "work", "bookmark", "added_by")
