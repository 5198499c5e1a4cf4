from django.contrib import admin

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


class ChapterInline(admin.TabularInline):
    model = Chapter
    fields = ("position", "title", "posted", "word_count")
    readonly_fields = ("word_count",)
    extra = 0
    show_change_link = True


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    raw_id_fields = ("pseud",)
    extra = 0


class WorkTagInline(admin.TabularInline):
    model = WorkTag
    raw_id_fields = ("tag",)
    extra = 0


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("title", "posted", "restricted", "hidden_by_admin", "word_count", "revised_at")
    list_filter = ("posted", "restricted", "hidden_by_admin", "complete", "language")
    search_fields = ("title",)
    inlines = (CreatorshipInline, WorkTagInline, ChapterInline)
    # Moderators hide works here; content is changed by its creators through the site.
    fields = ("title", "hidden_by_admin", "restricted", "language")
    readonly_fields = ("title", "language")


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("__str__", "work", "posted", "word_count")
    raw_id_fields = ("work",)
    readonly_fields = ("content", "word_count")


class SeriesWorkInline(admin.TabularInline):
    model = SeriesWork
    raw_id_fields = ("work",)
    extra = 0


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "complete", "updated_at")
    search_fields = ("title",)
    inlines = (SeriesWorkInline,)
    # Series are changed by their creators through the site; admins look and may delete.
    readonly_fields = ("title", "summary", "notes", "complete")


@admin.register(Gift)
class GiftAdmin(admin.ModelAdmin):
    list_display = ("work", "recipient", "refused", "created_at")
    raw_id_fields = ("work", "pseud")
    list_filter = ("refused",)


@admin.register(CreatorInvitation)
class CreatorInvitationAdmin(admin.ModelAdmin):
    list_display = ("work", "pseud", "status", "created_at")
    raw_id_fields = ("work", "pseud", "invited_by")
    list_filter = ("status",)
