"""Importing files and folders: per-file outcomes, idempotency, nothing half-written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest

from fanarchive.accounts.models import User
from fanarchive.formats import limits
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.models import ImportRecord
from fanarchive.formats.services import (
    DUPLICATE,
    FAILED,
    IMPORTED,
    WOULD_IMPORT,
    ImportOptions,
    ImportOutcome,
    collect,
    work_import,
    works_import,
)
from fanarchive.formats.tests import helpers
from fanarchive.tags.fixed import CHOSE_NOT_TO_WARN, NOT_RATED
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Work

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
    from fanarchive.accounts.services import pseud_create

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
