"""What the catalogue index reads from the database, in columns.

Both the full build (by ranges of work ids) and catching up (a handful of
changed works) read through `load_columns`, so a work looks the same to the
index however it got there. Filter tags come from `discovery.tagging` and
engagement counts from `works.stats`: the two seams for later issues.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import QuerySet

from fanarchive.accounts.models import Pseud
from fanarchive.discovery.groups import group_pairs
from fanarchive.discovery.index.columns import (
    FLAG_NAMES,
    NUMBER_FIELDS,
    STAT_NAMES,
    TEXT_FIELDS,
    Columns,
)
from fanarchive.discovery.index.parallel import read_batches
from fanarchive.discovery.tagging import Filings, filings, tag_types
from fanarchive.tags.selectors import implied_tag_ids
from fanarchive.works.models import Creatorship, Work
from fanarchive.works.selectors import newest_change_id
from fanarchive.works.stats import work_stats


def timestamp(moment: datetime | None) -> int:
    return int(moment.timestamp()) if moment else 0


def title_key(title: str) -> str:
    return title.casefold().strip()


def _epoch(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"COALESCE(FLOOR(EXTRACT(EPOCH FROM {column}))::bigint, 0)"
    return f"COALESCE(CAST(strftime('%%s', {column}) AS INTEGER), 0)"


def _raw(queryset: QuerySet[Any, Any]) -> list[tuple[Any, ...]]:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        return rows


def load_columns(
    *,
    types: dict[int, str],
    work_ids: list[int] | None = None,
    id_range: tuple[int, int] | None = None,
    implied: Mapping[int, set[int]] | None = None,
) -> Columns:
    """The index's view of these works (by ids, or by an id range [low, high)).

    Works that no longer exist are simply absent from the result. `types` is the
    caller's map of tag id to tag type; tags missing from it are looked up and added.
    `implied`: the wrangling graph (`implied_tag_ids`), when the caller read it once
    for many calls (a build); else each call reads what its tags need.
    """
    if work_ids is not None:
        where, params = "id IN (" + ", ".join(["%s"] * len(work_ids)) + ")", list(work_ids)
        creatorships = Creatorship.objects.filter(work_id__in=work_ids)
    else:
        low, high = id_range or (0, 2**62)
        where, params = "id >= %s AND id < %s", [low, high]
        creatorships = Creatorship.objects.filter(work_id__gte=low, work_id__lt=high)
    columns = Columns()
    if work_ids is not None and not work_ids:
        rows: list[tuple[Any, ...]] = []
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                # An unrevealed work (a collection's, before its reveal) is hidden as a
                # hidden one is, so no listing or count tells it exists; a work anonymous
                # by its collection is anonymous.
                "SELECT id, posted, restricted, (hidden_by_admin OR unrevealed), complete, "  # noqa: S608
                f"posted_chapters, COALESCE(expected_chapters, 0), language, word_count, "
                f"{_epoch('revised_at')}, {_epoch('first_posted_at')}, title, "
                f"(anonymous OR anonymous_by_collection) FROM {Work._meta.db_table} "
                f"WHERE {where} ORDER BY id",
                params,
            )
            rows = cursor.fetchall()
    columns.flags = {name: np.zeros(0, dtype=bool) for name in FLAG_NAMES}
    columns.numbers = {name: np.zeros(0, dtype=np.int64) for name in NUMBER_FIELDS}
    columns.texts = {name: [] for name in TEXT_FIELDS}
    if not rows:
        return columns
    (ids, posted, restricted, hidden, complete, chapters, expected, languages, words,
     updated, first_posted, titles, anonymous) = zip(*rows, strict=True)  # fmt: skip
    columns.ids = np.asarray(ids, dtype=np.int64)
    n = len(ids)
    chapters_array = np.asarray(chapters, dtype=np.int64)
    columns.flags = {
        "all": np.ones(n, dtype=bool),
        "posted": np.asarray(posted, dtype=bool),
        "restricted": np.asarray(restricted, dtype=bool),
        "hidden": np.asarray(hidden, dtype=bool),
        "complete": np.asarray(complete, dtype=bool),
        "single_chapter": (chapters_array == 1) & (np.asarray(expected, dtype=np.int64) == 1),
        "crossover": np.zeros(n, dtype=bool),  # set below (`_take`) from the fandom tags
        # Anonymous by its creator or its collection: for readers who hide such works.
        "anonymous": np.asarray(anonymous, dtype=bool),
    }
    columns.languages = list(languages)
    columns.numbers = {
        # The index keeps times as unsigned 32-bit seconds: none before 1970.
        "updated": np.maximum(np.asarray(updated, dtype=np.int64), 0),
        "posted": np.maximum(np.asarray(first_posted, dtype=np.int64), 0),
        "words": np.asarray(words, dtype=np.int64),
    }
    stats = work_stats(ids)
    for name in STAT_NAMES:
        columns.numbers[name] = np.fromiter(
            (getattr(stats[i], name) for i in ids), dtype=np.int64, count=n
        )
    columns.texts["title"] = [title_key(title) for title in titles]
    first_pseud: dict[int, int] = {}
    creators: dict[int, list[int]] = {}
    for work_id, pseud_id, user_id in _raw(
        creatorships.order_by("work_id", "position", "id").values_list(
            "work_id", "pseud_id", "pseud__user_id"
        )
    ):
        creators.setdefault(work_id, []).append(user_id)
        first_pseud.setdefault(work_id, pseud_id)
    pseud_names = dict(
        _raw(Pseud.objects.filter(id__in=set(first_pseud.values())).values_list("id", "name"))
    )
    # One string per creator, not per work: a million works share ~20,000 names.
    folded = {pseud_id: name.casefold() for pseud_id, name in pseud_names.items()}
    # An anonymous work is filed under no creator and sorts as "anonymous"
    # (`works.selectors.byline_for`): neither muting nor sorting may tell who wrote it.
    hidden_names = {i for i, anon in zip(ids, anonymous, strict=True) if anon}
    columns.texts["creator"] = [
        "anonymous" if i in hidden_names else folded.get(first_pseud.get(i, 0), "") for i in ids
    ]
    columns.creators = [[] if i in hidden_names else sorted(set(creators.get(i, ()))) for i in ids]
    # The works found, or the range asked about (a build's batch).
    scope: dict[str, Any] = (
        {"work_ids": list(ids)} if work_ids is not None else {"id_range": id_range}
    )
    _take(columns, filings(types=types, implied=implied, **scope))
    columns.group_works, columns.group_ids = group_pairs(**scope)
    return columns


def load_filed_tags(
    *, types: dict[int, str], work_ids: list[int], memo: dict[int, set[int]] | None = None
) -> Columns:
    """Only what a wrangling changes of these works: the tags they are filed under (and
    their main relationships'), and which are crossovers (`flags["crossover"]`); `ids` are
    the works asked about, in order. `types` as for `load_columns`; `memo` as for
    `tagging.filings` (a catch-up in batches reads each tag's wrangling once)."""
    columns = Columns(ids=np.asarray(sorted(work_ids), dtype=np.int64))
    _take(columns, filings(types=types, work_ids=work_ids, memo=memo))
    return columns


def _take(columns: Columns, filed: Filings) -> None:
    """Where `columns`' works are filed, into `columns`."""
    columns.tag_works, columns.tag_ids = filed.tag_works, filed.tag_ids
    columns.main_works, columns.main_ids = filed.main_works, filed.main_ids
    crossovers = np.fromiter(filed.crossovers, dtype=np.int64, count=len(filed.crossovers))
    columns.flags["crossover"] = np.isin(columns.ids, crossovers)


class DatabaseSource:
    """The catalogue's source (`backend.Source`): this archive's database."""

    def newest_change_id(self) -> int:
        return newest_change_id()

    def highest_work_id(self) -> int:
        return Work.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def tag_types(self) -> dict[int, str]:
        return tag_types()

    def implied(self, types: Mapping[int, str]) -> Mapping[int, set[int]]:
        return implied_tag_ids(types)

    def columns(
        self,
        *,
        types: dict[int, str],
        work_ids: list[int] | None = None,
        id_range: tuple[int, int] | None = None,
        implied: Mapping[int, set[int]] | None = None,
    ) -> Columns:
        return load_columns(types=types, work_ids=work_ids, id_range=id_range, implied=implied)

    def batches(
        self,
        ranges: list[tuple[int, int]],
        *,
        types: dict[int, str],
        implied: Mapping[int, set[int]],
    ) -> Iterator[Columns]:
        def read(id_range: tuple[int, int]) -> Columns:
            return load_columns(types=types, id_range=id_range, implied=implied)

        return read_batches(ranges, read, types=types)

    def filed_tags(
        self, *, types: dict[int, str], work_ids: list[int], memo: dict[int, set[int]]
    ) -> Columns:
        return load_filed_tags(types=types, work_ids=work_ids, memo=memo)

    def counts(self, work_ids: list[int]) -> Mapping[int, Mapping[str, int]]:
        return {
            work_id: {name: getattr(stats, name) for name in STAT_NAMES}
            for work_id, stats in work_stats(work_ids).items()
        }
