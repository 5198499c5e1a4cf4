from django.apps import AppConfig


class PortabilityConfig(AppConfig):
    name = "fanarchive.portability"
    label = "portability"
    verbose_name = "Leaving and taking one's data"
