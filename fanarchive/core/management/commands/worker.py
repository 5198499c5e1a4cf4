"""`fanarchive worker`: run background tasks (e-mail, digests, subscription notices).

Runs django-tasks' database worker, or RQ's worker when REDIS_URL is set. In
production run it as its own process (and `fanarchive serve --no-worker`); `fanarchive
serve` alone runs one for you. On the database queue it first retries the tasks of
workers that died mid-task, and keeps looking for them while it runs (core.worker).
"""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.core.abandoned_tasks import sweep_abandoned_tasks
from fanarchive.core.worker import (
    AbandonedTaskSweeper,
    WorkerLock,
    host_chores,
    new_worker_id,
    uses_rq,
    worker_command,
    worker_lock_dir,
)


class Command(BaseCommand):
    help = "Run the background task worker (database queue, or RQ when REDIS_URL is set)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="run every task that is due, then exit (for cron, tests and one-off runs)",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="seconds between looks at an empty database queue (default 1)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        interval: float = options["interval"]
        if interval < 0:
            raise CommandError("--interval cannot be negative.")
        # The host's own chores (the catalogue's checkpoint) while the worker runs.
        chores = [] if options["batch"] else host_chores()
        for chore in chores:
            chore.start()
        try:
            self._work(options, interval)
        finally:
            for chore in chores:
                chore.stop()

    def _work(self, options: dict[str, Any], interval: float) -> None:
        if uses_rq():
            self._announce("RQ (Redis)")
            name, argv = worker_command(batch=options["batch"])
            call_command(name, *argv, verbosity=options["verbosity"])
            return
        self._announce("the database")
        lock = WorkerLock(worker_lock_dir(), new_worker_id())
        lock.acquire()
        sweeper = AbandonedTaskSweeper(sweep_abandoned_tasks)
        try:
            sweep_abandoned_tasks()
            if not options["batch"]:
                sweeper.start()
            name, argv = worker_command(
                batch=options["batch"], interval=interval, worker_id=lock.worker_id
            )
            call_command(name, *argv, verbosity=options["verbosity"])
        finally:
            sweeper.stop()
            lock.release()

    def _announce(self, backend: str) -> None:
        self.stdout.write(f"Running background tasks queued in {backend}.")
        self.stdout.flush()
