"""The front page, news posts with their comments and feed, and the site's own pages."""

from __future__ import annotations

from django.urls import path

from fanarchive.news import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.home, name="home"),
    path("about/<slug:slug>/", views.page, name="page"),
    path("about/<slug:slug>/edit/", views.page_edit, name="page_edit"),
    path("news/", views.post_list, name="list"),
    path("news/new/", views.post_new, name="new"),
    path("news/feed/", feeds.NewsFeed(), name="feed"),
    path("news/<int:post_id>/", views.post_detail, name="post"),
    path("news/<int:post_id>/edit/", views.post_edit, name="edit"),
    path("news/<int:post_id>/delete/", views.post_delete, name="delete"),
    path("news/<int:post_id>/comments/", views.comment_create, name="comment"),
    path("news/comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("admin-banner/", views.banner_edit, name="banner_edit"),
    path("banner/dismiss/", views.banner_dismiss, name="banner_dismiss"),
]
