"""Importing files and folders: per-file outcomes, idempotency, nothing half-written."""

from __future__ import annotations

import io
import logging
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.db import IntegrityError

from fanarchive.accounts.models import User
from fanarchive.formats import import_services as services
from fanarchive.formats import limits
from fanarchive.formats.errors import ImportFailed
from fanarchive.formats.import_files import Item, collect
from fanarchive.formats.import_services import (
    DUPLICATE,
    FAILED,
    IMPORTED,
    WOULD_IMPORT,
    ImportOptions,
    ImportOutcome,
    work_import,
    works_import,
)
from fanarchive.formats.importers import plaintext
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.models import ImportRecord
from fanarchive.formats.tests import helpers
from fanarchive.tags.fixed import CHOSE_NOT_TO_WARN, NOT_RATED
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Series, Work
from fanarchive.works.series_selectors import is_series_creator
from fanarchive.works.series_services import series_create
from fanarchive.works.services import work_create

STORY = "Title: The Keeper\nFandom: Harbour Tales\n\nThe lantern swung above the harbour.\n"


def _import(user: User, name: str, data: bytes | str, **options: Any) -> ImportOutcome:
    raw = data.encode() if isinstance(data, str) else data
    return work_import(user=user, source=Source(name, raw), options=ImportOptions(**options))


def _work(outcome: ImportOutcome) -> Work:
    assert outcome.work_id is not None, outcome.reason
    return Work.objects.get(pk=outcome.work_id)


def test_import_creates_a_draft_with_the_archive_defaults(user: User) -> None:
    outcome = _import(user, "keeper.txt", STORY)
    assert outcome.status == IMPORTED
    work = _work(outcome)
    assert not work.posted
    assert [t.name for t in work.tags_of(TagType.RATING)] == [NOT_RATED]
    assert [t.name for t in work.tags_of(TagType.WARNING)] == [CHOSE_NOT_TO_WARN]
    assert work.creatorships.get().pseud == user.default_pseud
    assert ImportRecord.objects.get(work=work).source_name == "keeper.txt"


def test_publish_posts_the_work(user: User) -> None:
    outcome = _import(user, "keeper.txt", STORY, post=True)
    assert _work(outcome).posted


def test_reimport_is_skipped_by_content_hash(user: User, other_user: User) -> None:
    first = _import(user, "keeper.txt", STORY)
    again = _import(user, "renamed.txt", STORY)
    assert again.status == DUPLICATE and again.work_id == first.work_id
    assert Work.objects.count() == 1
    # Someone else may import the same file.
    assert _import(other_user, "keeper.txt", STORY).status == IMPORTED


def test_dry_run_writes_nothing(user: User) -> None:
    outcome = _import(user, "keeper.txt", STORY, dry_run=True)
    assert outcome.status == WOULD_IMPORT and outcome.title == "The Keeper"
    assert Work.objects.count() == 0


def test_missing_fandom_fails_clearly_unless_a_default_is_given(user: User) -> None:
    story = "Title: Lost\n\nNo fandom is named in this file at all."
    outcome = _import(user, "lost.txt", story)
    assert outcome.status == FAILED
    assert "Please add at least one fandom." in outcome.reason
    assert Work.objects.count() == 0
    assert _import(user, "lost.txt", story, fandoms=["Original Work"]).status == IMPORTED


def test_failure_in_a_later_chapter_leaves_nothing(user: User) -> None:
    story = STORY + "\nChapter 1\n\nLong enough text here.\n\nChapter 2\n\nshort\n"
    outcome = _import(user, "bad.txt", story)
    assert outcome.status == FAILED
    assert outcome.reason.startswith("Chapter 2: The chapter text must be at least")
    assert Work.objects.count() == 0 and Chapter.objects.count() == 0


