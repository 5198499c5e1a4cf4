from django.apps import AppConfig


class EngagementConfig(AppConfig):
    name = "fanarchive.engagement"
    label = "engagement"
