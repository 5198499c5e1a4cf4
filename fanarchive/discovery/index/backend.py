"""The catalogue's seam: what a listing backend does, and what it reads from.

A backend builds an index from a `Source`, keeps it fresh from the change log's work
ids, and answers listings: filter (`matching`, which yields an opaque result the same
backend pages and counts), count facets, sort and page. `live` holds one per process
and feeds it; the setting `CATALOGUE_BACKEND` (environment `FANARCHIVE_CATALOGUE_BACKEND`)
chooses it by name from `backends.BACKENDS`. The default, "roaring", keeps compressed
bitmaps in memory (`catalogue.Catalogue`, saved by `store`). docs/scaling.md shows how an
external engine (OpenSearch) would sit behind the same methods, fed from the same log.

Nothing here imports Django: a backend sees the archive only through its `Source`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sized
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from fanarchive.discovery.index.columns import Columns


@dataclass
class Viewer:
    """Who is looking: guests never see restricted works; mutes and listing preferences
    are per account (`discovery.selectors.viewer_for`)."""

    authenticated: bool = False
    # Muted everywhere.
    muted_tags: tuple[int, ...] = ()
    muted_creators: tuple[int, ...] = ()
    # Muted only within fandoms: (tag or creator id, canonical fandom tag ids). A work is
    # hidden when it has the tag (creator) and is filed under any of the fandoms.
    scoped_tags: tuple[tuple[int, tuple[int, ...]], ...] = ()
    scoped_creators: tuple[tuple[int, tuple[int, ...]], ...] = ()
    hide_anonymous: bool = False
    hide_crossovers: bool = False


@dataclass
class Filter:
    """A listing's filter, in ids and numbers (the form turns a query string into this)."""

    include: tuple[int, ...] = ()
    exclude: tuple[int, ...] = ()
    ratings: tuple[int, ...] = ()  # any of these
    complete: bool | None = None
    crossover: str = ""  # "", "exclude" or "only"
    single_chapter: bool = False
    language: str = ""
    # (low, high) inclusive, either may be None: words, kudos, hits, comments,
    # bookmarks, updated and posted (unix seconds).
    ranges: dict[str, tuple[int | None, int | None]] = field(default_factory=dict)
    sort: str = "updated"
    descending: bool = True
    # Full-text hits (None: no text query); the search backend ranks them for "best
    # match" (`discovery.selectors.works_find`).
    text_ids: np.ndarray | None = None
    # Listed in any of these groups (a collection and its sub-collections; `discovery.groups`).
    groups: tuple[int, ...] = ()
    # "Main relationship only": each included relationship must be one of a work's main
    # relationships (or filed under one, as the include finds it), not just one of its tags.
    main_only: bool = False


@dataclass
class Found:
    ids: list[int]
    total: int
    facets: dict[str, list[tuple[int, int]]]


class Source(Protocol):
    """Where a backend reads works from (the database: `source.DatabaseSource`)."""

    def newest_change_id(self) -> int: ...

    def highest_work_id(self) -> int: ...

    def tag_types(self) -> dict[int, str]: ...

    def implied(self, types: Mapping[int, str]) -> Mapping[int, set[int]]: ...

    def columns(
        self,
        *,
        types: dict[int, str],
        work_ids: list[int] | None = None,
        id_range: tuple[int, int] | None = None,
        implied: Mapping[int, set[int]] | None = None,
    ) -> Columns: ...

    def batches(
        self,
        ranges: list[tuple[int, int]],
        *,
        types: dict[int, str],
        implied: Mapping[int, set[int]],
    ) -> Iterator[Columns]:
        """`columns` of each id range, in order: a full build (a source may read several
        ranges at once)."""
        ...

    def filed_tags(
        self, *, types: dict[int, str], work_ids: list[int], memo: dict[int, set[int]]
    ) -> Columns: ...

    def counts(self, work_ids: list[int]) -> Mapping[int, Mapping[str, int]]: ...


class CatalogueBackend(Protocol):
    """One process's listing index. `applied` is the last change-log id it covers."""

    applied: int
    built_at: float
    build_seconds: float

    # -- keeping fresh (ids from the change log; `live` decides which kind)
    def apply(self, work_ids: Iterable[int]) -> None: ...

    def apply_tags(self, work_ids: Iterable[int]) -> None: ...

    def apply_counts(self, work_ids: Iterable[int]) -> None: ...

    # -- asking
    def visible(self, viewer: Viewer) -> Any:
        """The works this viewer may list, less their mutes (a result, as `matching`)."""
        ...

    def matching(self, spec: Filter, viewer: Viewer) -> Sized:
        """The works passing `spec` for `viewer`: a result only this backend reads."""
        ...

    def ids(self, works: Any) -> np.ndarray:
        """A result's work ids, ascending."""
        ...

    def narrowed(self, works: Any, ids: np.ndarray) -> Any:
        """A result cut down to `ids` (full text's confirmed hits)."""
        ...

    def page(self, works: Any, spec: Filter, offset: int, limit: int) -> list[int]: ...

    def facets(self, works: Any) -> dict[str, list[tuple[int, int]]]: ...

    def find(
        self, spec: Filter, viewer: Viewer, *, offset: int = 0, limit: int = 20, facets: bool = True
    ) -> Found: ...

    def stats(self) -> dict[str, Any]: ...


class BackendKind(Protocol):
    """How a backend is made, saved and loaded (`backends.BACKENDS`)."""

    name: str

    def build(
        self, source: Source, *, progress: Callable[[int], None] | None = None
    ) -> CatalogueBackend: ...

    def write(
        self, catalogue: CatalogueBackend, stamp: tuple[int, str] | None, path: Path
    ) -> Path: ...

    def read(
        self, path: Path, source: Source
    ) -> tuple[CatalogueBackend, tuple[int, str] | None] | None: ...

    def describe(self, path: Path) -> dict[str, Any] | None: ...