def test_a_pseud_named_like_the_author_is_used(user: User) -> None:
    from fanarchive.accounts.profile_services import pseud_create

    pseud = pseud_create(user=user, owner=user, name="Wren Hollow", description="")
    outcome = _import(user, "k.txt", STORY.replace("Fandom:", "Author: Wren Hollow\nFandom:"))
    assert _work(outcome).creatorships.get().pseud == pseud


def test_hostile_html_is_sanitised(user: User) -> None:
    page = (
        "<html><head><title>Trap</title><script>alert(1)</script></head><body>"
        '<p onclick="steal()">Hello <a href="javascript:alert(1)">there</a> friend.</p>'
        '<img src="x" onerror="alert(2)"><iframe src="https://example.org"></iframe>'
        "<style>p{}</style><p>The end.</p></body></html>"
    )
    outcome = _import(user, "trap.html", page, fandoms=["X"])
    assert outcome.status == IMPORTED
    content = Chapter.objects.get(work=_work(outcome)).content
    for bad in ("script", "onclick", "onerror", "javascript", "iframe", "alert", "<style"):
        assert bad not in content
    assert "Hello" in content and "The end." in content


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("cut.zip", helpers.make_zip({"a.txt": STORY.encode() * 50})[:200], "truncated"),
        ("garbage.txt", bytes(range(256)) * 20, "not a text file"),
        ("bad.txt", b"Title: x\n\xc3\xa9 ok\n\xff broken", "not valid UTF-8"),
        (
            "missing.epub",
            helpers.make_epub(chapters=[("One", helpers.PARAGRAPHS)], leave_out="chapter1.xhtml"),
            "not in the file",
        ),
    ],
)
def test_broken_files_fail_with_the_file_named_and_create_nothing(
    user: User, tmp_path: Path, name: str, data: bytes, reason: str
) -> None:
    (tmp_path / name).write_bytes(data)
    [outcome] = works_import(user=user, items=collect([tmp_path / name]), options=ImportOptions())
    assert outcome.status == FAILED
    assert reason in outcome.reason
    assert name in outcome.location
    assert Work.objects.count() == 0


def test_zip_bomb_is_refused(user: User, tmp_path: Path) -> None:
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("bomb.txt", b"0" * 5_000_000)
    (tmp_path / "bomb.zip").write_bytes(bomb.getvalue())
    [outcome] = works_import(
        user=user, items=collect([tmp_path / "bomb.zip"]), options=ImportOptions()
    )
    assert outcome.status == FAILED
    assert "zip bomb" in outcome.reason and "bomb.zip" in outcome.location
    assert Work.objects.count() == 0


def test_file_over_the_size_limit(user: User, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 2_000)
    (tmp_path / "big.txt").write_text(STORY + "word " * 1_000)
    [outcome] = works_import(
        user=user, items=collect([tmp_path / "big.txt"]), options=ImportOptions()
    )
    assert outcome.status == FAILED and "files over" in outcome.reason
    assert "big.txt" in outcome.location


def test_folder_and_zip_with_a_failure_in_the_middle(user: User, tmp_path: Path) -> None:
    folder = tmp_path / "works"
    folder.mkdir()
    (folder / "one.txt").write_text(STORY)
    (folder / "two.txt").write_text(STORY.replace("Keeper", "Second"))
    (folder / ".hidden.txt").write_text("ignored")
    archive = helpers.make_zip(
        {
            "three.md": STORY.replace("Keeper", "Third").encode(),
            "nested/broken.txt": b"\x00\x01\x02" * 100,
            "__MACOSX/._three.md": b"junk",
        }
    )
    (folder / "more.zip").write_bytes(archive)
    outcomes = works_import(user=user, items=collect([folder]), options=ImportOptions())
    statuses = {o.source.rsplit("/", 1)[-1]: o.status for o in outcomes}
    assert statuses == {
        "broken.txt": FAILED,
        "one.txt": IMPORTED,
        "two.txt": IMPORTED,
        "more.zip:three.md": IMPORTED,
    }
    assert Work.objects.count() == 3
    again = works_import(user=user, items=collect([folder]), options=ImportOptions())
    assert sorted(o.status for o in again) == [DUPLICATE, DUPLICATE, DUPLICATE, FAILED]
    assert Work.objects.count() == 3


