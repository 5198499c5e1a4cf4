from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from fanarchive.accounts.age_services import age_verification_set
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
        ("Age", {"fields": ("adult_confirmed_at", "age_verified_at")}),
    )
    # The profile is its owner's to write (`profile_update`); the admin looks. Age
    # verification changes through the actions below (`age_verification_set`, audited).
    readonly_fields = ("about", "adult_confirmed_at", "age_verified_at")
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
    actions = ["mark_age_verified", "unmark_age_verified"]

    @admin.action(description="Mark the selected accounts age-verified")
    def mark_age_verified(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_age_verified(request, queryset, verified=True)

    @admin.action(description="Remove the selected accounts' age verification")
    def unmark_age_verified(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        self._set_age_verified(request, queryset, verified=False)

    def _set_age_verified(
        self, request: HttpRequest, queryset: QuerySet[User], *, verified: bool
    ) -> None:
        # Through the service, which checks the admin and writes the audit log entry.
        actor = request.user
        if not isinstance(actor, User):  # the admin site lets only logged-in staff here
            return
        for user in queryset:
            age_verification_set(
                actor=actor, user=user, verified=verified, reason="Django admin action"
            )
        self.message_user(request, f"{queryset.count()} account(s) updated.")

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
