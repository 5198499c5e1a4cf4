"""A work imported in a batch is stored exactly as the same work posted through the service.

`works_import` reads what every file would look up the same way once per batch, and
`work_create` builds the search document, stats and revisions from what it has in
memory instead of reading them back. These tests compare everything stored.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.search import parse
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.discovery.tagging import filter_tag_ids
from fanarchive.formats.import_files import collect
from fanarchive.formats.import_services import IMPORTED, ImportOptions, parse_upload, works_import
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.models import ImportRecord
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.catalogue_services import search_document_refresh
from fanarchive.works.models import Work
from fanarchive.works.services import work_create
from fanarchive.wrangling.services import tag_add_metatag, tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db

STORY = """Title: The Eighth Boat
Author: {author}
Rating: Teen
Warnings: No Archive Warnings Apply
Fandom: HT Books, Harbour Tales (Books)
Relationship: Mira/Tomas
Characters: Mira Vale, Tomas
Additional Tags: Found Family, Storms
Summary: Mira waits for the last boat.

Notes: Written for the harbour exchange.

Chapter 1: The Count

The lantern swung above the harbour as Mira counted the boats coming home.

\u201cSeven,\u201d she said. \u201cThere should be eight.\u201d

* * *

Tomas carried the rope down to the shingle.

Chapter 2: The Storm

The storm broke at noon and nobody slept in the lighthouse that night.

