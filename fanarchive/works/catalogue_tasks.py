"""Search documents rewritten in the background, and the hook that queues the run.

`catalogue_services.catalogue_works_changed` queues the documents of a change too big to
rewrite inside its request (a wrangling of thousands of works) and calls the hook inside
its transaction; on commit, one run is queued `QUEUE_DELAY` ahead, and no other from this
process until then (`core.tasks.QueuedOnceAhead`): the run works through everything
queued. Runs are idempotent, and several at once share the queue; `fanarchive
search-catch-up` runs it from cron too.
"""

from __future__ import annotations

from datetime import timedelta

from fanarchive.core.tasks import QueuedOnceAhead, retrying_task
from fanarchive.works import catalogue_services

QUEUE_DELAY = timedelta(seconds=2)


@retrying_task()
def search_documents_catch_up() -> int:
    return catalogue_services.search_documents_catch_up()


queue = QueuedOnceAhead(search_documents_catch_up, QUEUE_DELAY)


def search_documents_queued() -> None:
    """Documents were queued (in this transaction): run the catch-up once it commits."""
    queue.on_commit()