# -- series named by the file -----------------------------------------------------------


def _story_in(series: str, title: str) -> str:
    return f"Title: {title}\nFandom: Harbour Tales\nSeries: {series}\n\nThe lantern swung.\n"


def _parts(series: Series) -> list[tuple[str, int]]:
    return list(series.series_works.order_by("position").values_list("work__title", "position"))


def test_a_series_named_by_the_file_is_made_and_the_parts_find_their_places(
    user: User,
) -> None:
    third = _import(user, "c.txt", _story_in("Part 3 of The Harbour Cycle", "Storm"))
    assert third.status == IMPORTED
    series = Series.objects.get()
    assert series.title == "The Harbour Cycle" and is_series_creator(user, series)
    # Part 3 of a series with no parts yet is part 1 for now, and the report says so.
    assert _parts(series) == [("Storm", 1)]
    assert any("is part 1 for now" in notice for notice in third.notices)
    _import(user, "a.txt", _story_in("Part 1 of the harbour cycle", "Lantern"))
    _import(user, "b.txt", _story_in("The Harbour Cycle [2]", "Ferry"))
    assert Series.objects.count() == 1  # found again by title, in any case
    assert _parts(series) == [("Lantern", 1), ("Ferry", 2), ("Storm", 3)]


def test_only_the_importers_own_series_is_used(user: User, other_user: User) -> None:
    theirs = series_create(user=other_user, title="The Harbour Cycle")
    outcome = _import(user, "a.txt", _story_in("Part 1 of The Harbour Cycle", "Lantern"))
    mine = Series.objects.exclude(pk=theirs.pk).get()
    assert is_series_creator(user, mine) and not theirs.series_works.exists()
    assert _parts(mine) == [("Lantern", 1)]
    assert not any("series" in notice for notice in outcome.notices)


def test_a_series_the_rules_refuse_is_left_out_with_a_notice(user: User) -> None:
    outcome = _import(user, "a.txt", _story_in("Part 1 of " + "Long " * 60, "Lantern"))
    assert outcome.status == IMPORTED and not Series.objects.exists()
    assert any("Not added to the series" in notice for notice in outcome.notices)


def test_a_failed_import_leaves_no_series_behind(user: User, monkeypatch) -> None:
    def refuse(**kwargs: Any) -> None:
        raise IntegrityError("the import record could not be written")

    monkeypatch.setattr(ImportRecord.objects, "create", refuse)
    outcome = _import(user, "a.txt", _story_in("Part 1 of The Harbour Cycle", "Lantern"))
    # No record of the file exists, so this was no racing duplicate: a failure, said so.
    assert outcome.status == FAILED and "database refused" in outcome.reason
    assert not Series.objects.exists() and not Work.objects.exists()


def test_a_file_imported_by_a_racing_process_is_a_duplicate(user: User, monkeypatch) -> None:
    story = b"Title: Lantern\nFandom: Harbour Tales\n\nThe tide came in."
    first = _import(user, "a.txt", story)
    # As if another process imported it between our look-up and our insert.
    monkeypatch.setattr(services, "imported_hashes", lambda **kwargs: {})
    again = works_import(
        user=user,
        items=[
            Item("b.txt", lambda: b"Title: Lantern\nFandom: Harbour Tales\n\nThe tide came in.")
        ],
        options=ImportOptions(),
    )
    monkeypatch.undo()
    assert again[0].status == DUPLICATE and again[0].work_id == first.work_id
    assert Work.objects.count() == 1


# -- the unexpected -----------------------------------------------------------------------


class ImporterBug(Exception):
    """What a bug in an importer raises: not an ImportFailed."""


