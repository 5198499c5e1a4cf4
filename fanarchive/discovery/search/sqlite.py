"""Full text on SQLite: an FTS5 table over `SearchDocument` (see migration 0002)."""

from __future__ import annotations

from django.db import connection
from django.utils.html import escape

from fanarchive.discovery.search.parser import Node, Not, Or, Query, Term

TABLE = "discovery_search_fts"
COLUMNS = {"title": "title", "creator": "creators"}
# bm25 weights of title, creators, tags, summary, notes, body.
WEIGHTS = "10.0, 5.0, 4.0, 3.0, 2.0, 1.0"
START, STOP = "\x02", "\x03"


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


def mark(text: str) -> str:
    return escape(text).replace(START, "<mark>").replace(STOP, "</mark>")


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
