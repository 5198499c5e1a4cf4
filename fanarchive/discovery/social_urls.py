"""The discovery app's pages in the "social" URL namespace (composed in config/urls.py):
a user's bookmarks, with the reader's mutes applied."""

from django.urls import path

from fanarchive.discovery import profile_views

urlpatterns = [
    path("users/<str:username>/bookmarks/", profile_views.user_bookmarks, name="user_bookmarks"),
]
