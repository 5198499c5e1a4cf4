"""Full text on PostgreSQL: a weighted, generated `tsvector` with a GIN index (migration 0002).

Weights: A title, B creators, C tags, summary and notes, D chapter text.
"""

from __future__ import annotations

import numpy as np
from django.db import connection, transaction

from fanarchive.discovery.search.parser import And, Node, Not, Or, Query, Term
from fanarchive.discovery.search.passages import passages_of, words_pattern
from fanarchive.discovery.search.sqlite import id_array

WEIGHT = {"title": "A", "creator": "B"}


def compile_tsquery(node: Node) -> str:
    if isinstance(node, Term):
        suffix = f":{WEIGHT[node.field]}" if node.field else ""
        lexemes = [f"'{word}'{suffix}" for word in node.words]
        return "(" + " <-> ".join(lexemes) + ")"
    if isinstance(node, Or):
        return "(" + " | ".join(compile_tsquery(item) for item in node.items) + ")"
    if isinstance(node, Not):
        return "!" + compile_tsquery(node.item)
    return "(" + " & ".join(compile_tsquery(item) for item in node.items) + ")"


def relaxed(node: Node) -> Node:
    """A query matching every work `node` matches (and maybe more) that the GIN index
    answers without reading any work's vector: phrases become all their words, fields
    are dropped (a word in the title is a word of the work). Word positions and
    weights are what makes PostgreSQL re-read ("recheck") each candidate's whole
    vector, ~20 KB for a 3,000-word work. Under NOT nothing may be loosened (that
    would match fewer works), so negated parts stay exact."""
    if isinstance(node, Term):
        if len(node.words) == 1:
            return Term(node.words)
        return And(tuple(Term((word,)) for word in node.words))
    if isinstance(node, Not):
        return node
    if isinstance(node, Or):
        return Or(tuple(relaxed(item) for item in node.items))
    return And(tuple(relaxed(item) for item in node.items))


_PHRASE_PAIRS = (
    "(SELECT string_agg(quote_literal(pair), ' & ') FROM unnest(tsvector_to_array("
    "fanarchive_word_pairs(to_tsvector('simple', %s)))) AS pair)::tsquery"
)


def candidate_sql(node: Node) -> tuple[str, list[str]]:
    """SQL matching every work `node` matches (and maybe more) straight from the GIN
    indexes: what `relaxed` loosens, except that a phrase becomes its pairs of adjacent
    words, looked up in `pair_vector` (migration 0006), instead of all its words."""
    if isinstance(node, Term):
        if len(node.words) == 1:
            return "vector @@ to_tsquery('simple', %s)", [compile_tsquery(Term(node.words))]
        # The pairs of the phrase as PostgreSQL reads it (its own word splitting and case),
        # all of them required.
        return f"pair_vector @@ {_PHRASE_PAIRS}", [" ".join(node.words)]
    if isinstance(node, Not):  # exact, as in `relaxed`
        return "NOT (vector @@ to_tsquery('simple', %s))", [compile_tsquery(node.item)]
    parts = [candidate_sql(item) for item in node.items]
    joiner = " OR " if isinstance(node, Or) else " AND "
    return (
        "(" + joiner.join(sql for sql, _ in parts) + ")",
        [param for _, params in parts for param in params],
    )


class PostgresSearch:
    def hits(self, query: Query, *, ranked: bool) -> dict[int, float]:
        """Matches from the GIN index; scores from the small head vector (title, creators,
        tags, summary, notes) plus a constant for a match in the text, so ranking never
        reads whole chapters. The planner underrates reading big (TOASTed) vectors and
        may choose a sequential scan, so it is told not to."""
        text = compile_tsquery(query.root)
        score = "ts_rank_cd(head_vector, q) + 0.001" if ranked else "0"
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                f"SELECT work_id, {score} FROM discovery_searchdocument, "  # noqa: S608
                "to_tsquery('simple', %s) q WHERE vector @@ q",
                [text],
            )
            return {row[0]: float(row[1]) for row in cursor.fetchall()}

    def candidates(self, query: Query) -> tuple[np.ndarray, bool]:
        """Matches of the loosened query (`candidate_sql`), straight from the GIN indexes:
        exact when nothing was loosened, else a superset for `confirm` to check after
        the filter."""
        where, params = candidate_sql(query.root)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                "SELECT string_agg(work_id::text, ',') FROM discovery_searchdocument "  # noqa: S608
                f"WHERE {where}",
                params,
            )
            text = cursor.fetchone()[0]
        return id_array(text), relaxed(query.root) == query.root

    def confirm(self, query: Query, work_ids: np.ndarray) -> np.ndarray:
        """The exact query on these candidates only, found by primary key: `ts_match_vq`
        is `@@` in a form the planner does not hand to the GIN index."""
        if not len(work_ids):
            return work_ids
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT string_agg(work_id::text, ',') FROM discovery_searchdocument "
                "WHERE work_id = ANY(%s) AND ts_match_vq(vector, to_tsquery('simple', %s))",
                [work_ids.tolist(), compile_tsquery(query.root)],
            )
            return id_array(cursor.fetchone()[0])

    def ranked_page(self, query: Query, work_ids: np.ndarray, offset: int, limit: int) -> list[int]:
        """Ranked as `hits` ranks, sorted and cut to the page by PostgreSQL (the ids go as
        one string: a list of 15,000 parameters costs more to send than to rank)."""
        if not len(work_ids):
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT work_id FROM discovery_searchdocument, to_tsquery('simple', %s) q "
                "WHERE work_id = ANY(string_to_array(%s, ',')::bigint[]) "
                "ORDER BY ts_rank_cd(head_vector, q) + 0.001 DESC, work_id LIMIT %s OFFSET %s",
                [compile_tsquery(query.root), ",".join(map(str, work_ids.tolist())), limit, offset],
            )
            return [row[0] for row in cursor.fetchall()]

    def snippets(self, query: Query, work_ids: list[int]) -> dict[int, str]:
        """A passage around the first match, words marked. Done in Python: `ts_headline`
        re-parses the whole text of each work and costs ~2 ms per 20 KB."""
        pattern = words_pattern(query)
        if not work_ids or pattern is None:
            return {}
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT work_id, left(body, 300000), notes, summary, title "
                "FROM discovery_searchdocument WHERE work_id = ANY(%s)",
                [work_ids],
            )
            return passages_of(cursor.fetchall(), pattern)
