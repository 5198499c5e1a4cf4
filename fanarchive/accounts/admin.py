from __future__ import annotations

import copy
from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from fanarchive.accounts.admin_services import (
    ADMIN_FIELDS,
    new_account_errors,
    user_access_set,
    user_admin_create,
    user_admin_update,
    user_password_set_by_admin,
)
from fanarchive.accounts.age_services import age_verification_set
from fanarchive.accounts.models import Block, Invitation, InviteRequest, Preference, Pseud, User
from fanarchive.accounts.two_factor_services import two_factor_reset_by_admin
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


class AdminAddUserForm(AdminUserCreationForm):
    """Django's add form, checked as sign-up checks a new account (name, e-mail)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].required = True

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        problems = new_account_errors(
            username=cleaned.get("username") or "", email=cleaned.get("email") or ""
        )
        for field, messages in problems.items():
            if field in self.fields and field not in self.errors:
                self.add_error(field, messages)
        return cleaned


@admin.register(User)
class UserAdmin(DjangoUserAdmin[User]):
    add_form = AdminAddUserForm
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
    actions = ["mark_age_verified", "unmark_age_verified", "reset_two_factor"]

    @admin.action(description="Turn off two-factor log-in (owner lost app and codes)")
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        # Through the service, which checks the admin and writes the audit log entry;
        # the admin confirms who the owner is before choosing this.
        actor = _actor(request)
        for user in queryset:
            two_factor_reset_by_admin(
                actor=actor,
                user=user,
                reason="Turned off from the Django admin after checking the owner's identity",
            )
        self.message_user(
            request, f"Two-factor log-in turned off for {queryset.count()} account(s)."
        )

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
        # A new account gets its default pseud from `user_create`, through the service.
        return [] if obj is None else list(self.inlines)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        # Through the services, which check the admin and write the audit log.
        actor = _actor(request)
        data = form.cleaned_data
        if not change:
            usable = data.get("usable_password", "true") != "false"
            created = user_admin_create(
                actor=actor,
                username=data["username"],
                email=data.get("email", ""),
                password=data.get("password1") if usable else None,
            )
            obj.pk = created.pk
            obj._state.adding = False
            return
        values = {name: data[name] for name in ADMIN_FIELDS if name in form.changed_data}
        user_admin_update(actor=actor, user=obj, values=values)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # Groups make moderators and wranglers: set through the service, which logs it.
        # The pseud inline is read-only: its formset saves nothing, but Django's change
        # message reads what it saved.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        data = form.cleaned_data
        if "groups" in data:
            user_access_set(
                actor=_actor(request),
                user=form.instance,
                groups=data["groups"],
                permissions=list(data["user_permissions"]) if "user_permissions" in data else None,
            )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # An account's works, comments and bookmarks go or stay as its owner chooses,
        # through the account-deletion service; never by deleting the row here.
        return False

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        # Django's page, with its form saving through the service as the admin asking.
        page = copy.copy(self)
        page.change_password_form = _audited_password_form(_actor(request))
        return DjangoUserAdmin.user_change_password(page, request, id, form_url)


def _actor(request: HttpRequest) -> User:
    if not isinstance(request.user, User):  # the admin site lets only logged-in staff in
        raise PermissionDenied
    return request.user


def _audited_password_form(actor: User) -> type[AdminPasswordChangeForm[User]]:
    class AuditedPasswordForm(AdminPasswordChangeForm):  # type: ignore[type-arg]
        def save(self, commit: bool = True) -> Any:
            usable = self.cleaned_data.get("set_usable_password", True)
            return user_password_set_by_admin(
                actor=actor,
                user=self.user,
                password=self.cleaned_data["password1"] if usable else None,
            )

    return AuditedPasswordForm


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

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
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


@admin.register(InviteRequest)
class InviteRequestAdmin(ReadOnlyAdmin[InviteRequest]):
    """The invitation queue; served from /admin-tools/invitations/ (invitation_services)."""

    list_display = ("email", "created_at", "invited_at", "language")
    search_fields = ("email",)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin[Invitation]):
    """Invitations are sent and given from /admin-tools/invitations/ (invitation_services)."""

    list_display = ("pk", "creator", "sent_to", "created_at", "used_by", "used_at")
    search_fields = ("sent_to", "creator__username", "used_by__username")
    exclude = ("token",)
