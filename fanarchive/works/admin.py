from __future__ import annotations

from django.contrib import admin
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
from fanarchive.works.moderation_services import work_set_hidden


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
    list_display = ("title", "posted", "restricted", "hidden_by_admin", "word_count", "revised_at")
    list_filter = ("posted", "restricted", "hidden_by_admin", "complete", "language")
    search_fields = ("title",)
    inlines = (CreatorshipInline, WorkTagInline, ChapterInline)
    # Moderators hide works here (through the service, so listings, search and feeds
    # follow); everything else is changed by the work's creators through the site.
    fields = ("title", "hidden_by_admin", "restricted", "language")
    readonly_fields = ("title", "restricted", "language")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def save_model(
        self, request: HttpRequest, obj: Work, form: ModelForm[Work], change: bool
    ) -> None:
        if "hidden_by_admin" in form.changed_data:
            stored = Work.objects.get(pk=obj.pk)
            work_set_hidden(user=request.user, work=stored, hidden=obj.hidden_by_admin)  # type: ignore[arg-type]


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
