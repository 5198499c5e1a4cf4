from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "fanarchive.discovery"
    label = "discovery"

    def ready(self) -> None:
        # Works (below) logs every change of a work; the saved-filter alerts read that
        # log in the background, queued when it grows (discovery.alert_tasks).
        from fanarchive.core.gunicorn import before_workers_fork
        from fanarchive.discovery.alert_tasks import alerts_log_grew
        from fanarchive.discovery.index.live import preload
        from fanarchive.works.catalogue_services import catalogue_log_heard_by

        catalogue_log_heard_by(alerts_log_grew)
        # `fanarchive serve`: the index is loaded once, before gunicorn forks its workers.
        before_workers_fork(preload)
