"""The compact layout of the catalogue index: frozen bitmaps, packed texts, ragged rows,
and the memory-mapped file they are saved to."""

from __future__ import annotations

import mmap

import numpy as np
import pytest
from pyroaring import BitMap

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index import live, store, structures
from fanarchive.discovery.index.catalogue import Catalogue
from fanarchive.discovery.index.structures import Bitmaps, Ragged, Texts


def frozen(bitmaps: dict[int, BitMap]) -> Bitmaps:
    """`bitmaps` as a saved index holds them: serialised, nothing changed yet."""
    arrays = store._packed(
        ((key, len(bitmaps[key]), bitmaps[key].serialize()) for key in sorted(bitmaps)), "x"
    )
    return Bitmaps(
        keys=arrays["x_keys"],
        offsets=arrays["x_offsets"],
        blob=arrays["x_blob"],
        counts=arrays["x_counts"],
    )


def test_frozen_bitmaps_read_like_a_dict():
    bitmaps = frozen({3: BitMap([1, 2]), 10: BitMap([5]), 40: BitMap()})
    assert bitmaps[3] == BitMap([1, 2]) and bitmaps.get(10) == BitMap([5])
    assert 40 in bitmaps and np.int64(3) in bitmaps and 4 not in bitmaps and "3" not in bitmaps
    assert bitmaps.get(4) is None and bitmaps.get(4, BitMap([9])) == BitMap([9])
    with pytest.raises(KeyError):
        bitmaps[4]
    assert sorted(bitmaps) == [3, 10, 40] and len(bitmaps) == 3
    assert dict(bitmaps.sizes()) == {3: 2, 10: 1, 40: 0}
    assert bitmaps.size(3) == 2 and bitmaps.size(99) == 0


def test_editing_copies_a_bitmap_out_and_leaves_the_frozen_bytes_alone():
    bitmaps = frozen({3: BitMap([1, 2])})
    blob = bitmaps.blob.tobytes()
    bitmaps.edit(3).add(7)
    bitmaps.edit(8).add(1)  # a new one
    assert bitmaps[3] == BitMap([1, 2, 7]) and bitmaps[8] == BitMap([1])
    assert bitmaps.blob.tobytes() == blob
    assert len(bitmaps) == 2 and sorted(bitmaps) == [3, 8]
    assert dict(bitmaps.sizes()) == {3: 3, 8: 1}
    saved = {key: (count, BitMap.deserialize(data)) for key, count, data in bitmaps.serialised()}
    assert saved == {3: (3, BitMap([1, 2, 7])), 8: (1, BitMap([1]))}


def test_the_cache_of_thawed_bitmaps_stays_within_its_budget(monkeypatch):
    monkeypatch.setattr(structures, "BITMAP_CACHE_BYTES", 4 * (2 * 100 + 64))
    bitmaps = frozen({key: BitMap(range(key, key + 100)) for key in range(20)})
    for key in range(20):
        assert bitmaps[key] == BitMap(range(key, key + 100))
    assert len(bitmaps._cache) <= 4 and bitmaps._cached_bytes <= structures.BITMAP_CACHE_BYTES
    assert list(bitmaps._cache) == [16, 17, 18, 19]  # the most recently read


def test_texts_pack_their_changes_and_room():
    texts = Texts.of(["", "Alpha", "Ünïcode"])
    assert texts[1] == "Alpha" and texts[2] == "Ünïcode" and texts[7] == ""
    texts[1] = "Beta"
    assert [texts[i] for i in (2, 1, 4)] == ["Ünïcode", "Beta", ""]
    offsets, blob = texts.packed(5)
    again = Texts(offsets, blob)
    assert [again[i] for i in range(5)] == ["", "Beta", "Ünïcode", "", ""]
    untouched = Texts.of(["", "x"])
    offsets, blob = untouched.packed(4)
    assert len(offsets) == 5 and [Texts(offsets, blob)[i] for i in range(4)] == ["", "x", "", ""]


