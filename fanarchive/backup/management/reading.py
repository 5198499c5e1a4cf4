"""How both commands read a backup: a file, or standard input for "-"."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO, TypeVar

from django.core.management.base import CommandError

from fanarchive.backup.format import BackupError

T = TypeVar("T")


def read_backup(name: str, read: Callable[[BinaryIO], T], *, refused: str) -> T:
    """`read` the backup `name`; a file that cannot be opened or is not a sound backup
    stops the command with the reason (`refused` comes before a backup's fault)."""
    try:
        if name == "-":
            return read(sys.stdin.buffer)
        with Path(name).open("rb") as raw:
            return read(raw)
    except OSError as error:
        raise CommandError(f"Cannot read {name}: {error.strerror or error}.") from error
    except BackupError as error:
        raise CommandError(f"{refused}{error}") from error
