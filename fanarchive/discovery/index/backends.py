"""The catalogue backends this archive can run, by the name the setting uses
(`CATALOGUE_BACKEND`, environment `FANARCHIVE_CATALOGUE_BACKEND`; see `backend`)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from fanarchive.discovery.index import store
from fanarchive.discovery.index.backend import BackendKind, CatalogueBackend, Source
from fanarchive.discovery.index.catalogue import Catalogue


class Roaring:
    """Compressed bitmaps and sort orders in memory, saved to one memory-mapped file that
    every process of a host shares (`catalogue`, `store`)."""

    name = "roaring"

    def build(
        self, source: Source, *, progress: Callable[[int], None] | None = None
    ) -> CatalogueBackend:
        return Catalogue.build(source, progress=progress)

    def write(self, catalogue: CatalogueBackend, stamp: tuple[int, str] | None, path: Path) -> Path:
        if not isinstance(catalogue, Catalogue):
            raise TypeError("The roaring backend saves only its own indexes.")
        return store.save(catalogue, stamp, path)

    def read(
        self, path: Path, source: Source
    ) -> tuple[CatalogueBackend, tuple[int, str] | None] | None:
        return store.load(path, source)

    def describe(self, path: Path) -> dict[str, Any] | None:
        meta = store.meta_of(path)
        return meta if meta is not None and meta.get("format") == store.FORMAT else None


BACKENDS: dict[str, BackendKind] = {"roaring": Roaring()}


def chosen(name: str) -> BackendKind:
    """The backend called `name`, or a clear error naming the ones there are."""
    try:
        return BACKENDS[name]
    except KeyError:
        known = ", ".join(sorted(BACKENDS))
        raise ImproperlyConfigured(
            f"FANARCHIVE_CATALOGUE_BACKEND is {name!r}; the catalogue backends are: {known}."
        ) from None