def test_compacting_a_ragged_array_folds_its_overrides_in():
    ragged = Ragged.from_pairs(
        np.array([0, 0, 2, 3, 3]), np.array([5, 6, 7, 8, 9]), 5, ordered=True
    )
    ragged.set(2, [1, 2, 3])
    ragged.set(3, [])
    ragged.set(6, [4])  # beyond the base rows
    offsets, values = store.compact(ragged, 8)
    rows = Ragged(offsets, values)
    assert [rows.get(i).tolist() for i in range(8)] == [[5, 6], [], [1, 2, 3], [], [], [], [4], []]


def test_a_ragged_arrays_rows_read_and_set_as_pairs():
    ragged = Ragged.from_pairs(
        np.array([0, 0, 2, 3, 3]), np.array([5, 6, 7, 8, 9]), 5, ordered=True
    )
    ragged.set(2, [1, 2])
    rows, values = ragged.pairs(np.array([0, 1, 2, 3, 7]))  # 7: beyond the base rows
    assert list(zip(rows.tolist(), values.tolist(), strict=True)) == [
        (0, 5),
        (0, 6),
        (2, 1),
        (2, 2),
        (3, 8),
        (3, 9),
    ]
    ragged.set_rows(np.array([0, 3, 9]), np.array([0, 9, 9]), np.array([4, 1, 2]))
    assert [ragged.get(i).tolist() for i in (0, 1, 2, 3, 9)] == [[4], [], [1, 2], [], [1, 2]]
    assert ragged.gather(BitMap([0, 2, 4, 9])).tolist() == [4, 1, 2, 1, 2]


def test_a_saved_index_is_a_copy_on_write_map(tmp_path, db):
    work = make_work(make_user("mapped"), title="Mapped")
    catalogue = Catalogue.build(live.SOURCE)
    path = store.save(catalogue, None, tmp_path / "catalogue.bin")
    loaded = store.load(path)
    assert loaded is not None
    mapped = loaded[0]
    view = mapped.work_tags.values.base
    assert isinstance(view, memoryview) and isinstance(view.obj, mmap.mmap)
    assert len(mapped.work_tags.get(work.pk)) and mapped.texts["title"][work.pk] == "mapped"
    assert not mapped.work_tags.values.flags.writeable  # shared: never written
    assert mapped.numbers["kudos"].flags.writeable
    before = path.read_bytes()
    mapped.numbers["kudos"][0] = 12345  # a private page of this process
    assert path.read_bytes() == before
    assert store.meta_of(path)["format"] == store.FORMAT


@pytest.mark.parametrize(
    "content",
    [b"", b"not an index", store.MAGIC + (10**9).to_bytes(8, "little") + b"{", b"PK\x03\x04"],
)
def test_a_damaged_or_old_index_file_is_not_loaded(tmp_path, db, content):
    path = tmp_path / "catalogue.bin"
    path.write_bytes(content)
    assert store.load(path) is None and store.meta_of(path) is None


def test_the_biggest_bitmaps_stay_thawed_and_can_still_be_edited():
    bitmaps = frozen({1: BitMap(range(50)), 2: BitMap([7]), 3: BitMap(range(20))})
    bitmaps.keep_biggest(2)
    assert set(bitmaps._kept) == {1, 3}
    assert bitmaps.get(1) is bitmaps.get(1) and not bitmaps._cache
    bitmaps.edit(1).discard(0)
    assert 1 not in bitmaps._kept and bitmaps[1] == BitMap(range(1, 50))
    assert dict(bitmaps.sizes())[1] == 49


def test_sort_keys_are_cut_from_the_blob_as_one_at_a_time_would_be():
    titles = ["", "zebra", "Ärger", "a" * 100, "alpha", "ähnlich", "b"]
    texts = Texts.of(titles)
    texts[4] = "omega"  # changed since the save
    ids = np.array([6, 0, 3, 4, 2, 9, 1, 5])  # 9: beyond the saved rows
    keys = texts.sort_keys(ids)
    assert keys.tolist() == [texts.sort_key(i) for i in ids.tolist()]
    assert len(texts.sort_key(3)) == structures.SORT_KEY_BYTES
    # Byte order is character order: sorting keys sorts the strings.
    ordered = [int(i) for i in ids[np.lexsort((ids, keys))]]
    assert [texts[i] for i in ordered] == sorted(texts[i] for i in ids.tolist())
