"""How the archive runs gunicorn: its command line, and handing the process over to it
(`fanarchive serve`; the concurrency test starts the same server)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import NoReturn

from django.db import connections

GUNICORN_CONF = "fanarchive.core.gunicorn_conf"
ALL_INTERFACES = frozenset({"0.0.0.0", "::"})  # noqa: S104 - only named to recognise them


def bind_address(host: str, port: int) -> str:
    """gunicorn's --bind, with IPv6 addresses in brackets."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"{host}:{port}"


def _gunicorn_has_setting(name: str) -> bool:
    from gunicorn.config import KNOWN_SETTINGS

    return any(setting.name == name for setting in KNOWN_SETTINGS)


def gunicorn_argv(*, host: str, port: int, workers: int, task_worker: bool = True) -> list[str]:
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
    ]
    # Newer gunicorns open a control socket at one fixed path in $HOME, so a second
    # archive on the machine would take over the first one's; nothing here uses it.
    if _gunicorn_has_setting("control_socket_disable"):
        argv.append("--no-control-socket")
    if task_worker:
        # gunicorn's master runs and supervises `fanarchive worker` (core/gunicorn_conf.py).
        argv += ["--config", f"python:{GUNICORN_CONF}"]
    return argv


def exec_gunicorn(argv: list[str]) -> NoReturn:
    """Replace this process with gunicorn. Kept alone so tests can stop here."""
    # Let go of the database so gunicorn's workers open their own connections.
    connections.close_all()
    os.execvp(argv[0], argv)  # noqa: S606 - argv is built above, never from user text
