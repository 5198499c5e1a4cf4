from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from fanarchive.core.admin import ReadOnlyAdmin, ReadOnlyInline
from fanarchive.works.models import (
    Chapter,
    CreatorInvitation,
    Creatorship,
    Gift,
    Series,
    SeriesWork,
    Work,
    WorkTag,
)
from fanarchive.works.moderation_services import work_remove, work_set_hidden


class ChapterInline(ReadOnlyInline[Chapter, Work]):
    model = Chapter
    fields = ("position", "title", "posted", "word_count")
    show_change_link = True


class CreatorshipInline(ReadOnlyInline[Creatorship, Work]):
    model = Creatorship
    fields = ("pseud", "position")


class WorkTagInline(ReadOnlyInline[WorkTag, Work]):
    model = WorkTag
    fields = ("tag", "position")


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin[Work]):
    list_display = (
        "title",
        "posted",
        "restricted",
        "anonymous",
        "hidden_by_admin",
        "word_count",
        "revised_at",
    )
    list_filter = ("posted", "restricted", "anonymous", "hidden_by_admin", "complete", "language")
    search_fields = ("title",)
    inlines = (CreatorshipInline, WorkTagInline, ChapterInline)
    # Moderators hide works here with the reason their creators are shown (through the
    # service the moderation queue calls, so listings, search and feeds follow and the
    # audit log records it); everything else is changed by the creators through the site.
    # The creatorships inline names an anonymous work's creators to the admins (W6).
    fields = ("title", "hidden_by_admin", "hidden_reason", "restricted", "anonymous", "language")
    readonly_fields = ("title", "restricted", "anonymous", "language")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Work, form: ModelForm[Work], change: bool
    ) -> None:
        if {"hidden_by_admin", "hidden_reason"} & set(form.changed_data):
            stored = Work.objects.get(pk=obj.pk)
            work_set_hidden(
                user=request.user,  # type: ignore[arg-type]
                work=stored,
                hidden=obj.hidden_by_admin,
                reason=obj.hidden_reason,
            )

    def delete_model(self, request: HttpRequest, obj: Work) -> None:
        # As the queue's "delete": the catalogue forgets it, the audit log keeps a record.
        work_remove(user=request.user, work=obj, reason="Deleted from the admin pages.")  # type: ignore[arg-type]

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Work]) -> None:
        for work in queryset:
            self.delete_model(request, work)


@admin.register(Chapter)
class ChapterAdmin(ReadOnlyAdmin[Chapter]):
    list_display = ("__str__", "work", "posted", "word_count")


class SeriesWorkInline(ReadOnlyInline[SeriesWork, Series]):
    model = SeriesWork
    fields = ("work", "position")


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin[Series]):
    list_display = ("title", "complete", "updated_at")
    search_fields = ("title",)
    inlines = (SeriesWorkInline,)
    # Series are changed by their creators through the site; admins look.


@admin.register(Gift)
class GiftAdmin(ReadOnlyAdmin[Gift]):
    list_display = ("work", "recipient", "refused", "created_at")
    raw_id_fields = ("work", "pseud")
    list_filter = ("refused",)


@admin.register(CreatorInvitation)
class CreatorInvitationAdmin(ReadOnlyAdmin[CreatorInvitation]):
    list_display = ("work", "pseud", "status", "created_at")
    raw_id_fields = ("work", "pseud", "invited_by")
    list_filter = ("status",)
