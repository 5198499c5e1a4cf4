"""Search documents rewritten in the background, and the hook that queues the run.

`catalogue_services.catalogue_works_changed` queues the documents of a change too big to
rewrite inside its request (a wrangling of thousands of works) and calls the hook inside
its transaction; on commit, one run is queued `QUEUE_DELAY` ahead, and no other from this
process until then: every commit meanwhile comes before that run starts, and the run
works through everything queued. Runs are idempotent, and several at once share the
queue; `fanarchive search-catch-up` runs it from cron too.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from fanarchive.core.tasks import retrying_task
from fanarchive.works import catalogue_services

QUEUE_DELAY = timedelta(seconds=2)

_queued_lock = threading.Lock()
_queued_at = float("-inf")


@retrying_task()
def search_documents_catch_up() -> int:
    return catalogue_services.search_documents_catch_up()


def search_documents_queued() -> None:
    """Documents were queued (in this transaction): run the catch-up once it commits."""
    transaction.on_commit(_enqueue, robust=True)


def _enqueue() -> None:
    global _queued_at
    now = time.monotonic()
    with _queued_lock:
        if now - _queued_at < QUEUE_DELAY.total_seconds():
            return  # the run already queued starts after this commit
        _queued_at = now
    search_documents_catch_up.using(run_after=timezone.now() + QUEUE_DELAY).enqueue()


def forget_queued() -> None:
    """Let the next queueing enqueue a run at once (tests)."""
    global _queued_at
    with _queued_lock:
        _queued_at = float("-inf")
