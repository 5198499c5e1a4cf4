"""Saving the catalogue index to disk and mapping it back into memory, for a fast start.

One file at DATA_DIR/index/catalogue.bin: a short JSON header (what the file holds and
the change-log entry it covers: id, work, time) followed by flat arrays, each aligned
to 64 bytes. Loading maps the file into memory (copy-on-write) instead of reading it:
the arrays (numbers, each work's tags, the tags' serialised bitmaps, titles) are views
of the map, so every process of the host, and a restarted one, shares the same pages
of the page cache. Only what a process changes afterwards becomes its own: a number it
writes (one page), a bitmap it edits (`structures.Bitmaps.edit`), a work's tags
(`structures.Ragged` overrides). No pickles: the header is JSON, the arrays numbers.
"""

from __future__ import annotations

import json
import mmap
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
from django.conf import settings
from pyroaring import BitMap

from fanarchive.discovery.index.backend import Source
from fanarchive.discovery.index.catalogue import Catalogue, number_dtype
from fanarchive.discovery.index.columns import NUMBER_FIELDS, TAG_TYPES, TEXT_FIELDS
from fanarchive.discovery.index.structures import Bitmaps, Ragged, Texts, offset_dtype

# 2: groups (collections); 3: the "anonymous" flag; 4: main relationships; 5: one
# memory-mapped file of flat arrays instead of a numpy archive read whole; 6: tag types
# as arrays.
FORMAT = 6
MAGIC = b"FANARCHIVE-INDEX"
ALIGN = 64
# Room left in the per-work arrays for works posted after the save: a new work then
# writes a page of the map rather than copying every array into the process.
HEADROOM = 1 / 8
BITMAP_GROUPS = ("tags", "main_tags", "creators", "groups")
RAGGED = ("work_tags", "work_main", "work_creators", "work_groups")


def index_path() -> Path:
    return Path(settings.DATA_DIR) / "index" / "catalogue.bin"


def _packed(items: Iterable[tuple[int, int, bytes]], prefix: str) -> dict[str, np.ndarray]:
    """Arrays of serialised bitmaps: ascending ids, sizes, offsets into one blob."""
    keys: list[int] = []
    counts: list[int] = []
    blobs: list[bytes] = []
    for key, count, blob in items:
        keys.append(key)
        counts.append(count)
        blobs.append(blob)
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum([len(blob) for blob in blobs], out=offsets[1:])
    return {
        f"{prefix}_keys": np.asarray(keys, dtype=np.int64),
        f"{prefix}_counts": np.asarray(counts, dtype=np.int64),
        f"{prefix}_offsets": offsets,
        f"{prefix}_blob": np.frombuffer(b"".join(blobs), dtype=np.uint8),
    }


def _named(bitmaps: dict[str, BitMap], prefix: str) -> tuple[list[str], dict[str, np.ndarray]]:
    """Bitmaps keyed by name (flags, languages): the names, and the arrays."""
    names = sorted(bitmaps)
    items = ((i, len(bitmaps[name]), bitmaps[name].serialize()) for i, name in enumerate(names))
    return names, _packed(items, prefix)


def _unnamed(names: list[str], prefix: str, arrays: dict[str, np.ndarray]) -> dict[str, BitMap]:
    offsets, blob = arrays[f"{prefix}_offsets"], arrays[f"{prefix}_blob"]
    return {
        name: BitMap.deserialize(blob[int(offsets[i]) : int(offsets[i + 1])].tobytes())
        for i, name in enumerate(names)
    }


def _room(catalogue: Catalogue) -> int:
    """How many work ids the saved per-work arrays cover: every indexed one, plus headroom."""
    everything = catalogue.flags["all"]
    needed = (int(everything.max()) + 1) if everything else 1
    return max(needed + max(1024, int(needed * HEADROOM)), 1)


