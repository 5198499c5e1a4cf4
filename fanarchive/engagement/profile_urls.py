"""The engagement app's pages in the "accounts" URL namespace (composed in config/urls.py)."""

from django.urls import path

from fanarchive.engagement import preference_views, stats_views

urlpatterns = [
    path("users/<str:username>/preferences/", preference_views.preferences, name="preferences"),
    path("users/<str:username>/stats/", stats_views.creator_stats, name="stats"),
    path(
        "users/<str:username>/stats/works.csv",
        stats_views.creator_stats_works_csv,
        name="stats_works_csv",
    ),
    path(
        "users/<str:username>/stats/days.csv",
        stats_views.creator_stats_days_csv,
        name="stats_days_csv",
    ),
    path(
        "users/<str:username>/year-in-reading/",
        stats_views.year_in_reading,
        name="year_in_reading",
    ),
]
