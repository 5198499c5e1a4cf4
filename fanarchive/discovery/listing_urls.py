"""The discovery app's pages in the "works" URL namespace, under /works/ (composed in
config/urls.py): the works listing (the catalogue index), a user's gifts, a series and a
user's series (with the reader's mutes)."""

from django.urls import path

from fanarchive.discovery import profile_views, series_views, views

urlpatterns = [
    path("", views.works_index, name="list"),
    path("gifts/<str:username>/", profile_views.gifts, name="gifts"),
    path("series/by/<str:username>/", series_views.series_by_user, name="user_series"),
    path("series/<int:series_id>/", series_views.series_detail, name="series"),
]
