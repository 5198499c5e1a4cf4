from django.apps import AppConfig


class TagsConfig(AppConfig):
    name = "fanarchive.tags"
    label = "tags"

    def ready(self) -> None:
        # Guests' cached pages change with every wrangling (tag pages show it).
        from fanarchive.core.page_cache import pages_change_with
        from fanarchive.tags.selectors import wrangling_version

        pages_change_with(wrangling_version)