def save(catalogue: Catalogue, stamp: tuple[int, str] | None, path: Path | None = None) -> Path:
    """Write the index atomically (a temporary file renamed over the old one: processes
    that mapped the old file keep reading it until they load the new one)."""
    path = path or index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    size = _room(catalogue)
    arrays: dict[str, np.ndarray] = {}
    for name in NUMBER_FIELDS:
        values = np.zeros(size, dtype=number_dtype(name))
        own = catalogue.numbers[name][:size]
        values[: len(own)] = own
        arrays[f"number_{name}"] = values
    for name in RAGGED:
        offsets, values = compact(getattr(catalogue, name), size)
        arrays[f"{name}_offsets"], arrays[f"{name}_values"] = offsets, values
    for name in BITMAP_GROUPS:
        arrays.update(_packed(getattr(catalogue, name).serialised(), name))
    flag_names, flag_arrays = _named(catalogue.flags, "flags")
    language_names, language_arrays = _named(catalogue.languages, "languages")
    arrays.update(flag_arrays)
    arrays.update(language_arrays)
    for name in TEXT_FIELDS:
        packed = catalogue.texts[name].packed(size)
        arrays[f"text_{name}_offsets"], arrays[f"text_{name}_blob"] = packed
    meta = {
        "format": FORMAT,
        "applied": catalogue.applied,
        "stamp": stamp,
        "built_at": catalogue.built_at,
        "build_seconds": catalogue.build_seconds,
        "flags": flag_names,
        "languages": language_names,
    }
    # Tag types as two arrays (ids, codes in `columns.TAG_TYPES` order; 0 for a type the
    # index does not file by), not a JSON list of pairs: millions of tags parse to
    # millions of objects.
    arrays["tag_ids"] = np.fromiter(
        catalogue.tag_type, dtype=np.int64, count=len(catalogue.tag_type)
    )
    codes = {tag_type: code for code, tag_type in enumerate(TAG_TYPES, start=1)}
    arrays["tag_codes"] = np.fromiter(
        (codes.get(tag_type, 0) for tag_type in catalogue.tag_type.values()),
        dtype=np.int8,
        count=len(catalogue.tag_type),
    )
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-")
    try:
        with os.fdopen(handle, "wb") as out:
            _write(out, meta, arrays)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def _aligned(size: int) -> int:
    """`size` rounded up to a multiple of `ALIGN`."""
    return -(-size // ALIGN) * ALIGN


def _write(out: BinaryIO, meta: dict[str, Any], arrays: dict[str, np.ndarray]) -> None:
    layout: dict[str, list[Any]] = {}
    position = 0
    for name, array in arrays.items():
        layout[name] = [array.dtype.str, len(array), position]
        position += _aligned(array.nbytes)
    header = json.dumps({"meta": meta, "arrays": layout}).encode()
    start = MAGIC + len(header).to_bytes(8, "little") + header
    out.write(start + b"\0" * (_aligned(len(start)) - len(start)))
    for array in arrays.values():
        data = np.ascontiguousarray(array).tobytes()
        out.write(data + b"\0" * (_aligned(len(data)) - len(data)))


def compact(ragged: Ragged, size: int) -> tuple[np.ndarray, np.ndarray]:
    """A ragged array's rows below `size` as one CSR pair, its overrides folded in."""
    if not ragged.overridden and len(ragged.offsets) == size + 1:
        return ragged.offsets, ragged.values
    base = np.asarray(ragged.offsets[: size + 1], dtype=np.int64)
    lengths = np.zeros(size, dtype=np.int64)
    lengths[: len(base) - 1] = np.diff(base)
    changed = [row for row in ragged.overridden if row < size]
    for row in changed:
        lengths[row] = len(ragged.overrides[row])
    offsets = np.zeros(size + 1, dtype=offset_dtype(int(lengths.sum())))
    np.cumsum(lengths, out=offsets[1:])
    values = np.zeros(int(offsets[-1]), dtype=np.int32)
    # Unchanged rows move as whole runs between changed ones.
    kept = np.ones(size, dtype=bool)
    kept[changed] = False
    kept[len(base) - 1 :] = False
    rows = np.flatnonzero(kept & (lengths > 0))
    if len(rows):
        gathered = ragged.gather(BitMap(rows.tolist()))
        targets = np.repeat(offsets[rows] - np.cumsum(lengths[rows]) + lengths[rows], lengths[rows])
        targets += np.arange(len(targets))
        values[targets] = gathered
    for row in changed:
        values[offsets[row] : offsets[row + 1]] = ragged.overrides[row]
    return offsets, values


def _header(data: bytes | mmap.mmap) -> tuple[dict[str, Any], int] | None:
    """The header at the start of `data` and where its arrays start, or None if `data`
    is not an index."""
    if data[: len(MAGIC)] != MAGIC:
        return None
    end = len(MAGIC) + 8 + int.from_bytes(data[len(MAGIC) : len(MAGIC) + 8], "little")
    header = json.loads(bytes(data[len(MAGIC) + 8 : end]).decode())
    return (header, _aligned(end)) if isinstance(header, dict) else None


def header_of(path: Path) -> dict[str, Any] | None:
    """A saved index's header (its description, "meta", and where each array lies,
    "arrays"), reading no more of the file; None when it is missing or not an index."""
    try:
        with path.open("rb") as handle:
            start = handle.read(len(MAGIC) + 8)
            if start[: len(MAGIC)] != MAGIC:
                return None
            length = int.from_bytes(start[len(MAGIC) :], "little")
            found = _header(start + handle.read(length))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return found[0] if found is not None else None


def meta_of(path: Path | None = None) -> dict[str, Any] | None:
    """The saved index's description, or None when there is none (or it is unreadable)."""
    header = header_of(path or index_path())
    meta = header.get("meta") if header is not None else None
    return meta if isinstance(meta, dict) else None


def _mapped(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray]] | None:
    with path.open("rb") as handle:
        # Copy-on-write: reading shares the page cache; a write stays in this process.
        data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_COPY)
    found = _header(data)
    if found is None:
        return None
    header, start = found
    arrays: dict[str, np.ndarray] = {}
    for name, (dtype, count, offset) in header["arrays"].items():
        array = np.frombuffer(data, dtype=np.dtype(dtype), count=count, offset=start + offset)
        if not name.startswith("number_"):
            array.flags.writeable = False  # shared pages: nothing but numbers is written
        arrays[name] = array
    return header["meta"], arrays


