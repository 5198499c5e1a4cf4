from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "fanarchive.discovery"
    label = "discovery"

    def ready(self) -> None:
        # Works (below) logs every change of a work; the saved-filter alerts read that
        # log in the background, queued when it grows (discovery.alert_tasks).
        from fanarchive.core.gunicorn import before_workers_fork, in_each_worker
        from fanarchive.core.page_cache import pages_kept_while
        from fanarchive.core.worker import while_working
        from fanarchive.discovery.alert_services import log_needed_from
        from fanarchive.discovery.alert_tasks import alerts_log_grew
        from fanarchive.discovery.index.live import (
            CHECKPOINT_SECONDS,
            catch_up_off_requests,
            caught_up,
            checkpoint_and_prune,
            preload,
        )
        from fanarchive.works.catalogue_services import (
            catalogue_log_heard_by,
            catalogue_log_needed_by,
        )

        catalogue_log_heard_by(alerts_log_grew)
        # The log is pruned past what each host's saved index and the alerts have read:
        # the task worker of each host saves its index now and then, then prunes.
        catalogue_log_needed_by(log_needed_from)
        while_working(
            checkpoint_and_prune, every=CHECKPOINT_SECONDS, what="Saving the catalogue index"
        )
        # `fanarchive serve`: the index is loaded once, before gunicorn forks its workers.
        before_workers_fork(preload)
        # In each worker, a big catch-up (a wrangling of a big tag) is left to a thread,
        # and pages rendered before it ends are not kept in the shared cache.
        in_each_worker(catch_up_off_requests)
        pages_kept_while(caught_up)
