from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fanarchive.core"
    label = "core"

    def ready(self) -> None:
        # A guest's cached page is in their language.
        from fanarchive.core.page_cache import page_language, pages_vary_by

        pages_vary_by(page_language)
