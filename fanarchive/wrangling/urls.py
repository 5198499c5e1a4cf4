"""The wrangling pages and tag autocomplete, in the `wrangling` namespace (paths from the root)."""

from django.urls import path

from fanarchive.wrangling import views

app_name = "wrangling"
urlpatterns = [
    path("tags/autocomplete/", views.autocomplete, name="autocomplete"),
    path("tags/<int:tag_id>/edit/", views.tag_edit, name="tag_edit"),
    path("wrangling/", views.home, name="home"),
    path("wrangling/queue/", views.queue, name="queue"),
    path("wrangling/mass/", views.mass_wrangle, name="mass"),
    path("wrangling/suggestions/", views.suggestion_decide, name="suggestion"),
    path("wrangling/log/", views.log, name="log"),
]
