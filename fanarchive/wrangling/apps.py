"""The wrangling app: no models of its own (they are the tags app's); installed for its
admin page of wrangler assignments and its `wrangler` command."""

from django.apps import AppConfig


class WranglingConfig(AppConfig):
    name = "fanarchive.wrangling"
    label = "wrangling"
