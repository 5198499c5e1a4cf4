from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CollectionsConfig(AppConfig):
    name = "fanarchive.collections"
    label = "collections"
    verbose_name = _("Collections")

    def ready(self) -> None:
        # The catalogue index (discovery, below) files works under the collections they
        # are listed in (discovery.groups).
        from fanarchive.collections.catalogue_groups import listed_groups
        from fanarchive.discovery.groups import provide

        provide(listed_groups)

        # The posting form's "Post to collections" field comes from works (below), which
        # announces the names (works.events.WorkCollections).
        from fanarchive.collections.posting import CollectionPosting
        from fanarchive.works.events import listen_collections

        listen_collections(CollectionPosting())
