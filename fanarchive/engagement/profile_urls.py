"""The engagement app's pages in the "accounts" URL namespace (composed in config/urls.py)."""

from django.urls import path

from fanarchive.engagement import preference_views

urlpatterns = [
    path("users/<str:username>/preferences/", preference_views.preferences, name="preferences"),
]
