"""`fanarchive serve`: make the data directory ready, then serve the archive with gunicorn.

Preparing is idempotent (migrations, cache table, static files), so the same
command is the first start and every restart. The process then becomes
gunicorn, so a process manager or Ctrl-C reaches the server directly. Unless
`--no-worker`, gunicorn's master also runs the background task worker
(`fanarchive worker`) and restarts it if it crashes (see core/worker.py).

The catalogue index is made ready before gunicorn takes any request (built here if the
saved one is missing, then loaded once by gunicorn's master, whose workers share it).

It lives in the demo app, the top layer, because it may fill an empty archive with
demo works (`--demo-works N`); the rest of it (gunicorn's configuration in
core/gunicorn_conf.py, the worker) is core's.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fanarchive.accounts.models import User
from fanarchive.core.gunicorn import (
    ALL_INTERFACES,
    NO_TASK_WORKER_ENV,
    REQUEST_TIMEOUT,
    bind_address,
    exec_gunicorn,
    gunicorn_argv,
)
from fanarchive.demo.generator import DEMO_PASSWORD, DEMO_USERNAME, generate_demo_archive
from fanarchive.discovery.index import live
from fanarchive.works.models import Work


class Command(BaseCommand):
    help = (
        "Migrate, collect static files, optionally add a demo archive to an empty "
        "database, then serve the archive with gunicorn and a background task worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
        parser.add_argument("--port", type=int, default=8000, help="port to listen on")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
        parser.add_argument(
            "--demo-works",
            type=int,
            default=0,
            help="when the archive has no works yet, generate a demo archive of this many",
        )
        parser.add_argument(
            "--timeout",
            type=int,
            default=REQUEST_TIMEOUT,
            help=f"seconds before a stuck request's worker restarts (default {REQUEST_TIMEOUT})",
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="do not run the background task worker (run `fanarchive worker` yourself)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"]
        workers: int = options["workers"]
        demo_works: int = options["demo_works"]
        if not 0 < port < 65536:
            raise CommandError("--port must be between 1 and 65535.")
        if workers < 1:
            raise CommandError("--workers must be 1 or more.")
        if demo_works < 0:
            raise CommandError("--demo-works cannot be negative.")
        if options["timeout"] < 1:
            raise CommandError("--timeout must be 1 second or more.")

        self.prepare(demo_works=demo_works)
        self.announce(host, port)
        argv = gunicorn_argv(host=host, port=port, workers=workers, timeout=options["timeout"])
        if options["no_worker"]:
            os.environ[NO_TASK_WORKER_ENV] = "1"
            self.stdout.write("Background tasks wait for `fanarchive worker` (--no-worker).")
        else:
            # Not left over from the environment this was started in.
            os.environ.pop(NO_TASK_WORKER_ENV, None)
            self.stdout.write("A background task worker runs beside the server.")
        # Nothing of this process survives the exec: write out what is buffered.
        self.stdout.flush()
        sys.stdout.flush()
        sys.stderr.flush()
        exec_gunicorn(argv)

    def prepare(self, *, demo_works: int) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        # Only an empty archive gets demo works: a restart must never add more.
        if demo_works and not Work.objects.exists():
            self.stdout.write(f"Generating a demo archive of {demo_works:,} works…")
            summary = generate_demo_archive(works=demo_works, users=None, progress=True)
            self.stdout.write(summary.describe())
        # The catalogue index is ready before gunicorn takes a request: built here (with
        # its progress) when the saved one is missing or is another database's, then
        # loaded by gunicorn's master before its workers fork (core/gunicorn_conf.py).
        if not live.saved_index_usable():
            self.stdout.write(
                "The catalogue index is missing or out of date: building it before serving…"
            )
            self.stdout.flush()
            call_command("reindex", stdout=self.stdout, stderr=self.stderr)

    def announce(self, host: str, port: int) -> None:
        if host in ALL_INTERFACES:
            self.stdout.write(f"Fanarchive is at http://127.0.0.1:{port}/ (on every interface).")
            self.stdout.write(
                "To reach it by another name, list that name in FANARCHIVE_ALLOWED_HOSTS."
            )
        else:
            self.stdout.write(f"Fanarchive is at http://{bind_address(host, port)}/")
            allowed = settings.ALLOWED_HOSTS
            if host not in allowed and "*" not in allowed and f"[{host}]" not in allowed:
                self.stdout.write(
                    self.style.WARNING(
                        f"{host} is not in FANARCHIVE_ALLOWED_HOSTS, so requests to it will be "
                        "refused."
                    )
                )
        if User.objects.filter(username__iexact=DEMO_USERNAME).exists():
            self.stdout.write(
                f"Demo login: {DEMO_USERNAME} / {DEMO_PASSWORD} (unless its password was changed)"
            )
