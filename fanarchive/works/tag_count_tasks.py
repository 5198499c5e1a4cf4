"""The tags' use counts recounted by a background task, never in a request.

Each host's task worker queues a recount once a day (`RECOUNT_SECONDS`, a chore
registered in `works.apps`), and any worker runs it (`tags_recount`: one UPDATE over the
tags). `fanarchive tags_recount` still recounts at once, from cron or after a big import.
"""

from __future__ import annotations

from datetime import timedelta

from fanarchive.core.tasks import QueuedOnceAhead, retrying_task
from fanarchive.works.tag_count_services import tags_recount

RECOUNT_SECONDS = 24 * 3600.0
QUEUE_DELAY = timedelta(seconds=30)


@retrying_task()
def tags_recount_run() -> int:
    return tags_recount()


queue = QueuedOnceAhead(tags_recount_run, QUEUE_DELAY)


def tags_recount_queue() -> None:
    """Queue a recount (the worker's daily chore; also after big imports)."""
    queue.on_commit()
