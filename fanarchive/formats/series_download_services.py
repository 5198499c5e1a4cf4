"""Series download files: the whole series as one EPUB, PDF, HTML or text file, cached
under DATA_DIR/downloads/series/<series id>/ like single works' downloads."""

from __future__ import annotations

from pathlib import Path

from fanarchive.accounts.language_selectors import in_language
from fanarchive.formats.download_services import (
    EXPORT_VERSION,
    cached_file,
    download_language,
    downloads_dir,
)
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.exporters.series import SERIES_BUILDERS
from fanarchive.formats.series_documents import SeriesDocument


def series_export(
    *, document: SeriesDocument, fmt: str, viewer_class: str, language: str | None = None
) -> Path:
    """The download file of the series in `fmt`, its own words in `language` (None: the
    active language, the reader's), built now or reused from the cache.

    The name holds EXPORT_VERSION and the document's stamp (the series' fields and each
    part's id and stamp), so a changed, added, removed or reordered part gives a new
    file. `viewer_class` ("guest" or "member": guests do not see restricted parts) keeps
    one current file per class, so guests and members do not evict each other's file;
    older files of the same class are removed, but not the current file of another
    language. Who may download is the caller's business.
    """
    extension = FORMATS[fmt].extension
    language = download_language(language)
    folder = downloads_dir() / "series" / str(document.series_id)
    current = f"{EXPORT_VERSION}-{viewer_class}-{document.stamp()}"

    def build() -> bytes:
        with in_language(language):
            return SERIES_BUILDERS[fmt](document)

    return cached_file(
        folder / f"{current}-{language}.{extension}",
        build,
        stale=f"*-{viewer_class}-*.{extension}",
        keep=f"{current}-*.{extension}",
    )
