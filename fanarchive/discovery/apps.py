from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "fanarchive.discovery"
    label = "discovery"
