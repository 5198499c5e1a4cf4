from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    label = "works"

    def ready(self) -> None:
        # Renamed pseuds and accounts are catalogued again (accounts.events).
        from fanarchive.accounts import events
        from fanarchive.works.account_events import WorksAccountListener

        events.listen(WorksAccountListener())
        # Search documents too many to rewrite in their request are caught up by a task.
        from fanarchive.works.catalogue_services import search_documents_queued_heard_by
        from fanarchive.works.catalogue_tasks import search_documents_queued

        search_documents_queued_heard_by(search_documents_queued)
        # Guests' cached pages change with the catalogue, and vary by their consent.
        from fanarchive.core.page_cache import pages_change_with, pages_vary_by
        from fanarchive.works.age_gate import guest_page_variant
        from fanarchive.works.selectors import catalogue_version

        pages_change_with(catalogue_version)
        pages_vary_by(guest_page_variant)
        # Use counts (autocomplete's order) are recounted by a task, queued once a day.
        from fanarchive.core.worker import while_working
        from fanarchive.works.tag_count_tasks import RECOUNT_SECONDS, tags_recount_queue

        while_working(
            tags_recount_queue, every=RECOUNT_SECONDS, what="Queueing the tags' use counts"
        )
