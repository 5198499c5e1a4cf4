from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "fanarchive.news"
    label = "news"
    verbose_name = "News and site pages"
