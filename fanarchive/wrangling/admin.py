"""The admin page of wrangler assignments: saving one goes through `wrangler_set`, so the
user joins the Wranglers group and the wrangling log records it."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from fanarchive.tags.models import WranglerAssignment
from fanarchive.wrangling.wrangler_services import wrangler_set


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
