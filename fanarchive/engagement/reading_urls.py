"""The engagement app's pages in the "works" URL namespace, under /works/ (composed in
config/urls.py): the reading pages."""

from django.urls import path

from fanarchive.engagement import reading_views

urlpatterns = [
    path("<int:work_id>/", reading_views.work_detail, name="detail"),
    path("<int:work_id>/chapters/<int:chapter_id>/", reading_views.chapter_detail, name="chapter"),
]
