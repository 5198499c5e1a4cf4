"""Bookmarks, subscriptions, the inbox and history: the "social" URL namespace, composed in
config/urls.py with discovery.social_urls (a user's bookmarks, listed with the reader's
mutes)."""

from django.urls import path

from fanarchive.engagement import reading_list_views
from fanarchive.engagement import social_views as views

app_name = "social"
urlpatterns = [
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/update/", views.inbox_update, name="inbox_update"),
    path("inbox/<int:notice_id>/", views.inbox_open, name="inbox_open"),
    path("bookmarks/new/", views.bookmark_new, name="bookmark_new"),
    path("bookmarks/<int:bookmark_id>/edit/", views.bookmark_edit, name="bookmark_edit"),
    path("bookmarks/<int:bookmark_id>/delete/", views.bookmark_delete, name="bookmark_delete"),
    path("works/<int:work_id>/bookmarks/", views.work_bookmarks, name="work_bookmarks"),
    path("works/<int:work_id>/mark-for-later/", views.mark_for_later, name="mark_for_later"),
    path("subscriptions/new/", views.subscribe, name="subscribe"),
    path("subscriptions/<int:subscription_id>/delete/", views.unsubscribe, name="unsubscribe"),
    path("history/clear/", views.history_clear, name="history_clear"),
    path("history/<int:work_id>/remove/", views.history_remove, name="history_remove"),
    path(
        "users/<str:username>/subscriptions/",
        views.user_subscriptions,
        name="user_subscriptions",
    ),
    path("users/<str:username>/history/", views.user_history, name="user_history"),
    path(
        "works/<int:work_id>/reading-list/",
        reading_list_views.reading_status,
        name="reading_status",
    ),
    path(
        "users/<str:username>/reading-list/",
        reading_list_views.reading_list,
        name="reading_list",
    ),
    path(
        "users/<str:username>/reading-list/privacy/",
        reading_list_views.reading_list_privacy,
        name="reading_list_privacy",
    ),
]
