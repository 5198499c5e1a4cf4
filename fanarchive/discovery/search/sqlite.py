"""Full text on SQLite: an FTS5 table over `SearchDocument` (see migration 0002)."""

from __future__ import annotations

import json

import numpy as np
from django.db import connection

from fanarchive.discovery.search.parser import Node, Not, Or, Query, Term
from fanarchive.discovery.search.passages import START, STOP, mark

TABLE = "discovery_search_fts"
COLUMNS = {"title": "title", "creator": "creators"}
# bm25 weights of title, creators, tags, summary, notes, body.
WEIGHTS = "10.0, 5.0, 4.0, 3.0, 2.0, 1.0"


def compile_match(node: Node) -> str:
    if isinstance(node, Term):
        phrase = '"' + " ".join(node.words) + '"'
        return f"{COLUMNS[node.field]} : {phrase}" if node.field else phrase
    if isinstance(node, Or):
        return "(" + " OR ".join(compile_match(item) for item in node.items) + ")"
    if isinstance(node, Not):
        return compile_match(node.item)
    positives = [compile_match(item) for item in node.items if not isinstance(item, Not)]
    negatives = [compile_match(item) for item in node.items if isinstance(item, Not)]
    text = "(" + " AND ".join(positives) + ")"
    for negative in negatives:
        text += f" NOT ({negative})"
    return text


def id_array(text: str | None) -> np.ndarray:
    """Ids from a comma-separated string (`group_concat`, `string_agg`), sorted."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    return np.sort(np.fromstring(text, dtype=np.int64, sep=","))


class SqliteSearch:
    def hits(self, query: Query, *, ranked: bool) -> dict[int, float]:
        match = compile_match(query.root)
        with connection.cursor() as cursor:
            if ranked:
                cursor.execute(
                    f"SELECT rowid, bm25({TABLE}, {WEIGHTS}) FROM {TABLE} "  # noqa: S608
                    f"WHERE {TABLE} MATCH %s",
                    [match],
                )
                return {row[0]: -row[1] for row in cursor.fetchall()}
            cursor.execute(f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH %s", [match])  # noqa: S608
            return dict.fromkeys((row[0] for row in cursor.fetchall()), 0.0)

    def candidates(self, query: Query) -> tuple[np.ndarray, bool]:
        """Every match, exact (FTS5 checks phrases and columns itself). The ids come back
        as one comma-separated string: a row per hit costs three times as much."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT group_concat(rowid) FROM {TABLE} WHERE {TABLE} MATCH %s",  # noqa: S608
                [compile_match(query.root)],
            )
            text = cursor.fetchone()[0]
        return id_array(text), True

    def confirm(self, query: Query, work_ids: np.ndarray) -> np.ndarray:
        return work_ids  # candidates are exact

    def ranked_page(self, query: Query, work_ids: np.ndarray, offset: int, limit: int) -> list[int]:
        """bm25 for `work_ids` only (score = -bm25, as `hits`), sorted and cut to the page
        by SQLite. bm25 costs ~1 µs a hit, so with a selective filter only the filtered
        hits are scored. The `+` keeps SQLite from handing the IN to FTS5 as a rowid
        constraint (which would run the text query once per id): it filters each hit
        against a lookup table built once from the list, before bm25 is computed. bm25
        uses archive-wide statistics only, so the scores are those `hits` gives."""
        if not len(work_ids):
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {TABLE} "  # noqa: S608
                f"WHERE {TABLE} MATCH %s AND +rowid IN (SELECT value FROM json_each(%s)) "
                f"ORDER BY bm25({TABLE}, {WEIGHTS}), rowid LIMIT %s OFFSET %s",
                [compile_match(query.root), json.dumps(work_ids.tolist()), limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def snippets(self, query: Query, work_ids: list[int]) -> dict[int, str]:
        if not work_ids:
            return {}
        placeholders = ", ".join(["%s"] * len(work_ids))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid, snippet({TABLE}, -1, %s, %s, '…', 24) FROM {TABLE} "  # noqa: S608
                f"WHERE {TABLE} MATCH %s AND rowid IN ({placeholders})",
                [START, STOP, compile_match(query.root), *work_ids],
            )
            return {row[0]: mark(row[1]) for row in cursor.fetchall()}
