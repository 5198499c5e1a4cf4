"""`discovery.tagging`: where the index files the works it reads by id, whether their ids
fill their span (read by range) or are scattered (read by an IN list)."""

from __future__ import annotations

from typing import Any

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery import tagging
from fanarchive.discovery.tagging import filings
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import implied_tag_ids
from fanarchive.works.models import WorkTag
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db


def expected(work_ids: list[int]) -> dict[int, set[int]]:
    """Each work's own tags and what they imply, read plainly."""
    own = list(WorkTag.objects.filter(work_id__in=work_ids).values_list("work_id", "tag_id"))
    implied = implied_tag_ids({tag_id for _, tag_id in own})
    filed: dict[int, set[int]] = {}
    for work_id, tag_id in own:
        filed.setdefault(work_id, set()).update(implied[tag_id])
    return filed


def as_dict(works, tags) -> dict[int, set[int]]:
    filed: dict[int, set[int]] = {}
    for work_id, tag_id in zip(works.tolist(), tags.tolist(), strict=True):
        filed.setdefault(work_id, set()).add(tag_id)
    return filed


def test_works_asked_by_id_are_filed_alike_whether_dense_or_scattered() -> None:
    writer = make_user("spanwriter")
    admin = make_user("spanwrangler", is_staff=True)
    works = [
        make_work(writer, title=f"Span {n}", freeforms=[f"Trope {n % 3}", "Lanterns"])
        for n in range(9)
    ]
    lanterns = Tag.objects.get(type=TagType.FREEFORM, name="Lanterns")
    lights = Tag.objects.create(type=TagType.FREEFORM, name="Lights")
    tag_set_canonical(user=admin, tag=lights, canonical=True)
    tag_make_synonym(user=admin, tag=lanterns, canonical=lights)
    ids = [work.pk for work in works]
    dense = ids[0:3] + ids[4:6]  # 5 of a span of 6: read by range, the missing one left out
    scattered = [ids[0], ids[8]]  # 2 of a span of 9: read by an IN list
    for asked in (dense, scattered, ids):
        found = filings(types={}, work_ids=asked)
        assert as_dict(found.tag_works, found.tag_ids) == expected(asked)
        assert lights.pk in as_dict(found.tag_works, found.tag_ids)[asked[0]]


def test_packed_and_row_by_row_reads_file_works_alike(monkeypatch) -> None:
    """An archive past `PACKED_WORK_LIMIT` work ids reads tags a row at a time: the same
    filings, main relationships and crossovers as the packed read."""
    writer = make_user("packwriter")
    works = [
        make_work(
            writer,
            title=f"Packed {n}",
            fandoms=["Harbour Tales", "Inland Songs"] if n % 3 == 0 else ["Harbour Tales"],
            relationships=["Mira/Oren", "Oren/Tamsin"],
            main_relationships=["Oren/Tamsin"] if n % 2 else None,
        )
        for n in range(7)
    ]
    ids = [work.pk for work in works]

    def read(**scope: Any) -> list[object]:
        found = filings(types={}, **scope)
        return [
            as_dict(found.tag_works, found.tag_ids),
            as_dict(found.main_works, found.main_ids),
            found.crossovers,
        ]

    scopes: list[dict[str, Any]] = [
        {"work_ids": ids},
        {"work_ids": ids[::3]},
        {"id_range": (ids[0], ids[-1] + 1)},
    ]
    packed = [read(**scope) for scope in scopes]
    monkeypatch.setattr(tagging, "PACKED_WORK_LIMIT", 1)
    assert [read(**scope) for scope in scopes] == packed
    everything, _, crossovers = packed[0]
    assert everything == expected(ids)
    assert crossovers == {ids[0], ids[3], ids[6]}
    oren_tamsin = Tag.objects.get(type=TagType.RELATIONSHIP, name="Oren/Tamsin").pk
    mira_oren = Tag.objects.get(type=TagType.RELATIONSHIP, name="Mira/Oren").pk
    assert packed[0][1] == {
        work_id: {oren_tamsin if n % 2 else mira_oren} for n, work_id in enumerate(ids)
    }
