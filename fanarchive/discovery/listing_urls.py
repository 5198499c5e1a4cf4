"""The discovery app's pages in the "works" URL namespace, under /works/ (composed in
config/urls.py): the works listing (the catalogue index) and a user's gifts."""

from django.urls import path

from fanarchive.discovery import profile_views, views

urlpatterns = [
    path("", views.find_works, name="list"),
    path("gifts/<str:username>/", profile_views.gifts, name="gifts"),
]
