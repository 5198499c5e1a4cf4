"""The discovery app's pages in the "accounts" URL namespace (composed in config/urls.py)."""

from django.urls import path

from fanarchive.discovery import profile_views

urlpatterns = [
    path("users/<str:username>/", profile_views.profile, name="profile"),
    path("users/<str:username>/pseuds/<str:name>/", profile_views.pseud, name="pseud"),
]
