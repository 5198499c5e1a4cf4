"""How the archive runs gunicorn: its command line, and handing the process over to it
(`fanarchive serve`; the concurrency test starts the same server)."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

from django.db import connections

GUNICORN_CONF = "fanarchive.core.gunicorn_conf"
ALL_INTERFACES = frozenset({"0.0.0.0", "::"})  # noqa: S104 - only named to recognise them
# Set by `serve --no-worker`: gunicorn's master then runs no task worker.
NO_TASK_WORKER_ENV = "FANARCHIVE_SERVE_NO_TASK_WORKER"
# Seconds a request may take before gunicorn kills its worker. Nothing slow happens in a
# request (the catalogue index is ready before the workers start, downloads are built in
# the background), so a request past this is stuck: a minute leaves room for a slow
# database without letting a stuck worker hold a slot for long.
REQUEST_TIMEOUT = 60

# What gunicorn's master prepares once, after loading the app and before forking any
# worker, so that every worker starts with it and shares its memory (the catalogue
# index). Apps above core register their own (`before_workers_fork`).
_before_fork: list[Callable[[], object]] = []


# What each worker does first, just after the fork (`in_each_worker`).
_after_fork: list[Callable[[], object]] = []


def before_workers_fork(hook: Callable[[], object]) -> None:
    """Have gunicorn's master call `hook()` before it forks the workers (once per hook)."""
    if hook not in _before_fork:
        _before_fork.append(hook)


def in_each_worker(hook: Callable[[], object]) -> None:
    """Have each gunicorn worker call `hook()` just after it is forked (once per hook)."""
    if hook not in _after_fork:
        _after_fork.append(hook)


def prepare_worker() -> None:
    """Run the hooks registered with `in_each_worker` (gunicorn's `post_fork`)."""
    for hook in _after_fork:
        hook()


def warm_django() -> int:
    """Do once, in the master, what Django otherwise does on each worker's first request:
    import every view (the URLconf), compile every template into the cached loader, and
    read each offered language's catalogue. A new worker's first page then costs about
    what its second does. Returns the number of templates compiled."""
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template
    from django.template.utils import get_app_template_dirs
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    folders += [Path(d) for d in get_app_template_dirs("templates")]
    compiled = 0
    for folder in folders:
        for template in sorted(folder.rglob("*.html")):
            try:
                get_template(template.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                continue  # a page that uses it will say what is wrong, as without this
            compiled += 1
    for code, _ in settings.LANGUAGES:
        translation.activate(code)
    translation.deactivate()
    return compiled


def prepare_before_fork() -> None:
    """Warm Django and run the registered hooks, then let go of the database: each worker
    opens its own connections (a connection shared across a fork would mix their
    conversations)."""
    from django.apps import apps

    if not apps.ready:  # gunicorn without --preload: the app loads in each worker
        return
    try:
        warm_django()
        for hook in _before_fork:
            hook()
    finally:
        connections.close_all()


def bind_address(host: str, port: int) -> str:
    """gunicorn's --bind, with IPv6 addresses in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _gunicorn_has_setting(name: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == name for setting in KNOWN_SETTINGS)


def gunicorn_argv(
    *, host: str, port: int, workers: int, timeout: int = REQUEST_TIMEOUT
) -> list[str]:
    # The gunicorn installed next to this Python, so it serves from the same virtualenv.
    script = Path(sys.executable).parent / "gunicorn"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "gunicorn"]
    argv = [
        *command,
        "config.wsgi:application",
        "--bind",
        bind_address(host, port),
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
        "--timeout",
        str(timeout),
        # The app (and with it what `before_workers_fork` prepares) is loaded once, in the
        # master, and the workers fork from it: one copy of the index for the host.
        "--preload",
        "--config",
        f"python:{GUNICORN_CONF}",
    ]
    # Newer gunicorns open a control socket at one fixed path in $HOME, so a second
    # archive on the machine would take over the first one's; nothing here uses it.
    if _gunicorn_has_setting("control_socket_disable"):
        argv.append("--no-control-socket")
    return argv


def exec_gunicorn(argv: list[str]) -> NoReturn:
    """Replace this process with gunicorn. Kept alone so tests can stop here."""
    # Let go of the database so gunicorn's workers open their own connections.
    connections.close_all()
    os.execvp(argv[0], argv)  # noqa: S606 - argv is built above, never from user text
