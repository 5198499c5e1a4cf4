"""Full-text search of works, one interface over SQLite FTS5 and PostgreSQL tsvector.

`parse` turns what a reader typed into a small query tree (phrases, AND/OR/NOT,
title: and creator: fields); `backend()` compiles it for the database in use.
A listing asks for `candidates` (every matching work id, no ranking: cheap), lets
the catalogue index intersect them with the reader's filter and visibility, so
search obeys every rule a listing does, then has the backend `confirm` the
survivors when the candidates were a superset, and ranks only them for "best
match" (`ranked_page`, in the database: a page, not every score). `hits` does it
all at once over the whole archive: the reference the tests compare the fast path
against.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
from django.db import connection

from fanarchive.discovery.search.parser import Query, QuerySyntaxError, parse

__all__ = ["Query", "QuerySyntaxError", "SearchBackend", "backend", "parse"]


class SearchBackend(Protocol):
    def hits(self, query: Query, *, ranked: bool) -> dict[int, float]:
        """Matching work ids with a score (higher is better; 0 when not `ranked`)."""
        ...

    def candidates(self, query: Query) -> tuple[np.ndarray, bool]:
        """Work ids (int64, ascending) that may match, and whether they all do (exact)."""
        ...

    def confirm(self, query: Query, work_ids: np.ndarray) -> np.ndarray:
        """Those of `work_ids` (candidates) that really match."""
        ...

    def ranked_page(self, query: Query, work_ids: np.ndarray, offset: int, limit: int) -> list[int]:
        """`limit` of `work_ids` (all matching) from `offset`, best first by the scores
        `hits` gives, ties by id: the page of a "best match" listing, ranked in the
        database without bringing every score back."""
        ...

    def snippets(self, query: Query, work_ids: list[int]) -> dict[int, str]:
        """For these works, a short passage with the matches marked: safe HTML."""
        ...


def backend() -> SearchBackend:
    if connection.vendor == "postgresql":
        from fanarchive.discovery.search.postgres import PostgresSearch

        return PostgresSearch()
    from fanarchive.discovery.search.sqlite import SqliteSearch

    return SqliteSearch()
