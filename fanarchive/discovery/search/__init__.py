"""Full-text search of works, one interface over SQLite FTS5 and PostgreSQL tsvector.

`parse` turns what a reader typed into a small query tree (phrases, AND/OR/NOT,
title: and creator: fields); `backend()` compiles it for the database in use.
Hits come back as {work id: score}; the catalogue index intersects them with the
reader's filter and visibility, so search obeys every rule a listing does.
"""

from __future__ import annotations

from typing import Protocol

from django.db import connection

from fanarchive.discovery.search.parser import Query, QuerySyntaxError, parse

__all__ = ["Query", "QuerySyntaxError", "SearchBackend", "backend", "parse"]


class SearchBackend(Protocol):
    def hits(self, query: Query, *, ranked: bool) -> dict[int, float]:
        """Matching work ids with a score (higher is better; 0 when not `ranked`)."""
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
