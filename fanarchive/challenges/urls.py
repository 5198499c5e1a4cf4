"""The challenges app's pages."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

app_name = "challenges"

urlpatterns: list[URLPattern | URLResolver] = []
