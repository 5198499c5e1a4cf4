"""gunicorn settings used by `fanarchive serve`: what the master prepares before the
workers fork, and the task worker beside the server.

gunicorn reads this module's hooks (`-c python:fanarchive.core.gunicorn_conf`). With
`--preload` the app is loaded in the master; `on_starting` then runs the hooks apps
registered with `core.gunicorn.before_workers_fork` (the catalogue index) before the
port opens and any worker is forked, so requests never wait for them and the workers
share one copy. The
task worker's supervisor lives in the master too, so there is exactly one task worker
however many web workers gunicorn forks (none with `serve --no-worker`).
"""

from __future__ import annotations

import logging
import os
import time
from typing import Any

from fanarchive.core.gunicorn import NO_TASK_WORKER_ENV, prepare_before_fork, prepare_worker
from fanarchive.core.worker import WorkerSupervisor, worker_process_argv

_supervisor: WorkerSupervisor | None = None


def on_starting(server: Any) -> None:
    """Before gunicorn opens its port: a request never waits for the index to load (at
    millions of works that takes a while); until the port opens, the host is simply not
    up, which a load balancer or nginx handles by sending nothing to it."""
    started = time.monotonic()
    server.log.info("Loading what the workers share (the catalogue index)…")
    prepare_before_fork()
    server.log.info(f"Ready in {time.monotonic() - started:.1f} s; opening the port")


def post_fork(server: Any, worker: Any) -> None:
    """In each worker, just forked: what apps registered with `core.gunicorn.in_each_worker`
    (the catalogue's catch-up thread, which would not survive a fork)."""
    prepare_worker()


def when_ready(server: Any) -> None:
    global _supervisor
    if os.environ.get(NO_TASK_WORKER_ENV):
        return
    # gunicorn's master never loads Django's LOGGING: give the supervisor's logger a voice.
    logger = logging.getLogger("fanarchive.tasks")
    if not logger.hasHandlers():
        handler = logging.StreamHandler()
        handler.setFormatter(
            logging.Formatter("[%(asctime)s] [%(process)d] [%(levelname)s] %(message)s")
        )
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    _supervisor = WorkerSupervisor(worker_process_argv())
    _supervisor.start()
    server.log.info("Started the background task worker")


def on_exit(server: Any) -> None:
    if _supervisor is not None:
        _supervisor.stop()
        server.log.info("Stopped the background task worker")
