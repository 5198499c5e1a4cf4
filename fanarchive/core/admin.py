"""Admin pages that look but do not write: the archive's data changes through its
services, which keep the catalogue, search, counts and notices in step. An admin page
that changes something calls a service (see works.admin's hiding), which records it in
the audit log; the log itself is read-only here."""

from typing import Any, TypeVar

from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.http import HttpRequest

from fanarchive.core.models import AuditEntry

_M = TypeVar("_M", bound=Model)
_P = TypeVar("_P", bound=Model)


class ReadOnlyAdmin(admin.ModelAdmin[_M]):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline[_M, _P]):
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin[AuditEntry]):
    """Every moderator's and admin's change, written by the services only."""

    list_display = ("created_at", "actor_name", "action", "target_repr", "subject", "reason")
    list_filter = ("action",)
    search_fields = ("actor_name", "target_repr", "reason", "subject__username")
    date_hierarchy = "created_at"
    raw_id_fields = ("actor", "subject")


# Groups give powers (Moderators, Wranglers): people join and leave them through the
# services that audit it (the user's admin page, the wrangling pages), never here.
admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin[Group]):
    list_display = ("name",)
    search_fields = ("name",)
