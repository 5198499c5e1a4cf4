from django.contrib import admin

from fanarchive.engagement.models import Block, Comment, Kudos, WorkHitCount


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    raw_id_fields = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ("work", "user", "created_at")
    raw_id_fields = ("work", "user")
    search_fields = ("user__username", "work__title")


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ("id", "work", "author_name", "state", "frozen", "deleted", "created_at")
    list_filter = ("state", "frozen", "deleted")
    raw_id_fields = ("work", "chapter", "parent", "thread_root", "user", "pseud")
    search_fields = ("user__username", "guest_name", "work__title", "text")
    # Guests' hashed addresses and e-mail addresses stay out of the list.
    exclude = ("guest_key",)


@admin.register(WorkHitCount)
class WorkHitCountAdmin(admin.ModelAdmin):
    list_display = ("work", "hits")
    raw_id_fields = ("work",)
