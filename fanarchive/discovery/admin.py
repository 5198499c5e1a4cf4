from django.contrib import admin

from fanarchive.discovery.models import MutedCreator, MutedTag, SavedFilter


@admin.register(SavedFilter)
class SavedFilterAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "query_string", "created_at")
    search_fields = ("name", "user__username")
    raw_id_fields = ("user",)


@admin.register(MutedTag)
class MutedTagAdmin(admin.ModelAdmin):
    list_display = ("user", "tag", "created_at")
    raw_id_fields = ("user", "tag")


@admin.register(MutedCreator)
class MutedCreatorAdmin(admin.ModelAdmin):
    list_display = ("user", "creator", "created_at")
    raw_id_fields = ("user", "creator")
