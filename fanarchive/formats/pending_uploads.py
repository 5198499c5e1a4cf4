"""Uploads waiting for review on the import page ("Import a work").

The page parses an upload and shows the result; the file is kept here, under
DATA_DIR/imports/pending/, until its owner posts it or saves it as a draft, a day at
most. A token names the file, and only its owner's files can be asked for.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.formats.errors import ImportFailed


def _pending_dir() -> Path:
    return Path(settings.DATA_DIR) / "imports" / "pending"


def _pending_path(user: User, token: str) -> Path:
    if not token.isalnum():
        raise ImportFailed("upload", _("This upload has expired. Please choose the file again."))
    return _pending_dir() / f"{user.pk}-{token}.upload"


def pending_upload_save(*, user: User, data: bytes) -> str:
    """Keep an uploaded file until its owner confirms the import; returns its token.

    Uploads older than a day are removed on the way.
    """
    folder = _pending_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - 86_400
    for old in folder.glob("*.upload"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    _pending_path(user, token).write_bytes(data)
    return token


def pending_upload_load(*, user: User, token: str) -> bytes:
    path = _pending_path(user, token)
    if not path.exists():
        raise ImportFailed("upload", _("This upload has expired. Please choose the file again."))
    return path.read_bytes()


def pending_upload_delete(*, user: User, token: str) -> None:
    _pending_path(user, token).unlink(missing_ok=True)
