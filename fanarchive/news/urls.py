"""The front page, news posts with their comments and feed, and the site's own pages."""

from __future__ import annotations

from django.urls import URLPattern

app_name = "news"

urlpatterns: list[URLPattern] = []
