from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "fanarchive.demo"
    label = "demo"
    verbose_name = "Demo archive"
