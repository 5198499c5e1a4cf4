from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    label = "works"

    def ready(self) -> None:
        # Renamed pseuds and accounts are catalogued again (accounts.events).
        from fanarchive.accounts import events
        from fanarchive.works.account_events import WorksAccountListener

        events.listen(WorksAccountListener())
