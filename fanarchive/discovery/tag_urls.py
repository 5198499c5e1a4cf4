"""Tag pages (`/tags/<id>/...`): the works filed under a tag and what it means. They are
pages of finding works, so they live here, above the works and tags they show."""

from django.urls import path
from django.views.generic import RedirectView

from fanarchive.discovery import views

app_name = "tags"
urlpatterns = [
    path("<int:tag_id>/", RedirectView.as_view(pattern_name="tags:works"), name="detail"),
    path("<int:tag_id>/works/", views.tag_works, name="works"),
    path("<int:tag_id>/about/", views.tag_about, name="about"),
]
