"""Importing this module registers every importer (each registers itself on import)."""

from fanarchive.formats.importers import ao3, epub, fanficfare, html, markdown, plaintext
from fanarchive.formats.importers.base import REGISTRY, Source, detect, parse_source

__all__ = [
    "REGISTRY",
    "Source",
    "ao3",
    "detect",
    "epub",
    "fanficfare",
    "html",
    "markdown",
    "parse_source",
    "plaintext",
]
