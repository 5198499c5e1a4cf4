"""The one place that says which tags a work is filed under.

A work is found under its own tags and under everything they imply (a
synonym's canonical tag, and that canonical's metatags, transitively: see
`tags.selectors.implied_tag_ids`). The catalogue index, the facet counts, the
property tests' reference and the feeds all ask here (search documents read the same
wrangling graph through `tags.selectors.implied_by_tags`).
`filter_tag_pairs` is the bulk form (numpy arrays); `filter_tag_ids` is the same answer
as a dict; `filings` is what the catalogue index reads of a batch of works (both ways,
and the crossovers), from one read of their tags.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from fanarchive.discovery.index.structures import sorted_unique
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import implied_tag_ids
from fanarchive.works.models import WorkTag

EMPTY = np.zeros(0, dtype=np.int64)
# Works asked for by id are read by their id span when it is at most this many times
# their number (`_work_tag_rows`).
DENSE_SPAN = 2
# Ids `_own_tags` can pack into one 64-bit number with the main flag.
TAG_LIMIT = 2**32
PACKED_WORK_LIMIT = 2**30


def filter_tag_pairs(
    *,
    work_ids: Iterable[int] | None = None,
    id_range: tuple[int, int] | None = None,
    implied: Mapping[int, set[int]] | None = None,
    main_only: bool = False,
    memo: dict[int, set[int]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """(work ids, filter tag ids) as parallel arrays, sorted by work then tag, no repeats.

    For the given works, or the works with ids in [low, high). `implied` is
    `implied_tag_ids` of (at least) their tags, when the caller has read it already
    (an index build reads it once for every batch of works). `main_only`: the tags the
    works' main relationships are filed under (`WorkTag.main`), for "main relationship only".
    `memo`: what earlier calls read of the graph, kept by a caller making many calls (a
    catch-up in batches); only the tags it lacks are read, and added to it.
    """
    # For main relationships the tag's type is read, not asked for: with it in the WHERE
    # clause, SQLite walked every relationship tag for each work asked about (20 s for the
    # 5,000 works of a wrangling, where this takes milliseconds).
    columns = ("work_id", "tag_id", "tag__type") if main_only else ("work_id", "tag_id")
    fetched = _work_tag_rows(columns, work_ids, id_range, main_only=main_only)
    if main_only:
        fetched = [(work, tag) for work, tag, kind in fetched if kind == TagType.RELATIONSHIP]
    if not fetched:
        return EMPTY, EMPTY
    pairs = np.asarray(fetched, dtype=np.int64)
    del fetched
    works, tags = pairs[:, 0], pairs[:, 1]
    if implied is None:
        implied = _implied(sorted_unique(tags).tolist(), memo)
    return _filed(works, tags, implied)


def _work_tag_rows(
    columns: tuple[str, ...],
    work_ids: Iterable[int] | None,
    id_range: tuple[int, int] | None,
    *,
    main_only: bool = False,
) -> list[tuple[Any, ...]]:
    """`columns` of the `WorkTag` rows of these works (or of the works with ids in [low,
    high), or of every work), in plain SQL."""
    sql, params, wanted = _work_tag_sql(columns, work_ids, id_range, main_only=main_only)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched: list[tuple[Any, ...]] = cursor.fetchall()
    if wanted is not None:
        fetched = [row for row in fetched if row[0] in wanted]
    return fetched


def _work_tag_sql(
    columns: tuple[str, ...],
    work_ids: Iterable[int] | None,
    id_range: tuple[int, int] | None,
    *,
    main_only: bool = False,
) -> tuple[str, tuple[Any, ...], set[int] | None]:
    """The query for `_work_tag_rows`, and the works to keep of what it reads (None: all)."""
    # In no order: the model's (tags by position) cost a sort of every row read.
    rows = WorkTag.objects.order_by()
    if main_only:
        rows = rows.filter(main=True)
    wanted: set[int] | None = None
    if work_ids is not None:
        ids = sorted(set(work_ids))
        if ids and ids[-1] - ids[0] < DENSE_SPAN * len(ids):
            # Most works of the span are asked for (a wrangling of a big tag): read the
            # span, cheaper than an IN list of thousands of ids, and keep theirs.
            id_range = (ids[0], ids[-1] + 1)
            if len(ids) < id_range[1] - id_range[0]:
                wanted = set(ids)
        else:
            rows = rows.filter(work_id__in=ids)
    if id_range is not None:
        rows = rows.filter(work_id__gte=id_range[0], work_id__lt=id_range[1])
    sql, params = rows.values_list(*columns).query.sql_with_params()
    return sql, params, wanted


def _own_tags(
    work_ids: Iterable[int] | None, id_range: tuple[int, int] | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(work ids, tag ids, main flags) of the `WorkTag` rows of these works (as for
    `_work_tag_rows`), as parallel arrays in no order.

    A build reads millions of rows: one Python tuple a row was a fifth of its time. Each
    row is read as one number (work, tag and main packed), all of them aggregated into one
    string, parsed by numpy: a third of the time. Packing needs work ids below 2**30; an
    archive past that reads rows."""
    ids = None if work_ids is None else list(work_ids)  # sorted by `_work_tag_sql`
    highest = max(ids) if ids else (id_range[1] - 1 if id_range else None)
    if highest is None or highest >= PACKED_WORK_LIMIT:
        table = np.asarray(
            _work_tag_rows(("work_id", "tag_id", "main"), ids, id_range), dtype=np.int64
        ).reshape(-1, 3)
        return table[:, 0], table[:, 1], table[:, 2].astype(bool)
    sql, params, wanted = _work_tag_sql(("work_id", "tag_id", "main"), ids, id_range)
    packed = f"work_id * {2 * TAG_LIMIT} + tag_id * 2 + CAST(main AS integer)"
    aggregate = (
        f"string_agg(CAST({packed} AS text), ',')"
        if connection.vendor == "postgresql"
        else f"group_concat({packed})"
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {aggregate} FROM ({sql}) AS own", params)  # noqa: S608
        text = cursor.fetchone()[0]
    numbers = np.fromstring(text, dtype=np.int64, sep=",") if text else EMPTY
    works = numbers // (2 * TAG_LIMIT)
    if wanted is not None:
        keep = np.isin(works, np.fromiter(wanted, dtype=np.int64, count=len(wanted)))
        numbers, works = numbers[keep], works[keep]
    return works, (numbers // 2) % TAG_LIMIT, (numbers & 1).astype(bool)


def _filed(
    works: np.ndarray, tags: np.ndarray, implied: Mapping[int, set[int]]
) -> tuple[np.ndarray, np.ndarray]:
    """`filter_tag_pairs` of the (work, own tag) rows `works`, `tags`: each tag expanded to
    what it implies (`implied` holds at least these tags)."""
    if not len(works):
        return EMPTY, EMPTY
    own = sorted_unique(tags)
    # In any order: the pairs are sorted below.
    expanded = [implied.get(tag) or (tag,) for tag in own.tolist()]
    counts = np.fromiter((len(e) for e in expanded), dtype=np.int64, count=len(own))
    if not (counts - 1).any():
        # No tag implies another (no synonyms or metatags among them): filed as tagged.
        key = sorted_unique(works << 32 | tags)
    else:
        targets = np.fromiter(
            (t for e in expanded for t in e), dtype=np.int64, count=int(counts.sum())
        )
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        index = np.searchsorted(own, tags)
        repeat = counts[index]
        out_works = np.repeat(works, repeat)
        shifts = np.repeat(starts[index] - np.cumsum(repeat) + repeat, repeat)
        out_tags = targets[shifts + np.arange(int(repeat.sum()))]
        key = sorted_unique(out_works << 32 | out_tags)
    return key >> 32, key & ((1 << 32) - 1)


def filter_tag_ids(work_ids: Iterable[int], *, main_only: bool = False) -> dict[int, set[int]]:
    """For each work id, the ids of the tags it is found under (works without tags: empty);
    `main_only`: under its main relationships only."""
    ids = list(work_ids)
    result: dict[int, set[int]] = {work_id: set() for work_id in ids}
    for start in range(0, len(ids), 5000):
        works, tags = filter_tag_pairs(work_ids=ids[start : start + 5000], main_only=main_only)
        for work_id, tag_id in zip(works.tolist(), tags.tolist(), strict=True):
            result[work_id].add(tag_id)
    return result


def _implied(tag_ids: list[int], memo: dict[int, set[int]] | None) -> Mapping[int, set[int]]:
    """`implied_tag_ids` of these tags, through `memo` when given."""
    if memo is None:
        return implied_tag_ids(tag_ids)
    missing = [tag_id for tag_id in tag_ids if tag_id not in memo]
    if missing:
        memo.update(implied_tag_ids(missing))
    return memo


def _crossovers(works: np.ndarray, tags: np.ndarray, implied: Mapping[int, set[int]]) -> set[int]:
    """The crossovers among the works of these (work, own fandom tag) rows, as parallel
    arrays; `implied` holds (at least) `implied_tag_ids` of their tags.

    As on AO3, a work is a crossover when its own fandom tags have no fandom in
    common: a synonym and its canonical, or two subtags of one metatag ("X
    (Books)" and "X (Movies)" under "X"), are one fandom, not a crossover."""
    # Most works have one fandom: only those with several are looked at, one by one.
    listed, times = np.unique(works, return_counts=True)
    several = np.isin(works, listed[times > 1])
    fandoms: dict[int, list[int]] = {}
    for work_id, tag_id in zip(works[several].tolist(), tags[several].tolist(), strict=True):
        fandoms.setdefault(work_id, []).append(tag_id)
    return {
        work
        for work, own in fandoms.items()
        if not set.intersection(*(implied.get(tag, {tag}) for tag in own))
    }


@dataclass(frozen=True)
class Filings:
    """Where these works are filed: `filter_tag_pairs` of all their tags (`tag_*`) and of
    their main relationships (`main_*`), and which are crossovers."""

    tag_works: np.ndarray
    tag_ids: np.ndarray
    main_works: np.ndarray
    main_ids: np.ndarray
    crossovers: set[int]


def filings(
    *,
    types: dict[int, str],
    work_ids: Iterable[int] | None = None,
    id_range: tuple[int, int] | None = None,
    implied: Mapping[int, set[int]] | None = None,
    memo: dict[int, set[int]] | None = None,
) -> Filings:
    """`Filings` of these works (or of the works with ids in [low, high)), from one read of
    their tags: what `filter_tag_pairs` answers both ways, and the crossovers (an index
    build at millions of works read them three times).
    `types` maps tag ids to types; the types of the tags the works are filed under that
    it lacks are read and added to it. `implied` and `memo` as for `filter_tag_pairs`."""
    works, tags, main = _own_tags(work_ids, id_range)
    if not len(works):
        return Filings(EMPTY, EMPTY, EMPTY, EMPTY, set())
    own = sorted_unique(tags)
    own_ids = own.tolist()
    add_tag_types(types, own_ids)
    if implied is None:
        implied = _implied(own_ids, memo)
    position = np.searchsorted(own, tags)
    mains = main & _of_type(own_ids, types, TagType.RELATIONSHIP)[position]
    fandom = _of_type(own_ids, types, TagType.FANDOM)[position]
    tag_works, tag_ids = _filed(works, tags, implied)
    main_works, main_ids = _filed(works[mains], tags[mains], implied)
    add_tag_types(types, sorted_unique(tag_ids).tolist())  # and what the tags imply
    crossovers = _crossovers(works[fandom], tags[fandom], implied)
    return Filings(tag_works, tag_ids, main_works, main_ids, crossovers)


def _of_type(tag_ids: list[int], types: Mapping[int, str], kind: TagType) -> np.ndarray:
    """Whether each of these tags is of this type, as a boolean array."""
    wanted = kind.value
    return np.fromiter(
        (types.get(tag) == wanted for tag in tag_ids), dtype=bool, count=len(tag_ids)
    )


def tag_types(tag_ids: set[int] | None = None) -> dict[int, str]:
    """Tag id to type, of these tags (or of every tag)."""
    tags = Tag.objects.all() if tag_ids is None else Tag.objects.filter(id__in=tag_ids)
    return dict(tags.values_list("id", "type").iterator(chunk_size=20000))


def add_tag_types(types: dict[int, str], tag_ids: list[int]) -> None:
    """Add to `types` the types of these tags it lacks."""
    missing = [tag_id for tag_id in tag_ids if tag_id not in types]
    for start in range(0, len(missing), 5000):
        types.update(tag_types(set(missing[start : start + 5000])))
