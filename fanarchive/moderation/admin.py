"""Moderation in Django's admin: reports and appeals to look at (they change through the
queue's pages), and the user page's suspension, which goes through the same service as
the queue (`user_suspend`, `user_unsuspend`), audit entry and all; and the user list's
"Mark as spammers" action, which calls the spammer page's service (`user_mark_spammer`).

The user admin is the accounts app's, extended here: accounts sits below moderation and
cannot call its services, so this module registers the user page again with a
"Suspension" section.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.forms import UserChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fanarchive.accounts.admin import UserAdmin
from fanarchive.accounts.models import User
from fanarchive.core.admin import ReadOnlyAdmin
from fanarchive.moderation.models import Appeal, Report
from fanarchive.moderation.spam_services import user_mark_spammer
from fanarchive.moderation.suspension_services import (
    suspension_check,
    user_suspend,
    user_unsuspend,
)


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin[Report]):
    list_display = (
        "reference",
        "category",
        "target_type",
        "state",
        "urgent",
        "resolution",
        "created_at",
    )
    list_filter = ("state", "category", "urgent", "resolution")
    search_fields = ("reference", "text", "subject__username", "reporter__username")
    raw_id_fields = ("subject", "reporter", "assignee", "resolved_by")


@admin.register(Appeal)
class AppealAdmin(ReadOnlyAdmin[Appeal]):
    list_display = ("report", "appellant", "state", "decided_by", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("report", "appellant", "assignee", "decided_by")


class SuspensionForm(UserChangeForm[User]):
    """The user page's form with the suspension's questions (not model fields: the
    service writes the account's suspension fields)."""

    suspend_days = forms.IntegerField(
        label=gettext_lazy("Suspend for (days)"),
        required=False,
        min_value=1,
        help_text=gettext_lazy("Or tick 'for good'."),
    )
    suspend_forever = forms.BooleanField(label=gettext_lazy("Suspend for good"), required=False)
    suspend_reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the person)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    hide_works = forms.BooleanField(label=gettext_lazy("Hide their works too"), required=False)
    lift_suspension = forms.BooleanField(label=gettext_lazy("Lift the suspension"), required=False)

    # Set by the admin: who is asking, for the service's checks.
    moderator: User | None = None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        suspending = data.get("suspend_days") is not None or data.get("suspend_forever")
        if suspending and data.get("lift_suspension"):
            raise ValidationError(_("Suspend or lift the suspension, not both."))
        if suspending and self.moderator is not None:
            try:
                suspension_check(
                    moderator=self.moderator,
                    user=self.instance,
                    reason=data.get("suspend_reason", ""),
                    days=data.get("suspend_days"),
                    forever=bool(data.get("suspend_forever")),
                )
            except PermissionDenied as refusal:
                raise ValidationError(str(refusal)) from refusal
            except ValidationError as error:
                fields = {"reason": "suspend_reason", "suspend_days": "suspend_days"}
                for key, messages in error.message_dict.items():
                    for message in messages:
                        self.add_error(fields.get(key), message)
        return data


admin.site.unregister(User)


# The reason the admin's "Mark as spammers" action gives (it asks for none).
ADMIN_SPAMMER_REASON = "Spam (marked from the administration's user list)."


@admin.register(User)
class ModeratedUserAdmin(UserAdmin):
    form = SuspensionForm
    actions = [*(UserAdmin.actions or ()), "mark_spammers", "delete_account"]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (
            "Suspension",
            {
                "fields": (
                    "suspended_until",
                    "suspended_permanently",
                    "suspension_reason",
                    "suspend_days",
                    "suspend_forever",
                    "suspend_reason",
                    "hide_works",
                    "lift_suspension",
                )
            },
        ),
    )
    readonly_fields = (  # type: ignore[assignment]
        *UserAdmin.readonly_fields,
        "suspended_until",
        "suspended_permanently",
        "suspension_reason",
    )

    def get_form(
        self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any
    ) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.moderator = request.user if isinstance(request.user, User) else None  # type: ignore[attr-defined]
        return form

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change or not isinstance(request.user, User):
            return
        data = form.cleaned_data
        if data.get("suspend_days") is not None or data.get("suspend_forever"):
            user_suspend(
                moderator=request.user,
                user=obj,
                reason=data.get("suspend_reason", ""),
                days=data.get("suspend_days"),
                forever=bool(data.get("suspend_forever")),
                hide_works=bool(data.get("hide_works")),
            )
        elif data.get("lift_suspension"):
            user_unsuspend(moderator=request.user, user=obj, reason=data.get("suspend_reason", ""))

    @admin.action(description="Mark as spammers (hide their works and comments, suspend)")
    def mark_spammers(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """The spammer page's action (`user_mark_spammer`) for each chosen account."""
        if not isinstance(request.user, User):
            return
        done = 0
        for person in queryset.order_by("pk"):
            try:
                user_mark_spammer(moderator=request.user, user=person, reason=ADMIN_SPAMMER_REASON)
            except (PermissionDenied, ValidationError) as refusal:
                text = " ".join(getattr(refusal, "messages", [str(refusal)]))
                self.message_user(request, f"{person.username}: {text}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, f"{done} account(s) marked as spammers.", messages.SUCCESS)

    @admin.action(description="Delete the account (choices and a reason on the next page)")
    def delete_account(
        self, request: HttpRequest, queryset: QuerySet[User]
    ) -> HttpResponseRedirect | None:
        """To portability's confirmation page, which calls `account_delete_by_admin`."""
        people = list(queryset.order_by("pk")[:2])
        if len(people) != 1:
            self.message_user(request, "Delete accounts one at a time.", messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("portability:admin_delete", args=[people[0].pk]))
