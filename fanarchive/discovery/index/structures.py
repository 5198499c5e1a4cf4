"""Building blocks of the catalogue index: bitmaps helpers, ragged arrays, sort orders."""

from __future__ import annotations

import array
import heapq
from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from itertools import pairwise
from typing import Any, overload

import numpy as np
from pyroaring import BitMap


def bitmap_of(ids: np.ndarray | Sequence[int]) -> BitMap:
    """A bitmap from an array of ids (the array.array route is several times faster)."""
    values = np.asarray(ids, dtype=np.uint32)
    return BitMap(array.array("I", values.tobytes()))


def sorted_unique(values: np.ndarray) -> np.ndarray:
    """np.unique by sorting: at a million ints several times faster than numpy's hashing."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def ids_of(bitmap: BitMap) -> np.ndarray:
    return np.frombuffer(bitmap.to_array(), dtype=np.uint32).astype(np.int64)


def offset_dtype(total: int) -> type[np.signedinteger[Any]]:
    """Offsets into `total` values: 32 bits while they fit (half the memory, and gathering
    moves half the bytes), else 64."""
    return np.int32 if total < 2**31 else np.int64


class Ragged:
    """A list of small int arrays indexed by work id: compressed rows plus edited overrides.

    The base is a CSR pair (offsets, values) written at build time; a work changed
    afterwards gets an override, so updates never rewrite the big arrays.
    """

    def __init__(self, offsets: np.ndarray | None = None, values: np.ndarray | None = None):
        self.offsets = offsets if offsets is not None else np.zeros(1, dtype=np.int64)
        self.values = values if values is not None else np.zeros(0, dtype=np.int32)
        self.overrides: dict[int, np.ndarray] = {}
        self.overridden = BitMap()

    @classmethod
    def from_pairs(
        cls, rows: np.ndarray, values: np.ndarray, size: int, *, ordered: bool = False
    ) -> Ragged:
        """From parallel arrays (row id, value), ids below `size`; `ordered`: the pairs
        are sorted by row then value already."""
        if not ordered:
            order = np.lexsort((values, rows))
            rows, values = rows[order], values[order]
        counts = np.bincount(rows, minlength=size)
        offsets = np.zeros(size + 1, dtype=offset_dtype(len(values)))
        np.cumsum(counts, out=offsets[1:])
        return cls(offsets, values.astype(np.int32, copy=False))

    def get(self, row: int) -> np.ndarray:
        if row in self.overridden:
            return self.overrides[row]
        if row + 1 < len(self.offsets):
            return self.values[self.offsets[row] : self.offsets[row + 1]]
        return self.values[:0]

    def set(self, row: int, values: Sequence[int]) -> None:
        self.overrides[row] = np.asarray(values, dtype=np.int32)
        self.overridden.add(row)

    def gather(self, rows: BitMap) -> np.ndarray:
        """All values of these rows, concatenated (for counting)."""
        base = ids_of(rows - self.overridden) if self.overridden else ids_of(rows)
        parts = [self._base_values(base)[2]]
        if self.overridden:
            parts.extend(self.overrides[row] for row in rows & self.overridden)
        return np.concatenate(parts)

    def pairs(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(row, value) of every value of these rows (ascending ids), as parallel int64
        arrays sorted by row then value."""
        edited = np.isin(rows, ids_of(self.overridden))
        base, lengths, values = self._base_values(rows[~edited])
        row_parts = [np.repeat(base, lengths)]
        value_parts = [values.astype(np.int64)]
        for row in rows[edited].tolist():
            override = self.overrides[row]
            row_parts.append(np.full(len(override), row, dtype=np.int64))
            value_parts.append(override.astype(np.int64))
        key = np.sort(np.concatenate(row_parts) << 32 | np.concatenate(value_parts))
        return key >> 32, key & ((1 << 32) - 1)

    def _base_values(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Those of these rows within the base arrays, their lengths, and their values
        concatenated: gathered with one numpy take, not a slice per row."""
        rows = rows[rows + 1 < len(self.offsets)]
        starts = self.offsets[rows]
        lengths = self.offsets[rows + 1] - starts
        total = int(lengths.sum())
        if not total:
            return rows, lengths, np.zeros(0, dtype=np.int32)
        kind = self.offsets.dtype  # index arithmetic in the offsets' width
        shifts = np.repeat(starts - np.cumsum(lengths, dtype=kind) + lengths, lengths)
        shifts += np.arange(total, dtype=kind)
        return rows, lengths, self.values.take(shifts)

    def set_rows(self, rows: np.ndarray, pair_rows: np.ndarray, values: np.ndarray) -> None:
        """`set` each of `rows` (ascending) to its values among the (row, value) pairs
        `pair_rows`, `values` (sorted by row; a row without any gets none)."""
        low = np.searchsorted(pair_rows, rows, side="left").tolist()
        high = np.searchsorted(pair_rows, rows, side="right").tolist()
        narrow = values.astype(np.int32)
        for row, start, end in zip(rows.tolist(), low, high, strict=True):
            self.overrides[row] = narrow[start:end]
        self.overridden |= bitmap_of(rows)


class SortOrder:
    """One sort order over all indexed works, as buckets of consecutive ranks.

    Bucket i holds the works whose (key, id) lies between `lows[i-1]` and
    `lows[i]`; inside a bucket nothing is ordered. A page of a result is found
    by walking buckets from the chosen end, skipping whole buckets by
    intersection cardinality, and sorting only the one or two buckets the page
    falls in: page 5,000 costs about what page 1 does, with no OFFSET scan.
    Changing a work's key moves it between buckets; big buckets split.
    """

    BUCKET = 2048
    SMALL = 4096

    def __init__(self, keys: Callable[[np.ndarray], Any], key: Callable[[int], Any]):
        self.keys = keys  # keys of many ids, for sorting: a numpy array or a list
        self.key = key  # key of one id, for finding its bucket
        self.lows: list[tuple[Any, int]] = []
        self.buckets: list[BitMap] = [BitMap()]

    def sort_ids(self, ids: np.ndarray) -> np.ndarray:
        """`ids` in ascending (key, id) order."""
        keys = self.keys(ids)
        if isinstance(keys, np.ndarray):
            return ids[np.lexsort((ids, keys))]
        order = sorted(range(len(ids)), key=lambda i: (keys[i], ids[i]))
        return ids[np.asarray(order, dtype=np.int64)] if order else ids

    def build(self, ids: np.ndarray) -> None:
        ordered = self.sort_ids(ids)
        self.lows = []
        self.buckets = []
        for start in range(0, len(ordered), self.BUCKET):
            chunk = ordered[start : start + self.BUCKET]
            if start:
                first = int(chunk[0])
                self.lows.append((self.key(first), first))
            self.buckets.append(bitmap_of(chunk))
        if not self.buckets:
            self.buckets = [BitMap()]

    def _bucket(self, key: Any, work_id: int) -> int:
        return bisect_right(self.lows, (key, work_id))

    def add(self, work_id: int) -> None:
        position = self._bucket(self.key(work_id), work_id)
        bucket = self.buckets[position]
        bucket.add(work_id)
        if len(bucket) > 4 * self.BUCKET:
            ordered = self.sort_ids(ids_of(bucket))
            half = len(ordered) // 2
            first = int(ordered[half])
            self.buckets[position : position + 1] = [
                bitmap_of(ordered[:half]),
                bitmap_of(ordered[half:]),
            ]
            self.lows.insert(position, (self.key(first), first))

    def remove(self, work_id: int, old_key: Any) -> None:
        self.buckets[self._bucket(old_key, work_id)].discard(work_id)

    def page(self, result: BitMap, offset: int, limit: int, descending: bool) -> list[int]:
        if len(result) <= self.SMALL:
            ordered = self.sort_ids(ids_of(result))
            if descending:
                ordered = ordered[::-1]
            return [int(i) for i in ordered[offset : offset + limit]]
        positions = range(len(self.buckets))
        skip = offset
        found: list[int] = []
        for position in reversed(positions) if descending else positions:
            bucket = self.buckets[position]
            size = result.intersection_cardinality(bucket)
            if size <= skip:
                skip -= size
                continue
            ordered = self.sort_ids(ids_of(result & bucket))
            if descending:
                ordered = ordered[::-1]
            found.extend(int(i) for i in ordered[skip : skip + limit - len(found)])
            skip = 0
            if len(found) >= limit:
                break
        return found


def offer_top(best: list[tuple[int, int]], size: int, tag_id: int, count: int) -> None:
    """Keep in the min-heap `best` the `size` biggest counts seen (ties: smaller tag id)."""
    item = (count, -tag_id)
    if len(best) < size:
        heapq.heappush(best, item)
    elif item > best[0]:
        heapq.heapreplace(best, item)


# `group_bitmaps` sorts about this many pairs at a time: the sort's temporary arrays (16 bytes a
# pair) would otherwise add ~200 MB to a build's peak memory at a million works.
GROUP_CHUNK = 2_000_000


def group_bitmaps(keys: np.ndarray, values: np.ndarray) -> dict[int, BitMap]:
    """{key: bitmap of its values} from parallel arrays, a range of keys at a time."""
    if not len(keys):
        return {}
    groups: dict[int, BitMap] = {}
    top = int(keys.max()) + 1
    step = max(1, top * GROUP_CHUNK // len(keys) + 1)
    for low_key in range(0, top, step):
        chosen = (keys >= low_key) & (keys < low_key + step)
        part_keys, part_values = keys[chosen], values[chosen]
        del chosen
        order = np.argsort(part_keys, kind="stable")
        part_keys, part_values = part_keys[order], part_values[order]
        del order
        starts = np.flatnonzero(np.diff(part_keys)) + 1
        bounds = np.concatenate(([0], starts, [len(part_keys)])).tolist()
        for low, high in pairwise(bounds):
            if high > low:  # a bitmap takes its values in any order
                groups[int(part_keys[low])] = bitmap_of(part_values[low:high])
    return groups


# Serialised bytes of frozen bitmaps each process keeps deserialised (`Bitmaps`): the
# popular tags' bitmaps stay ready; a crawler walking every tag page cannot make a
# worker hold a private copy of them all.
BITMAP_CACHE_BYTES = 48 * 1024 * 1024


class Bitmaps:
    """Bitmaps by id (tag, creator, collection), most of them frozen in a saved index.

    The frozen ones stay serialised in the index file's memory map, which every process
    of the host shares; one is deserialised when asked for and kept in a small cache of
    this process (`BITMAP_CACHE_BYTES`). A bitmap about to change is copied out once and
    kept (`edit`), so catching up never writes the shared pages. Readers must not change
    what `get` or `[]` return.
    """

    def __init__(
        self,
        changed: dict[int, BitMap] | None = None,
        *,
        keys: np.ndarray | None = None,
        offsets: np.ndarray | None = None,
        blob: np.ndarray | None = None,
        counts: np.ndarray | None = None,
    ) -> None:
        self.changed: dict[int, BitMap] = changed if changed is not None else {}
        # The frozen part: ascending ids, offsets into `blob` (one more than ids), and
        # each bitmap's number of works (its size without deserialising it).
        self.keys = keys if keys is not None else np.zeros(0, dtype=np.int64)
        self.offsets = offsets if offsets is not None else np.zeros(1, dtype=np.int64)
        self.blob = blob if blob is not None else np.zeros(0, dtype=np.uint8)
        self.counts = counts if counts is not None else np.zeros(0, dtype=np.int64)
        self._cache: dict[int, BitMap] = {}  # insertion order: least recently used first
        self._cached_bytes = 0
        # Thawed for good (`keep_biggest`): the biggest tags, which big results' facets
        # intersect one after another.
        self._kept: dict[int, BitMap] = {}

    def _position(self, key: int) -> int:
        position = int(np.searchsorted(self.keys, key))
        if position < len(self.keys) and self.keys[position] == key:
            return position
        return -1

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int | np.integer):
            return False
        return int(key) in self.changed or self._position(int(key)) >= 0

    @overload
    def get(self, key: int) -> BitMap | None: ...
    @overload
    def get(self, key: int, default: BitMap) -> BitMap: ...
    def get(self, key: int, default: BitMap | None = None) -> BitMap | None:
        key = int(key)
        found = self.changed.get(key)
        if found is None:
            found = self._kept.get(key)
        if found is not None:
            return found
        cached = self._cache.pop(key, None)
        if cached is not None:
            self._cache[key] = cached  # most recently used now
            return cached
        position = self._position(key)
        if position < 0:
            return default
        return self._remember(key, self._thaw(position))

    def __getitem__(self, key: int) -> BitMap:
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def _frozen(self, position: int) -> bytes:
        """The serialisation of the frozen bitmap at `position`."""
        low, high = int(self.offsets[position]), int(self.offsets[position + 1])
        return self.blob[low:high].tobytes()

    def _thaw(self, position: int) -> BitMap:
        return BitMap.deserialize(self._frozen(position))

    @staticmethod
    def _cost(bitmap: BitMap) -> int:
        """About a bitmap's serialised size: what it counts for in the cache's budget."""
        return len(bitmap) * 2 + 64

    def _remember(self, key: int, bitmap: BitMap) -> BitMap:
        cost = self._cost(bitmap)
        if cost > BITMAP_CACHE_BYTES // 4:
            return bitmap  # a giant: cheaper to read again than to evict everything for
        self._cache[key] = bitmap
        self._cached_bytes += cost
        while self._cached_bytes > BITMAP_CACHE_BYTES and self._cache:
            oldest = next(iter(self._cache))
            self._cached_bytes -= self._cost(self._cache.pop(oldest))
        return bitmap

    def edit(self, key: int) -> BitMap:
        """The bitmap of `key` to change (created empty if there is none), kept whole."""
        key = int(key)
        found = self.changed.get(key)
        if found is not None:
            return found
        found = self._kept.pop(key, None)
        if found is None:
            cached = self._cache.pop(key, None)
            if cached is not None:
                self._cached_bytes -= self._cost(cached)
                found = cached
            else:
                position = self._position(key)
                found = self._thaw(position) if position >= 0 else BitMap()
        self.changed[key] = found
        return found

    def keep_biggest(self, most: int) -> None:
        """Thaw the `most` biggest frozen bitmaps for good. Called by gunicorn's master
        before it forks (the index's load), so the workers share them."""
        if not len(self.keys) or most <= 0:
            return
        biggest = np.argsort(-self.counts, kind="stable")[:most]
        for position in biggest.tolist():
            key = int(self.keys[position])
            if key not in self.changed:
                self._kept[key] = self._thaw(position)

    def __iter__(self) -> Iterator[int]:
        yield from (int(key) for key in self.keys if int(key) not in self.changed)
        yield from self.changed

    def __len__(self) -> int:
        frozen_changed = sum(1 for key in self.changed if self._position(key) >= 0)
        return len(self.keys) + len(self.changed) - frozen_changed

    def sizes(self) -> Iterator[tuple[int, int]]:
        """(id, number of works) of every bitmap, without deserialising the frozen ones."""
        for key, count in zip(self.keys.tolist(), self.counts.tolist(), strict=True):
            if key not in self.changed:
                yield key, count
        for key, bitmap in self.changed.items():
            yield key, len(bitmap)

    def size(self, key: int) -> int:
        key = int(key)
        found = self.changed.get(key)
        if found is not None:
            return len(found)
        position = self._position(key)
        return int(self.counts[position]) if position >= 0 else 0

    def serialised(self) -> Iterator[tuple[int, int, bytes]]:
        """(id, number of works, portable serialisation) of every bitmap, ascending ids
        (for saving)."""
        for key in sorted(self):
            position = -1 if key in self.changed else self._position(key)
            if position >= 0:
                yield key, int(self.counts[position]), self._frozen(position)
            else:
                bitmap = self.changed[key]
                yield key, len(bitmap), bitmap.serialize()


# Titles and creator names sort by this many bytes of their UTF-8, then by work id.
SORT_KEY_BYTES = 64
# Works whose sort keys are cut from the blob at a time (its index arithmetic is 8 bytes
# a byte of key: 50 MB a chunk).
SORT_KEY_CHUNK = 100_000


class Texts:
    """Strings by work id (sort keys: titles, creators): a UTF-8 blob with offsets, which
    a saved index keeps in its shared memory map, plus this process's changes. A work
    beyond the blob, never set, is an empty string."""

    def __init__(self, offsets: np.ndarray | None = None, blob: np.ndarray | None = None):
        self.offsets = offsets if offsets is not None else np.zeros(1, dtype=np.int64)
        self.blob = blob if blob is not None else np.zeros(0, dtype=np.uint8)
        self.changed: dict[int, str] = {}

    @classmethod
    def of(cls, texts: Sequence[str]) -> Texts:
        encoded = [text.encode() for text in texts]
        lengths = np.fromiter((len(part) for part in encoded), dtype=np.int64, count=len(encoded))
        offsets = np.zeros(len(encoded) + 1, dtype=offset_dtype(int(lengths.sum())))
        np.cumsum(lengths, out=offsets[1:])
        return cls(offsets, np.frombuffer(b"".join(encoded), dtype=np.uint8))

    def __getitem__(self, work_id: int) -> str:
        changed = self.changed.get(work_id)
        if changed is not None:
            return changed
        if work_id + 1 < len(self.offsets):
            low, high = int(self.offsets[work_id]), int(self.offsets[work_id + 1])
            return self.blob[low:high].tobytes().decode()
        return ""

    def __setitem__(self, work_id: int, text: str) -> None:
        self.changed[work_id] = text

    def sort_key(self, work_id: int) -> bytes:
        """What `work_id` sorts by: the first `SORT_KEY_BYTES` of its UTF-8 (whose byte
        order is the characters' order)."""
        return self[work_id].encode()[:SORT_KEY_BYTES]

    def sort_keys(self, ids: np.ndarray) -> np.ndarray:
        """`sort_key` of many works as one numpy array of fixed-width bytes, cut straight
        from the blob: no Python string per work, so building a sort order of millions
        leaves no garbage behind."""
        width = SORT_KEY_BYTES
        out = np.zeros((len(ids), width), dtype=np.uint8)
        rows = len(self.offsets) - 1
        steps = np.arange(width, dtype=np.int64)
        for start in range(0, len(ids), SORT_KEY_CHUNK):
            chunk = np.asarray(ids[start : start + SORT_KEY_CHUNK], dtype=np.int64)
            inside = chunk < rows
            low = np.zeros(len(chunk), dtype=np.int64)
            high = np.zeros(len(chunk), dtype=np.int64)
            low[inside] = self.offsets[chunk[inside]]
            high[inside] = self.offsets[chunk[inside] + 1]
            spots = low[:, None] + steps[None, :]
            keep = spots < high[:, None]
            if len(self.blob):
                picked = self.blob[np.minimum(spots, len(self.blob) - 1)]
                out[start : start + len(chunk)] = np.where(keep, picked, 0)
        if self.changed:
            for i, work_id in enumerate(ids.tolist()):
                if work_id in self.changed:
                    key = self.sort_key(work_id)
                    out[i] = 0
                    out[i, : len(key)] = np.frombuffer(key, dtype=np.uint8)
        return out.view(f"S{width}").ravel()

    def packed(self, size: int) -> tuple[np.ndarray, np.ndarray]:
        """(offsets, blob) of the strings of works below `size`, changes included (for
        saving)."""
        rows = len(self.offsets) - 1
        if not self.changed and size >= rows:
            offsets = np.full(size + 1, self.offsets[-1], dtype=self.offsets.dtype)
            offsets[: rows + 1] = self.offsets
            return offsets, self.blob
        fresh = Texts.of([self[work_id] for work_id in range(size)])
        return fresh.offsets, fresh.blob
