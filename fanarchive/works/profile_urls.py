"""The works app's pages in the "accounts" URL namespace (composed in config/urls.py)."""

from django.urls import path

from fanarchive.works import profile_views

urlpatterns = [
    path("users/<str:username>/pseuds/", profile_views.pseuds, name="pseuds"),
    path("users/<str:username>/drafts/", profile_views.drafts, name="drafts"),
]
