from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "fanarchive.news"
    label = "news"
    verbose_name = "News and site pages"

    def ready(self) -> None:
        # Every page shows the banner this browser has not hidden: guests' cached pages too.
        from fanarchive.core.page_cache import pages_vary_by
        from fanarchive.news.context_processors import banner_key

        pages_vary_by(banner_key)
