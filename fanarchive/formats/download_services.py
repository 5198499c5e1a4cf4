"""Download files: a work's `ExportDocument` written by the exporters, cached under
DATA_DIR/downloads/ for the download pages (`work_export`) or built afresh for the
CLI (`export_bytes`)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.selectors import export_document
from fanarchive.works.models import Work

# Part of every cached file's name: raised when the exporters change what they write, so
# files built before are not served again (2: anchors without a target are unwrapped).
EXPORT_VERSION = "2"


def downloads_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def work_export(*, work: Work, fmt: str) -> Path:
    """The download file of `work` in `fmt`, built now or reused from the cache.

    Files live under DATA_DIR/downloads/<work id>/, named by a stamp of the work's
    last change (its updated_at, creators and tags): any edit gives a new name, so
    a stale file is never served; older files of the work are removed.
    Visibility is the caller's business (see selectors.downloadable_work).
    """
    spec = FORMATS[fmt]
    doc = export_document(work)
    folder = downloads_dir() / str(work.pk)
    target = folder / f"{EXPORT_VERSION}-{doc.stamp()}.{spec.extension}"
    return cached_file(target, lambda: spec.build(doc), stale=f"*.{spec.extension}")


def cached_file(target: Path, build: Callable[[], bytes], *, stale: str) -> Path:
    """`target`, built by `build` unless it exists; written whole or not at all (a
    reader never gets half a file), then the other files of its folder matching `stale`
    (older versions of the same download) are removed."""
    if target.exists():
        return target
    data = build()
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, suffix=".part")
    with os.fdopen(handle, "wb") as out:
        out.write(data)
    os.replace(temporary, target)
    for old in folder.glob(stale):
        if old != target:
            old.unlink(missing_ok=True)
    return target


def export_bytes(*, work: Work, fmt: str) -> bytes:
    """The download built afresh, not cached (the CLI's `export -o`)."""
    return FORMATS[fmt].build(export_document(work))
