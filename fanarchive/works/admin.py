from django.contrib import admin

from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag


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
