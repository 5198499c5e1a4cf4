"""The challenges app's pages: setting up (tag sets, the challenge's settings, sign-ups),
the gift exchange's matching and assignments, and the prompt meme's prompts and claims."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

from fanarchive.challenges import exchange_urls, prompt_urls, setup_urls

app_name = "challenges"

urlpatterns: list[URLPattern | URLResolver] = [
    *setup_urls.urlpatterns,
    *exchange_urls.urlpatterns,
    *prompt_urls.urlpatterns,
]
