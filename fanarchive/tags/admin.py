from django.contrib import admin

from fanarchive.tags.models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "type", "canonical")
    list_filter = ("type", "canonical")
    search_fields = ("name",)
