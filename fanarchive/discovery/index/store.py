"""Saving the catalogue index to disk and loading it back, for a fast start.

One numpy `.npz` archive (uncompressed, no pickles) at DATA_DIR/index/catalogue.bin:
numbers as arrays, bitmaps in roaring's portable serialisation, the rest as JSON.
The file records the change-log entry it covers (id, work, time), so a process
loading it can tell whether it belongs to this database and catch up from there.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
from django.conf import settings
from pyroaring import BitMap

from fanarchive.discovery.index.catalogue import Catalogue
from fanarchive.discovery.index.source import NUMBER_FIELDS, TEXT_FIELDS
from fanarchive.discovery.index.structures import Ragged

FORMAT = 4  # 2: groups (collections); 3: the "anonymous" flag; 4: main relationships


def index_path() -> Path:
    return Path(settings.DATA_DIR) / "index" / "catalogue.bin"


def _bitmaps(prefix: str, bitmaps: dict[Any, BitMap], arrays: dict[str, np.ndarray]) -> list[Any]:
    keys = list(bitmaps)
    blobs = [bitmaps[key].serialize() for key in keys]
    offsets = np.zeros(len(blobs) + 1, dtype=np.int64)
    np.cumsum([len(blob) for blob in blobs], out=offsets[1:])
    arrays[f"{prefix}_blob"] = np.frombuffer(b"".join(blobs), dtype=np.uint8)
    arrays[f"{prefix}_offsets"] = offsets
    return keys


def _unbitmaps(prefix: str, keys: list[Any], data: Any) -> dict[Any, BitMap]:
    blob = data[f"{prefix}_blob"].tobytes()
    offsets = data[f"{prefix}_offsets"]
    return {
        key: BitMap.deserialize(blob[offsets[i] : offsets[i + 1]]) for i, key in enumerate(keys)
    }


def _json(value: Any) -> np.ndarray:
    return np.frombuffer(json.dumps(value).encode(), dtype=np.uint8)


def _unjson(array: np.ndarray) -> Any:
    return json.loads(array.tobytes().decode())


def save(catalogue: Catalogue, stamp: tuple[int, str] | None, path: Path | None = None) -> Path:
    """Write the index atomically (a temporary file renamed over the old one)."""
    path = path or index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, np.ndarray] = {}
    size = len(catalogue.numbers["words"])
    for name in NUMBER_FIELDS:
        arrays[f"number_{name}"] = catalogue.numbers[name]
    work_tags = compact(catalogue.work_tags, size)
    work_creators = compact(catalogue.work_creators, size)
    work_groups = compact(catalogue.work_groups, size)
    arrays["work_groups_offsets"], arrays["work_groups_values"] = work_groups
    arrays["work_tags_offsets"], arrays["work_tags_values"] = work_tags
    work_main = compact(catalogue.work_main, size)
    arrays["work_main_offsets"], arrays["work_main_values"] = work_main
    arrays["work_creators_offsets"], arrays["work_creators_values"] = work_creators
    meta = {
        "format": FORMAT,
        "applied": catalogue.applied,
        "stamp": stamp,
        "built_at": catalogue.built_at,
        "build_seconds": catalogue.build_seconds,
        "flags": _bitmaps("flags", catalogue.flags, arrays),
        "languages": _bitmaps("languages", catalogue.languages, arrays),
        "tags": _bitmaps("tags", catalogue.tags, arrays),
        "main_tags": _bitmaps("main_tags", catalogue.main_tags, arrays),
        "creators": _bitmaps("creators", catalogue.creators, arrays),
        "groups": _bitmaps("groups", catalogue.groups, arrays),
        "tag_type": list(catalogue.tag_type.items()),
    }
    arrays["meta"] = _json(meta)
    arrays["texts"] = _json({name: catalogue.texts[name] for name in TEXT_FIELDS})
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-")
    try:
        with os.fdopen(handle, "wb") as out:
            np.savez(out, **arrays)  # type: ignore[arg-type]
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def compact(ragged: Ragged, size: int) -> tuple[np.ndarray, np.ndarray]:
    if not ragged.overridden and len(ragged.offsets) == size + 1:
        return ragged.offsets, ragged.values
    lengths = np.zeros(size, dtype=np.int64)
    rows: list[np.ndarray] = []
    for row in range(size):
        values = ragged.get(row)
        lengths[row] = len(values)
        if len(values):
            rows.append(values)
    offsets = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    values = np.concatenate(rows).astype(np.int32) if rows else np.zeros(0, dtype=np.int32)
    return offsets, values


def meta_of(path: Path | None = None) -> dict[str, Any] | None:
    """The saved index's description, or None when there is none (or it is unreadable)."""
    path = path or index_path()
    try:
        with np.load(path) as data:
            meta: dict[str, Any] = _unjson(data["meta"])
            return meta
    except (OSError, ValueError, KeyError):
        return None


def load(path: Path | None = None) -> tuple[Catalogue, tuple[int, str] | None] | None:
    """The saved index and the change-log stamp it covers, or None."""
    path = path or index_path()
    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        with np.load(io.BytesIO(raw)) as data:
            meta = _unjson(data["meta"])
            if meta.get("format") != FORMAT:
                return None
            catalogue = Catalogue()
            catalogue.applied = meta["applied"]
            catalogue.built_at = meta["built_at"]
            catalogue.build_seconds = meta.get("build_seconds", 0.0)
            for name in NUMBER_FIELDS:
                catalogue.numbers[name] = data[f"number_{name}"].copy()
            texts = _unjson(data["texts"])
            for name in TEXT_FIELDS:
                catalogue.texts[name] = texts[name]
            catalogue.flags = _unbitmaps("flags", meta["flags"], data)
            catalogue.languages = _unbitmaps("languages", meta["languages"], data)
            catalogue.tags = _unbitmaps("tags", meta["tags"], data)
            catalogue.main_tags = _unbitmaps("main_tags", meta["main_tags"], data)
            catalogue.work_main = Ragged(
                data["work_main_offsets"].copy(), data["work_main_values"].copy()
            )
            catalogue.creators = _unbitmaps("creators", meta["creators"], data)
            catalogue.work_tags = Ragged(
                data["work_tags_offsets"].copy(), data["work_tags_values"].copy()
            )
            catalogue.work_creators = Ragged(
                data["work_creators_offsets"].copy(), data["work_creators_values"].copy()
            )
            catalogue.groups = _unbitmaps("groups", meta["groups"], data)
            catalogue.work_groups = Ragged(
                data["work_groups_offsets"].copy(), data["work_groups_values"].copy()
            )
            catalogue.tag_type = {int(k): v for k, v in meta["tag_type"]}
    except (OSError, ValueError, KeyError):
        return None
    catalogue.finish()
    stamp = meta.get("stamp")
    return catalogue, ((stamp[0], stamp[1]) if stamp else None)
