from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fanarchive.api"
    label = "api"
    verbose_name = "API"
