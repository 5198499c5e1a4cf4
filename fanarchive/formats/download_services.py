"""Download files: a work's `ExportDocument` written by the exporters, cached under
DATA_DIR/downloads/ for the download pages (`work_export`) or built afresh for the
CLI (`export_bytes`).

What the archive adds to a download (labels, "Chapter 3", the contents, a batch's README)
is written in the language of the reader who asks for it; the work's own text and its
`<dc:language>` are the work's. Each language has its own cached file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from fnmatch import fnmatch
from pathlib import Path

from django.conf import settings
from django.utils import translation

from fanarchive.accounts.language_selectors import in_language
from fanarchive.core.i18n import supported_language
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.selectors import export_document
from fanarchive.works.models import Work

# Part of every cached file's name: raised when the exporters change what they write, so
# files built before are not served again (2: anchors without a target are unwrapped).
EXPORT_VERSION = "2"


def downloads_dir() -> Path:
    return Path(settings.DATA_DIR) / "downloads"


def download_language(language: str | None = None) -> str:
    """The language a download's own words are written in: `language` (None: the active
    one, a request's reader's) as one of settings.LANGUAGES, else the site's default. Safe
    in a file name."""
    code = translation.get_language() if language is None else language
    return supported_language(code or "") or settings.LANGUAGE_CODE


def work_export(*, work: Work, fmt: str, language: str | None = None) -> Path:
    """The download file of `work` in `fmt`, its own words in `language` (None: the active
    language, the reader's), built now or reused from the cache.

    Files live under DATA_DIR/downloads/<work id>/, named by a stamp of the work's
    last change (its updated_at, creators and tags) and the language: any edit gives a new
    name, so a stale file is never served. Building one removes the work's other files of
    that format but the current ones of other languages (so every file of an older stamp).
    Visibility is the caller's business (see selectors.downloadable_work).
    """
    spec = FORMATS[fmt]
    language = download_language(language)
    doc = export_document(work)
    folder = downloads_dir() / str(work.pk)
    current = f"{EXPORT_VERSION}-{doc.stamp()}"

    def build() -> bytes:
        with in_language(language):
            return spec.build(doc)

    return cached_file(
        folder / f"{current}-{language}.{spec.extension}",
        build,
        stale=f"*.{spec.extension}",
        keep=f"{current}-*.{spec.extension}",
    )


def cached_file(
    target: Path, build: Callable[[], bytes], *, stale: str, keep: str | None = None
) -> Path:
    """`target`, built by `build` unless it exists; written whole or not at all (a
    reader never gets half a file), then the other files of its folder matching `stale`
    (older versions of the same download) are removed, but those matching `keep` (the
    current version in other languages)."""
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
        if old != target and not (keep and fnmatch(old.name, keep)):
            old.unlink(missing_ok=True)
    return target


def export_bytes(*, work: Work, fmt: str, language: str = settings.LANGUAGE_CODE) -> bytes:
    """The download built afresh, not cached (the CLI's `export -o`), its own words in
    `language` (the site's default unless asked)."""
    with in_language(download_language(language)):
        return FORMATS[fmt].build(export_document(work))