Notes: Thanks for reading.
"""

SKIPPED = {"id", "work", "chapter", "created_at", "updated_at", "published_at"}
SKIPPED |= {"first_posted_at", "revised_at", "created_by"}


def _row(instance: Model) -> dict[str, Any]:
    return {
        f.attname: getattr(instance, f.attname)
        for f in instance._meta.concrete_fields
        if f.name not in SKIPPED and f.attname not in {"work_id", "chapter_id", "created_by_id"}
    }


def stored(work: Work) -> dict[str, Any]:
    """Everything the archive keeps about a work, without ids and times."""
    chapters = list(work.chapters.order_by("position"))
    document = SearchDocument.objects.get(work=work)
    return {
        "work": _row(work),
        "chapters": [_row(c) for c in chapters],
        "tags": [(wt.tag_id, wt.position) for wt in work.work_tags.order_by("position")],
        "creators": [(c.pseud_id, c.position) for c in work.creatorships.order_by("position")],
        "chapter_revisions": [_row(r) for c in chapters for r in c.revisions.order_by("id")],
        "work_revisions": [r.data for r in work.revisions.order_by("id")],
        "changes": CatalogueChange.objects.filter(work_id=work.pk).count(),
        "document": _row(document),
        "filter_tags": filter_tag_ids([work.pk])[work.pk],
    }


@pytest.fixture
def wrangled() -> dict[str, Tag]:
    """ "HT Books" is a synonym of "Harbour Tales (Books)", whose metatag is "Harbour Tales"."""
    admin = make_user("bulk_admin", is_staff=True)
    books, synonym, meta = (
        tags_find_or_create(tag_type=TagType.FANDOM, names=[name])[0]
        for name in ("Harbour Tales (Books)", "HT Books", "Harbour Tales")
    )
    for tag in (books, meta):
        tag_set_canonical(user=admin, tag=tag, canonical=True)
    tag_make_synonym(user=admin, tag=synonym, canonical=books)
    tag_add_metatag(user=admin, tag=books, metatag=meta)
    return {"books": books, "synonym": synonym, "meta": meta}


def test_a_work_imported_in_a_batch_is_stored_as_the_service_posts_it(
    user: User, tmp_path: Path, wrangled: dict[str, Tag]
) -> None:
    text = STORY.format(author=user.username)
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "boat.txt").write_text(text, encoding="utf-8")
    (folder / "other.txt").write_text(text.replace("Eighth", "Ninth"), encoding="utf-8")
    outcomes = works_import(user=user, items=collect([folder]), options=ImportOptions(post=True))
    assert [o.status for o in outcomes] == [IMPORTED, IMPORTED], outcomes
    assert outcomes[0].work_id is not None
    imported = Work.objects.get(pk=outcomes[0].work_id)

    parsed = parse_upload(
        user=user, source=Source("boat.txt", text.encode()), options=ImportOptions(post=True)
    )
    posted = work_create(user=user, data=parsed.work, chapters=parsed.chapters, post=True)

    assert stored(imported) == stored(posted)
    facts = stored(imported)
    assert facts["work"]["posted_chapters"] == 2 and facts["work"]["complete"]
    assert facts["work"]["word_count"] == sum(c["word_count"] for c in facts["chapters"])
    assert facts["changes"] == 1 and len(facts["work_revisions"]) == 1
    assert {t.pk for t in wrangled.values()} <= facts["filter_tags"]
    document = facts["document"]
    assert document["creators"] == f"{user.username} {user.username}"
    assert "HT Books" in document["tags"] and "Harbour Tales (Books)" in document["tags"]
    assert "nobody slept in the lighthouse" in document["body"]


def test_the_created_search_document_is_what_a_refresh_writes(
    user: User, wrangled: dict[str, Tag]
) -> None:
    parsed = parse_upload(
        user=user,
        source=Source("boat.txt", STORY.format(author=user.username).encode()),
        options=ImportOptions(post=True),
    )
    work = work_create(user=user, data=parsed.work, chapters=parsed.chapters, post=True)
    created = _row(SearchDocument.objects.get(work=work))
    search_document_refresh(work_id=work.pk)
    assert _row(SearchDocument.objects.get(work=work)) == created


def test_imported_works_are_found_by_text_and_by_wrangled_filters(
    user: User, tmp_path: Path, wrangled: dict[str, Tag]
) -> None:
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "boat.txt").write_text(STORY.format(author=user.username), encoding="utf-8")
    works_import(user=user, items=collect([folder]), options=ImportOptions(post=True))
    work = Work.objects.get()
    viewer = viewer_for(AnonymousUser())
    for tag in wrangled.values():
        found = works_find(viewer=viewer, spec=Filter(include=(tag.pk,)), text=None)
        assert [w.pk for w in found.works] == [work.pk], tag.name
    hits = works_find(viewer=viewer, spec=Filter(), text=parse('"rope down to the shingle"'))
    assert [w.pk for w in hits.works] == [work.pk]


def test_a_draft_import_has_no_search_document(user: User, tmp_path: Path) -> None:
    (tmp_path / "boat.txt").write_text(STORY.format(author=user.username), encoding="utf-8")
    outcomes = works_import(user=user, items=collect([tmp_path]), options=ImportOptions())
    assert outcomes[0].status == IMPORTED and outcomes[0].work_id is not None
    assert not SearchDocument.objects.exists()
    assert CatalogueChange.objects.filter(work_id=outcomes[0].work_id).count() == 1


def test_a_big_batch_parsed_in_a_second_process_imports_as_a_small_one(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past PARALLEL_AT files the parsing runs ahead in a forked process: the same works,
    in the same order, with the same failures (named) and in-batch duplicates."""
    from fanarchive.formats import import_services as services

    folder = tmp_path / "texts"
    folder.mkdir()
    for n in range(6):
        text = STORY.format(author=user.username).replace("Eighth", f"Boat {n}")
        (folder / f"story-{n}.txt").write_text(text, encoding="utf-8")
    (folder / "story-2b.txt").write_text(  # the same bytes as story-2.txt
        (folder / "story-2.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "story-3b.txt").write_bytes(b"\x00\x01\x02 not a text file \xff" * 40)

    pools: list[object] = []
    parser_for = services._parser_for

    @contextmanager
    def recording(files: int) -> Iterator[Any]:
        with parser_for(files) as pool:
            pools.append(pool)
            yield pool

    monkeypatch.setattr(services, "_parser_for", recording)

    def run(parallel_at: int) -> list[tuple[str, str, str]]:
        monkeypatch.setattr(services, "PARALLEL_AT", parallel_at)
        monkeypatch.setattr(services, "PARSE_AHEAD", 2)
        outcomes = works_import(
            user=user, items=collect([folder]), options=ImportOptions(post=True)
        )
        titles = {w.pk: w.title for w in Work.objects.all()}
        return [
            (o.source.rsplit("/", 1)[-1], o.status, titles.get(o.work_id or 0, o.reason))
            for o in outcomes
        ]

    forked = run(parallel_at=1)
    # The same files again in a second batch: all known, nothing new parsed or made.
    again = run(parallel_at=1)
    Work.objects.all().delete()
    ImportRecord.objects.all().delete()
    alone = run(parallel_at=10_000)
    assert forked == alone
    assert pools[0] is not None and pools[2] is None  # forked, then not
    statuses = {name: status for name, status, _ in forked}
    assert statuses["story-2b.txt"] == "duplicate" and statuses["story-3b.txt"] == "failed"
    assert sum(status == IMPORTED for status in statuses.values()) == 6
    assert {status for _, status, _ in again} == {"duplicate", "failed"}
    assert Work.objects.count() == 6
