"""The admin page of wrangler assignments: adding one goes through `wrangler_set`, so the
user joins the Wranglers group and the wrangling log records it; deleting through
`wrangler_unassign`, logged too. An assignment is not edited: delete it and add another."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from fanarchive.tags.models import WranglerAssignment
from fanarchive.wrangling.wrangler_services import wrangler_set, wrangler_unassign


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

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None  # the list, and the add form; never an existing row

    def delete_model(self, request: HttpRequest, obj: WranglerAssignment) -> None:
        wrangler_unassign(user=request.user, assignments=[obj])  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[WranglerAssignment]) -> None:
        assignments = list(queryset.select_related("user", "fandom"))
        wrangler_unassign(user=request.user, assignments=assignments)  # type: ignore[arg-type]
