"""The catalogue index: every listing's filter, facet counts and sort, in memory.

The database is the truth; this is a copy shaped for speed, rebuilt from the
database by `build` and kept fresh by `apply` (see `index.live` for catching up
with the change log). A work is a 32-bit id; each filter tag, visibility class,
flag, language and creator is a roaring bitmap of work ids; numbers used for
sorts and ranges are numpy arrays indexed by work id.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
from pyroaring import BitMap

from fanarchive.discovery.index.backend import Filter, Found, Source, Viewer
from fanarchive.discovery.index.columns import (
    FIXED_TYPES,
    FLAG_NAMES,
    FREE_TYPES,
    NUMBER_FIELDS,
    RELATIONSHIP,
    STAT_NAMES,
    TEXT_FIELDS,
    Columns,
)
from fanarchive.discovery.index.facets import (
    MAIN_RELATIONSHIP,
    TYPE_CODES,
    facets_of,
    main_relationship_facet,
)
from fanarchive.discovery.index.quality import ASCENDING_SUFFIX, QUALITY_SORTS, quality_keys
from fanarchive.discovery.index.structures import (
    Bitmaps,
    Ragged,
    SortOrder,
    Texts,
    bitmap_of,
    group_bitmaps,
    ids_of,
    sorted_unique,
)

__all__ = ["Catalogue", "Filter", "Found", "Viewer"]

FIXED_VALUES = frozenset(FIXED_TYPES)
SORTS = (
    "updated",
    "posted",
    "title",
    "creator",
    "words",
    "kudos",
    "hits",
    "comments",
    "bookmarks",
    *QUALITY_SORTS,  # kudos per hit, bookmarks per kudos (`index.quality`)
)
# Every number fits 32 bits (half the memory of 64): counts and word totals signed, times
# (unix seconds, never before 1970) unsigned, which lasts until 2106.
TIMES = frozenset({"updated", "posted"})


def number_dtype(name: str) -> type[np.integer[Any]]:
    return np.uint32 if name in TIMES else np.int32


QUALITY_ORDERS = frozenset(
    name + suffix for name in QUALITY_SORTS for suffix in ("", ASCENDING_SUFFIX)
)


# Tags whose bitmaps a loaded index thaws at once, biggest first: big results' facets
# intersect them in that order, and the first query to touch each would otherwise pay
# for its thawing (bench/discovery.py's p99). The rest thaw on use (`Bitmaps`).
KEPT_TAGS = 32768

# Works reloaded per batch when catching up (`Catalogue.apply`): a query's parameters are
# bounded (SQLite 32,766, PostgreSQL 65,535), and a wrangling may change 100,000 works.
APPLY_BATCH = 5000


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), APPLY_BATCH):
        yield ids[start : start + APPLY_BATCH]


class Catalogue:
    """The default backend (`backend.CatalogueBackend`, "roaring"): bitmaps in memory."""

    def __init__(self, source: Source | None = None) -> None:
        self.source = source  # where `apply` and its kin read works again
        self.applied = 0  # the last change-log id this index covers
        self.built_at = 0.0
        self.tags = Bitmaps()
        self.tag_type: dict[int, str] = {}
        self.type_code = np.zeros(1, dtype=np.int8)
        self.fixed: dict[str, list[int]] = {}
        self.flags: dict[str, BitMap] = {name: BitMap() for name in FLAG_NAMES}
        self.languages: dict[str, BitMap] = {}
        self.creators = Bitmaps()
        self.numbers: dict[str, np.ndarray] = {
            name: np.zeros(1, dtype=number_dtype(name)) for name in NUMBER_FIELDS
        }
        self.texts: dict[str, Texts] = {name: Texts.of([""]) for name in TEXT_FIELDS}
        self.work_tags = Ragged()
        # Per tag, the works whose main relationships are filed under it (`WorkTag.main`).
        self.main_tags = Bitmaps()
        self.work_main = Ragged()
        # As `by_size`, `size_then` and `grown`, for the main relationships' facet.
        self.main_by_size: list[int] = []
        self.main_size_then: dict[int, int] = {}
        self.main_grown: set[int] = set()
        self.work_creators = Ragged()
        self.groups = Bitmaps()  # group (collection) id: its works
        self.work_groups = Ragged()
        self.orders: dict[str, SortOrder] = {}
        # Facets of big results: tags by size at the last sort, plus the ones grown since.
        self.by_size: dict[str, list[int]] = {}
        self.size_then: dict[int, int] = {}
        self.sizes_by_type: dict[str, np.ndarray] = {}  # `by_size`'s sizes, descending
        self.grown: set[int] = set()
        self._make_orders()

    # -- building ------------------------------------------------------------

    @classmethod
    def build(
        cls,
        source: Source,
        *,
        progress: Callable[[int], None] | None = None,
        batch: int = 50_000,
    ) -> Catalogue:
        """A fresh index of every work `source` holds."""
        started = time.monotonic()
        catalogue = cls(source)
        # Read the log's position first: changes made during the build are applied again
        # when catching up, which is harmless because applying is idempotent.
        catalogue.applied = source.newest_change_id()
        catalogue.tag_type = source.tag_types()
        # The wrangling graph, read once for every batch (each batch's own tags are a
        # tenth of all tags and would cost as much to look up).
        implied = source.implied(catalogue.tag_type)
        high = source.highest_work_id() + 1
        catalogue._grow(high)
        tag_rows: list[np.ndarray] = []
        tag_values: list[np.ndarray] = []
        main_rows: list[np.ndarray] = []
        main_values: list[np.ndarray] = []
        creator_rows: list[np.ndarray] = []
        creator_values: list[np.ndarray] = []
        group_rows: list[np.ndarray] = []
        group_values: list[np.ndarray] = []
        flag_ids: dict[str, list[np.ndarray]] = {name: [] for name in FLAG_NAMES}
        texts: dict[str, list[str]] = {name: [""] * high for name in TEXT_FIELDS}
        language_ids: dict[str, list[np.ndarray]] = {}
        ranges = [(low, low + batch) for low in range(0, high, batch)]
        for columns in source.batches(ranges, types=catalogue.tag_type, implied=implied):
            if not len(columns.ids):
                continue
            ids = columns.ids
            for name in NUMBER_FIELDS:
                catalogue.numbers[name][ids] = columns.numbers[name]
            for name in TEXT_FIELDS:
                plain = texts[name]
                for work_id, text in zip(ids.tolist(), columns.texts[name], strict=True):
                    plain[work_id] = text
            for name in FLAG_NAMES:
                flag_ids[name].append(ids[columns.flags[name]])
            languages = np.asarray(columns.languages)
            for language in set(columns.languages):
                language_ids.setdefault(language, []).append(ids[languages == language])
            # Ids fit 32 bits (the bitmaps hold uint32): half the memory of int64.
            tag_rows.append(columns.tag_works.astype(np.int32))
            tag_values.append(columns.tag_ids.astype(np.int32))
            main_rows.append(columns.main_works.astype(np.int32))
            main_values.append(columns.main_ids.astype(np.int32))
            lengths = np.fromiter((len(c) for c in columns.creators), dtype=np.int64)
            creator_rows.append(np.repeat(ids, lengths))
            creator_values.append(
                np.fromiter((c for cs in columns.creators for c in cs), dtype=np.int64)
            )
            group_rows.append(columns.group_works)
            group_values.append(columns.group_ids)
            if progress:
                progress(len(columns.ids))
        for name in FLAG_NAMES:
            catalogue.flags[name] = bitmap_of(np.concatenate(flag_ids[name] or [np.zeros(0)]))
        catalogue.texts = {name: Texts.of(plain) for name, plain in texts.items()}
        del texts
        catalogue.languages = {
            lang: bitmap_of(np.concatenate(parts)) for lang, parts in language_ids.items()
        }
        rows = np.concatenate(tag_rows or [np.zeros(0, dtype=np.int32)])
        values = np.concatenate(tag_values or [np.zeros(0, dtype=np.int32)])
        del tag_rows, tag_values
        # Batches come in work order, each sorted by (work, tag): already in CSR order.
        catalogue.work_tags = Ragged.from_pairs(rows, values, high, ordered=True)
        catalogue.tags = Bitmaps(group_bitmaps(values, rows))
        del rows, values
        rows = np.concatenate(main_rows or [np.zeros(0, dtype=np.int32)])
        values = np.concatenate(main_values or [np.zeros(0, dtype=np.int32)])
        catalogue.work_main = Ragged.from_pairs(rows, values, high, ordered=True)
        catalogue.main_tags = Bitmaps(group_bitmaps(values, rows))
        rows = np.concatenate(creator_rows or [np.zeros(0, dtype=np.int64)])
        values = np.concatenate(creator_values or [np.zeros(0, dtype=np.int64)])
        catalogue.work_creators = Ragged.from_pairs(rows, values, high, ordered=True)
        catalogue.creators = Bitmaps(group_bitmaps(values, rows))
        rows = np.concatenate(group_rows or [np.zeros(0, dtype=np.int64)])
        values = np.concatenate(group_values or [np.zeros(0, dtype=np.int64)])
        catalogue.work_groups = Ragged.from_pairs(rows, values, high, ordered=True)
        catalogue.groups = Bitmaps(group_bitmaps(values, rows))
        catalogue.finish()
        catalogue.built_at = time.time()
        catalogue.build_seconds = time.monotonic() - started
        return catalogue

    build_seconds = 0.0

    def finish(self) -> None:
        """Derived structures: type codes, sort orders, facet size order, and the biggest
        tags' bitmaps thawed (a saved index's are serialised until used)."""
        self.tags.keep_biggest(KEPT_TAGS)
        self.main_tags.keep_biggest(KEPT_TAGS // 4)
        for tag_id, tag_type in self.tag_type.items():
            self._set_type(tag_id, tag_type)
        everything = ids_of(self.flags["all"])
        for order in self.orders.values():
            order.build(everything)
        self.resort_facets()

    def _make_orders(self) -> None:
        for name in NUMBER_FIELDS:
            self.orders[name] = SortOrder(self._number_keys(name), self._number_key(name))
        for name in TEXT_FIELDS:
            self.orders[name] = SortOrder(self._text_keys(name), self._text_key(name))
        for name in QUALITY_SORTS:
            for ascending in (False, True):
                keys = self._quality_keys(name, ascending=ascending)
                key = self._quality_key(keys)
                self.orders[name + (ASCENDING_SUFFIX if ascending else "")] = SortOrder(keys, key)

    def _quality_keys(self, name: str, *, ascending: bool) -> Callable[[np.ndarray], Any]:
        return lambda ids: quality_keys(name, self.numbers, ids, ascending=ascending)

    @staticmethod
    def _quality_key(keys: Callable[[np.ndarray], Any]) -> Callable[[int], Any]:
        # The same computation as for many ids, so a work's bucket always agrees with its rank.
        return lambda work_id: float(keys(np.array([work_id], dtype=np.int64))[0])

    def _number_keys(self, name: str) -> Callable[[np.ndarray], Any]:
        return lambda ids: self.numbers[name][ids]

    def _number_key(self, name: str) -> Callable[[int], Any]:
        return lambda work_id: int(self.numbers[name][work_id])

    def _text_keys(self, name: str) -> Callable[[np.ndarray], Any]:
        return lambda ids: self.texts[name].sort_keys(np.asarray(ids))

    def _text_key(self, name: str) -> Callable[[int], Any]:
        return lambda work_id: self.texts[name].sort_key(work_id)

    def _grow(self, size: int) -> None:
        current = len(self.numbers["words"])
        if size <= current:
            return
        size = max(size, current * 2)
        for name in NUMBER_FIELDS:
            grown = np.zeros(size, dtype=self.numbers[name].dtype)
            grown[:current] = self.numbers[name]
            self.numbers[name] = grown

    def _set_type(self, tag_id: int, tag_type: str) -> None:
        if tag_id >= len(self.type_code):
            grown = np.zeros(max(tag_id + 1, len(self.type_code) * 2), dtype=np.int8)
            grown[: len(self.type_code)] = self.type_code
            self.type_code = grown
        self.type_code[tag_id] = TYPE_CODES.get(tag_type, 0)
        self.tag_type[tag_id] = tag_type
        if tag_type in FIXED_VALUES and tag_id not in self.fixed.setdefault(tag_type, []):
            self.fixed[tag_type].append(tag_id)

    def resort_facets(self) -> None:
        by_type: dict[str, list[int]] = {tag_type: [] for tag_type in FREE_TYPES}
        self.size_then = dict(self.tags.sizes())
        for tag_id, size in self.size_then.items():
            tag_type = self.tag_type.get(tag_id)
            if tag_type in by_type and size:
                by_type[tag_type].append(tag_id)
        self.by_size = {
            tag_type: sorted(ids, key=lambda t: (-self.size_then[t], t))
            for tag_type, ids in by_type.items()
        }
        self.sizes_by_type = {
            tag_type: np.fromiter((self.size_then[t] for t in ids), dtype=np.int64, count=len(ids))
            for tag_type, ids in self.by_size.items()
        }
        self.grown = set()
        self.main_size_then = {t: size for t, size in self.main_tags.sizes() if size}
        self.main_by_size = sorted(self.main_size_then, key=lambda t: (-self.main_size_then[t], t))
        self.main_grown = set()

    # -- keeping fresh -------------------------------------------------------

    def _source(self) -> Source:
        if self.source is None:
            raise RuntimeError("This index has no source to read changed works from.")
        return self.source

    def apply(self, work_ids: Iterable[int]) -> None:
        """Reload these works from the database (works that are gone are dropped)."""
        for batch in _batches(sorted(set(work_ids))):
            self._apply_batch(batch)
        if len(self.grown) > 5000:
            self.resort_facets()

    def _apply_batch(self, ids: list[int]) -> None:
        if not ids:
            return
        columns = self._source().columns(types=self.tag_type, work_ids=ids)
        self._grow(max(ids) + 1)
        # A work whose sort keys are unchanged (a wrangling changes tags, not titles or
        # counts) keeps its places in the sort orders: the costly part of reloading it.
        sorted_alike = self._sorted_alike(columns)
        for work_id in ids:
            if work_id in self.flags["all"]:
                self._remove(work_id, orders=work_id not in sorted_alike)
        for i, work_id in enumerate(columns.ids.tolist()):
            self._add(columns, i, work_id, orders=work_id not in sorted_alike)

    def apply_tags(self, work_ids: Iterable[int]) -> None:
        """Re-file these works under their tags as they are now (their main relationships
        and crossover flag too), leaving the rest of each as it is: what a wrangling
        changes, at a fraction of `apply`'s cost. Works not indexed are left out."""
        ids = sorted(work_id for work_id in set(work_ids) if work_id in self.flags["all"])
        memo: dict[int, set[int]] = {}  # the wrangling graph, each tag read once
        for batch in _batches(ids):
            self._apply_tags_batch(batch, memo)
        if len(self.grown) > 5000:
            self.resort_facets()

    def _apply_tags_batch(self, ids: list[int], memo: dict[int, set[int]]) -> None:
        if not ids:
            return
        columns = self._source().filed_tags(types=self.tag_type, work_ids=ids, memo=memo)
        works = columns.ids
        added = self._refile(works, columns.tag_works, columns.tag_ids, self.tags, self.work_tags)
        for tag_id in added:
            self._know_type(tag_id)
        self.grown |= added
        self.main_grown |= self._refile(
            works, columns.main_works, columns.main_ids, self.main_tags, self.work_main
        )
        crossover = self.flags["crossover"]
        now = bitmap_of(works[columns.flags["crossover"]])
        crossover.difference_update(bitmap_of(works) - now)
        crossover.update(now)

    @staticmethod
    def _refile(
        works: np.ndarray,
        new_works: np.ndarray,
        new_tags: np.ndarray,
        bitmaps: Bitmaps,
        filed: Ragged,
    ) -> set[int]:
        """File `works` (ascending ids) under exactly the tags of the (work, tag) pairs
        `new_works`, `new_tags` (sorted) in `bitmaps`, as `filed` records; the tags any of
        them joined (their facet places are stale). Whole tags at a time: a wrangling
        re-files a tag's every work, and a bitmap updated per work cost ~10 µs each."""
        old_works, old_tags = filed.pairs(works)
        before = old_works << 32 | old_tags
        after = new_works << 32 | new_tags
        left = np.setdiff1d(before, after, assume_unique=True)
        joined = np.setdiff1d(after, before, assume_unique=True)
        low = (1 << 32) - 1
        for tag_id, tag_works in group_bitmaps(left & low, left >> 32).items():
            bitmaps.edit(tag_id).difference_update(tag_works)
        joined_by_tag = group_bitmaps(joined & low, joined >> 32)
        for tag_id, tag_works in joined_by_tag.items():
            bitmaps.edit(tag_id).update(tag_works)
        changed = sorted_unique(np.concatenate((left, joined)) >> 32)
        filed.set_rows(changed, new_works, new_tags)
        return set(joined_by_tag)

    def _know_type(self, tag_id: int) -> None:
        """Give a tag new to the index its type code (from `tag_type`)."""
        if tag_id >= len(self.type_code) or self.type_code[tag_id] == 0:
            self._set_type(tag_id, self.tag_type.get(tag_id, ""))

    def apply_counts(self, work_ids: Iterable[int]) -> None:
        """Refresh only the engagement counts of these works (kudos, hits, ...)."""
        ids = sorted(work_id for work_id in set(work_ids) if work_id in self.flags["all"])
        for batch in _batches(ids):
            self._apply_counts_batch(batch)

    def _apply_counts_batch(self, ids: list[int]) -> None:
        if not ids:
            return
        stats = self._source().counts(ids)
        # The quality orders' keys derive from several counts: out before any count
        # changes, back in once all have.
        changed = [
            work_id
            for work_id in ids
            if any(int(self.numbers[name][work_id]) != stats[work_id][name] for name in STAT_NAMES)
        ]
        derived = [order for name, order in self.orders.items() if name in QUALITY_ORDERS]
        for work_id in changed:
            for order in derived:
                order.remove(work_id, order.key(work_id))
        for name in STAT_NAMES:
            order = self.orders[name]
            for work_id in ids:
                value = stats[work_id][name]
                if int(self.numbers[name][work_id]) == value:
                    continue
                order.remove(work_id, order.key(work_id))
                self.numbers[name][work_id] = value
                order.add(work_id)
        for work_id in changed:
            for order in derived:
                order.add(work_id)

    def _sorted_alike(self, columns: Columns) -> set[int]:
        """The works of `columns` already indexed with the very values they sort by."""
        ids = columns.ids
        if not len(ids):
            return set()
        present = self.flags["all"] & BitMap(ids.tolist())
        same = np.isin(ids, np.fromiter(present, dtype=np.int64, count=len(present)))
        for name in NUMBER_FIELDS:
            same &= self.numbers[name][ids] == columns.numbers[name]
        for name in TEXT_FIELDS:
            texts = self.texts[name]
            same &= np.fromiter(
                (texts[w] == t for w, t in zip(ids.tolist(), columns.texts[name], strict=True)),
                dtype=bool,
                count=len(ids),
            )
        return set(ids[same].tolist())

    def _remove(self, work_id: int, *, orders: bool = True) -> None:
        if orders:
            for order in self.orders.values():
                order.remove(work_id, order.key(work_id))
        for bitmap in self.flags.values():
            bitmap.discard(work_id)
        for bitmap in self.languages.values():
            bitmap.discard(work_id)
        for tag_id in self.work_tags.get(work_id):
            self.tags.edit(tag_id).discard(work_id)
        for tag_id in self.work_main.get(work_id):
            self.main_tags.edit(tag_id).discard(work_id)
        self.work_main.set(work_id, [])
        for creator_id in self.work_creators.get(work_id):
            self.creators.edit(creator_id).discard(work_id)
        for group_id in self.work_groups.get(work_id):
            self.groups.edit(group_id).discard(work_id)
        self.work_tags.set(work_id, [])
        self.work_creators.set(work_id, [])
        self.work_groups.set(work_id, [])

    def _add(self, columns: Columns, i: int, work_id: int, *, orders: bool = True) -> None:
        for name in NUMBER_FIELDS:
            self.numbers[name][work_id] = int(columns.numbers[name][i])
        for name in TEXT_FIELDS:
            self.texts[name][work_id] = columns.texts[name][i]
        for name in FLAG_NAMES:
            if columns.flags[name][i]:
                self.flags[name].add(work_id)
        self.languages.setdefault(columns.languages[i], BitMap()).add(work_id)
        tags = columns.tags_of(work_id)
        for tag_id in tags:
            self.tags.edit(tag_id).add(work_id)
            self._know_type(tag_id)
            self.grown.add(tag_id)
        main = columns.main_tags_of(work_id)
        for tag_id in main:
            self.main_tags.edit(tag_id).add(work_id)
            self.main_grown.add(tag_id)
        self.work_main.set(work_id, main)
        for creator_id in columns.creators[i]:
            self.creators.edit(creator_id).add(work_id)
        self.work_tags.set(work_id, tags)
        self.work_creators.set(work_id, columns.creators[i])
        groups = columns.groups_of(work_id)
        for group_id in groups:
            self.groups.edit(group_id).add(work_id)
        self.work_groups.set(work_id, groups)
        if orders:
            for order in self.orders.values():
                order.add(work_id)

    # -- asking --------------------------------------------------------------

    def visible(self, viewer: Viewer) -> BitMap:
        """The visibility class of this viewer, less their mutes."""
        works = self.flags["posted"] - self.flags["hidden"]
        if not viewer.authenticated:
            works -= self.flags["restricted"]
        for tag_id in viewer.muted_tags:
            works -= self.tags.get(tag_id, BitMap())
        for creator_id in viewer.muted_creators:
            works -= self.creators.get(creator_id, BitMap())
        # A fandom's bitmap holds the works filed under it, so its synonyms and
        # subtags are in scope exactly as the fandom filter finds them.
        for tag_id, fandoms in viewer.scoped_tags:
            works -= self.tags.get(tag_id, BitMap()) & self._any_tag(fandoms)
        for creator_id, fandoms in viewer.scoped_creators:
            works -= self.creators.get(creator_id, BitMap()) & self._any_tag(fandoms)
        if viewer.hide_anonymous:
            works -= self.flags["anonymous"]
        if viewer.hide_crossovers:
            works -= self.flags["crossover"]
        return works

    def _any_tag(self, tag_ids: Iterable[int]) -> BitMap:
        return BitMap.union(BitMap(), *(self.tags.get(t, BitMap()) for t in tag_ids))

    def matching(self, spec: Filter, viewer: Viewer) -> BitMap:
        base = self.visible(viewer)
        if spec.groups:
            base = base & BitMap.union(*(self.groups.get(g) or BitMap() for g in spec.groups))
        includes = sorted((self._included(t, spec) for t in spec.include), key=len)
        works = base
        for bitmap in includes:
            works = works & bitmap
        if spec.ratings:
            works = works & BitMap.union(*(self.tags.get(t, BitMap()) for t in spec.ratings))
        for tag_id in spec.exclude:
            works = works - self.tags.get(tag_id, BitMap())
        if spec.complete is True:
            works = works & self.flags["complete"]
        elif spec.complete is False:
            works = works - self.flags["complete"]
        if spec.crossover == "only":
            works = works & self.flags["crossover"]
        elif spec.crossover == "exclude":
            works = works - self.flags["crossover"]
        if spec.single_chapter:
            works = works & self.flags["single_chapter"]
        if spec.language:
            works = works & self.languages.get(spec.language, BitMap())
        if spec.text_ids is not None:
            works = works & bitmap_of(spec.text_ids)
        for name, (low, high) in spec.ranges.items():
            if low is None and high is None:
                continue
            ids = ids_of(works)
            values = self.numbers[name][ids]
            keep = np.ones(len(ids), dtype=bool)
            if low is not None:
                keep &= values >= low
            if high is not None:
                keep &= values <= high
            works = bitmap_of(ids[keep])
        return works

    def ids(self, works: BitMap) -> np.ndarray:
        return ids_of(works)

    def narrowed(self, works: BitMap, ids: np.ndarray) -> BitMap:
        return works & bitmap_of(ids)

    def _included(self, tag_id: int, spec: Filter) -> BitMap:
        """The works an included tag finds: with `main_only`, a relationship's main ones."""
        if spec.main_only and self.tag_type.get(tag_id) == RELATIONSHIP:
            return self.main_tags.get(tag_id, BitMap())
        return self.tags.get(tag_id, BitMap())

    def find(
        self, spec: Filter, viewer: Viewer, *, offset: int = 0, limit: int = 20, facets: bool = True
    ) -> Found:
        works = self.matching(spec, viewer)
        ids = self.page(works, spec, offset, limit)
        return Found(ids=ids, total=len(works), facets=self.facets(works) if facets else {})

    def page(self, works: BitMap, spec: Filter, offset: int, limit: int) -> list[int]:
        name = spec.sort
        if name in QUALITY_SORTS and not spec.descending:
            name += ASCENDING_SUFFIX  # works without a ratio stay last both ways
        order = self.orders.get(name) or self.orders["updated"]
        return order.page(works, offset, limit, spec.descending)

    def facets(self, works: BitMap) -> dict[str, list[tuple[int, int]]]:
        """Tag counts within `works` (see `index.facets.facets_of`), and the main
        relationships' (`index.facets.MAIN_RELATIONSHIP`)."""
        counts = facets_of(self, works)
        counts[MAIN_RELATIONSHIP] = main_relationship_facet(self, works)
        return counts

    def stats(self) -> dict[str, Any]:
        return {
            "works": len(self.flags["all"]),
            "listed": len(self.flags["posted"] - self.flags["hidden"]),
            "tags": len(self.tags),
            "applied": self.applied,
            "built_at": self.built_at,
        }
