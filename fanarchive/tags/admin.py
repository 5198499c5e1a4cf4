"""Admin pages of tags and the wrangling log, read-only (wrangler assignments: wrangling.admin)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.tags.models import Tag, WranglingLog


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin[Tag]):
    """Tags are wrangled on the site's wrangling pages, where every change is checked
    and logged; here they are read-only."""

    list_display = ("name", "type", "canonical", "synonym_of", "use_count", "wrangle")
    list_filter = ("type", "canonical", "unwrangleable")
    search_fields = ("name",)
    readonly_fields = [
        "name",
        "name_folded",
        "type",
        "canonical",
        "synonym_of",
        "unwrangleable",
        "use_count",
        "sort_order",
        "created_at",
    ]

    @admin.display(description="Wrangle")
    def wrangle(self, tag: Tag) -> str:
        return format_html('<a href="{}">edit</a>', reverse("wrangling:tag_edit", args=[tag.pk]))

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WranglingLog)
class WranglingLogAdmin(ReadOnlyAdmin[WranglingLog]):
    list_display = ("created_at", "user", "action", "tag_name", "target_name")
    list_filter = ("action",)
    search_fields = ("tag_name", "target_name", "user__username")