def load(
    path: Path | None = None, source: Source | None = None
) -> tuple[Catalogue, tuple[int, str] | None] | None:
    """The saved index (reading changed works from `source`) and the change-log stamp it
    covers, or None."""
    path = path or index_path()
    try:
        found = _mapped(path)
        if found is None or found[0].get("format") != FORMAT:
            return None
        meta, arrays = found
        catalogue = Catalogue(source)
        catalogue.applied = meta["applied"]
        catalogue.built_at = meta["built_at"]
        catalogue.build_seconds = meta.get("build_seconds", 0.0)
        for name in NUMBER_FIELDS:
            catalogue.numbers[name] = arrays[f"number_{name}"]
        for name in TEXT_FIELDS:
            catalogue.texts[name] = Texts(
                arrays[f"text_{name}_offsets"], arrays[f"text_{name}_blob"]
            )
        for name in RAGGED:
            setattr(catalogue, name, Ragged(arrays[f"{name}_offsets"], arrays[f"{name}_values"]))
        for name in BITMAP_GROUPS:
            bitmaps = Bitmaps(
                keys=arrays[f"{name}_keys"],
                offsets=arrays[f"{name}_offsets"],
                blob=arrays[f"{name}_blob"],
                counts=arrays[f"{name}_counts"],
            )
            setattr(catalogue, name, bitmaps)
        catalogue.flags = _unnamed(meta["flags"], "flags", arrays)
        catalogue.languages = _unnamed(meta["languages"], "languages", arrays)
        names = ("", *TAG_TYPES)
        catalogue.tag_type = dict(
            zip(
                arrays["tag_ids"].tolist(),
                (names[code] for code in arrays["tag_codes"].tolist()),
                strict=True,
            )
        )
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    catalogue.finish()
    stamp = meta.get("stamp")
    return catalogue, ((stamp[0], stamp[1]) if stamp else None)
