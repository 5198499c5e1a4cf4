"""gunicorn settings used by `fanarchive serve`: run the task worker beside the server.

gunicorn reads this module's hooks (`-c python:fanarchive.core.gunicorn_conf`). The
supervisor lives in the master process, so there is exactly one worker however many
web workers gunicorn forks.
"""

from __future__ import annotations

import logging
from typing import Any

from fanarchive.core.worker import WorkerSupervisor, worker_process_argv

_supervisor: WorkerSupervisor | None = None


def when_ready(server: Any) -> None:
    global _supervisor
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
