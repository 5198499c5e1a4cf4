from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpRequest

from fanarchive.accounts.models import Preference, Pseud, User
from fanarchive.accounts.services import user_ensure_defaults


class PseudInline(admin.TabularInline):
    model = Pseud
    extra = 0
    fields = ["name", "description", "is_default"]
    # Users choose their default pseud themselves (the service keeps exactly one), and
    # deleting a pseud would take its works' bylines with it: there is no service for that yet.
    readonly_fields = ["is_default"]
    can_delete = False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *(DjangoUserAdmin.fieldsets or ()),
        ("Profile", {"fields": ("about",)}),
    )
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

    def get_inlines(self, request: HttpRequest, obj: Any) -> list[Any]:
        # A new account gets its default pseud from `user_ensure_defaults` below.
        return [] if obj is None else list(self.inlines)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            # Every account needs a default pseud and preferences, as `user_create` gives.
            user_ensure_defaults(user=obj)


@admin.register(Pseud)
class PseudAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "is_default", "created_at")
    list_filter = ("is_default",)
    search_fields = ("name", "user__username")
    list_select_related = ("user",)
    raw_id_fields = ("user",)
    readonly_fields = ("is_default", "created_at")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "view_adult", "hide_warnings", "hide_freeform")
    search_fields = ("user__username",)
    list_select_related = ("user",)
    raw_id_fields = ("user",)
