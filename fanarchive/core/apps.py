from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fanarchive.core"
    label = "core"