def _crash_on(monkeypatch: pytest.MonkeyPatch, marker: bytes) -> None:
    """The plain-text importer crashes on files holding `marker`, as a bug would."""
    parse = plaintext.PlainTextImporter.parse

    def crashing(self: plaintext.PlainTextImporter, source: Source) -> Any:
        if marker in source.data:
            raise ImporterBug("an importer bug")
        return parse(self, source)

    monkeypatch.setattr(plaintext.PlainTextImporter, "parse", crashing)


@pytest.mark.parametrize("parallel", [False, True])
def test_an_importer_crash_fails_that_file_only_and_is_logged(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog, parallel: bool
) -> None:
    if parallel:  # the forked parser process, as for a big batch
        monkeypatch.setattr(services, "PARALLEL_AT", 2)
    _crash_on(monkeypatch, b"CRASH")
    for name in ("a", "b", "c"):
        text = STORY.replace("Keeper", name.upper()) + ("CRASH\n" if name == "b" else "")
        (tmp_path / f"{name}.txt").write_text(text)
    with caplog.at_level(logging.ERROR, logger="fanarchive.formats"):
        outcomes = works_import(user=user, items=collect([tmp_path]), options=ImportOptions())
    assert [(Path(o.source).name, o.status) for o in outcomes] == [
        ("a.txt", IMPORTED),
        ("b.txt", FAILED),
        ("c.txt", IMPORTED),
    ]
    assert "unexpected error" in outcomes[1].reason and "b.txt" in outcomes[1].location
    [record] = [r for r in caplog.records if r.name.startswith("fanarchive.formats")]
    assert "b.txt" in record.getMessage() and record.exc_info is not None
    assert Work.objects.count() == 2


def test_an_unexpected_error_while_saving_fails_that_file_only(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog
) -> None:
    create = work_create

    def failing(**kwargs: Any) -> Work:
        if kwargs["data"].title == "B":
            raise RuntimeError("the disk is on fire")
        return create(**kwargs)

    monkeypatch.setattr(services, "work_create", failing)
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.txt").write_text(STORY.replace("The Keeper", name.upper()))
    with caplog.at_level(logging.ERROR, logger="fanarchive.formats"):
        outcomes = works_import(user=user, items=collect([tmp_path]), options=ImportOptions())
    assert [o.status for o in outcomes] == [IMPORTED, FAILED, IMPORTED]
    assert "unexpected error" in outcomes[1].reason
    assert any(r.exc_info for r in caplog.records if r.name.startswith("fanarchive.formats"))
    assert Work.objects.count() == 2 and ImportRecord.objects.count() == 2


def test_parse_upload_turns_an_importer_crash_into_a_clear_failure(
    user: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crash_on(monkeypatch, b"CRASH")
    with pytest.raises(ImportFailed, match="unexpected error"):
        services.parse_upload(
            user=user, source=Source("x.txt", b"CRASH and burn"), options=ImportOptions()
        )


# -- a proposed title -------------------------------------------------------------------

RUN_IN = "Winter Quarters " + helpers.FLATTENED


def test_a_proposed_title_is_taken_only_as_asked(user: User) -> None:
    kept = _work(_import(user, "a.txt", RUN_IN, fandoms=["X"]))
    assert kept.title == "A"
    assert kept.chapters.get().content.startswith("<p>Winter Quarters The lantern")
    taken = _work(
        _import(
            user,
            "b.txt",
            RUN_IN + " ",
            fandoms=["X"],
            title=" Winter\nQuarters ",
            cut_proposed_title=True,
        )
    )
    assert taken.title == "Winter Quarters"
    assert taken.chapters.get().content.startswith("<p>The lantern swung")


def test_removing_a_proposed_title_needs_a_proposal(user: User) -> None:
    outcome = _import(user, "c.txt", helpers.FLATTENED, fandoms=["X"], cut_proposed_title=True)
    assert _work(outcome).chapters.get().content.startswith("<p>The lantern swung")
    assert not [n for n in outcome.notices if "Proposed title" in n]
