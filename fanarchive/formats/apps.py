from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "fanarchive.formats"
    verbose_name = "Import and export"
