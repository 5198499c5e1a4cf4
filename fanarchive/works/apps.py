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
