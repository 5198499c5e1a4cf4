from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from fanarchive.accounts.models import Block, Preference, Pseud, User
from fanarchive.accounts.services import user_ensure_defaults
from fanarchive.core.admin import ReadOnlyAdmin


class PseudInline(admin.TabularInline[Pseud, User]):
    model = Pseud
    extra = 0
    fields = ["name", "description", "is_default"]
    # Pseuds are named by their users through the site (`pseud_update`, which bylines,
    # search and the catalogue follow); deleting one would take its works' bylines with it.
    readonly_fields = ["name", "description", "is_default"]
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ("about",)}),
    )
    # The profile is its owner's to write (`profile_update`); the admin looks.
    readonly_fields = ("about",)
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("username", "email", "is_active", "is_staff", "date_joined", "last_login")
    inlines = [PseudInline]

    def get_inlines(self, request: HttpRequest, obj: User | None) -> list[Any]:
        # A new account gets its default pseud from `user_ensure_defaults` below.
        return [] if obj is None else list(self.inlines)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # Every account needs a default pseud and preferences, as `user_create` gives.
            user_ensure_defaults(user=obj)


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin[Pseud]):
    list_display = ("name", "user", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    readonly_fields = ("user", "name", "description", "is_default", "created_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin[Preference]):
    # Preferences are their owner's (`preferences_update`): the admin looks.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    list_display = ("user", "view_adult", "hide_warnings", "hide_freeform")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)


@admin.register(Block)
class BlockAdmin(ReadOnlyAdmin[Block]):
    """Blocks are their makers' to change (`block_services`); the admin looks."""

    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__username", "blocked__username")
