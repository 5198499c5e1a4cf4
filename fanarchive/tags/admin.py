from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.tags.models import Tag, WranglerAssignment, WranglingLog
from fanarchive.tags.wrangler_services import wrangler_set


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


@admin.register(WranglerAssignment)
class WranglerAssignmentAdmin(admin.ModelAdmin[WranglerAssignment]):
    list_display = ("user", "fandom", "created_at")
    search_fields = ("user__username", "fandom__name")
    autocomplete_fields = ["fandom"]
    raw_id_fields = ["user"]

    def save_model(
        self, request: HttpRequest, obj: WranglerAssignment, form: Any, change: bool
    ) -> None:
        # Through the service: the user joins the Wranglers group and the log records it.
        wrangler_set(user=request.user, wrangler=obj.user, fandoms=[obj.fandom])  # type: ignore[arg-type]


@admin.register(WranglingLog)
class WranglingLogAdmin(ReadOnlyAdmin[WranglingLog]):
    list_display = ("created_at", "user", "action", "tag_name", "target_name")
    list_filter = ("action",)
    search_fields = ("tag_name", "target_name", "user__username")
