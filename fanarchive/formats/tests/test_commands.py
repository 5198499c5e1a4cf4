"""`fanarchive import` and `fanarchive export`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.formats.tests import helpers
from fanarchive.works.models import Series, Work
from fanarchive.works.series_selectors import is_series_creator

STORY = "Title: The Keeper\nAuthor: Wren\n\nThe lantern swung above the harbour.\n"


def _run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_json_report_and_idempotent_rerun(user: User, tmp_path: Path) -> None:
    (tmp_path / "keeper.txt").write_text(STORY)
    (tmp_path / "ferry.html").write_text(helpers.AO3_HTML)
    out, _ = _run(
        "import",
        str(tmp_path),
        "--as",
        "writer",
        "--fandom",
        "Harbour Tales",
        "--json",
        "--no-progress",
        "--publish",
    )
    report = {Path(r["source"]).name: r for r in json.loads(out)}
    assert report["keeper.txt"]["status"] == "imported"
    assert report["ferry.html"]["status"] == "imported"
    ferry = Work.objects.get(pk=report["ferry.html"]["work_id"])
    assert ferry.posted and ferry.title == "The Night Ferry"
    out, _ = _run("import", str(tmp_path), "--as", "writer", "--json", "--no-progress")
    assert {r["status"] for r in json.loads(out)} == {"duplicate"}
    assert Work.objects.count() == 2


def test_import_attaches_the_series_the_files_name(user: User, tmp_path: Path) -> None:
    # helpers.AO3_HTML is "Part 2 of River Nights"; files are imported in name order.
    (tmp_path / "b-ferry.html").write_text(helpers.AO3_HTML)
    (tmp_path / "a-quay.txt").write_text(
        "Title: The Quay\nFandom: River Ports\nSeries: Part 1 of River Nights\n\n"
        "The barges slept along the quay.\n"
    )
    out, _ = _run("import", str(tmp_path), "--as", "writer", "--json", "--no-progress")
    report = {Path(r["source"]).name: r for r in json.loads(out)}
    assert {r["status"] for r in report.values()} == {"imported"}
    series = Series.objects.get(title="River Nights")
    assert is_series_creator(user, series)
    assert list(series.series_works.values_list("work_id", "position")) == [
        (report["a-quay.txt"]["work_id"], 1),
        (report["b-ferry.html"]["work_id"], 2),
    ]


def test_import_dry_run(user: User, tmp_path: Path) -> None:
    (tmp_path / "keeper.txt").write_text(STORY)
    out, _ = _run(
        "import",
        str(tmp_path / "keeper.txt"),
        "--as",
        "writer",
        "--fandom",
        "X",
        "--dry-run",
        "--no-progress",
    )
    assert "would import:" in out and "The Keeper" in out
    assert "Not Rated" in out
    assert Work.objects.count() == 0


def test_import_failure_names_the_file_and_exits_non_zero(user: User, tmp_path: Path) -> None:
    (tmp_path / "bad.txt").write_bytes(b"Title: x\n\xc3\xa9\nok\n\xff broken")
    out = StringIO()
    with pytest.raises(CommandError, match="1 of 1 files could not be imported"):
        call_command(
            "import",
            str(tmp_path / "bad.txt"),
            "--as",
            "writer",
            "--no-progress",
            stdout=out,
            stderr=StringIO(),
        )
    assert f"failed: {tmp_path / 'bad.txt'}:4: is not valid UTF-8" in out.getvalue()
    assert Work.objects.count() == 0


def test_import_needs_a_known_user_and_pseud(user: User, tmp_path: Path) -> None:
    (tmp_path / "k.txt").write_text(STORY)
    with pytest.raises(CommandError, match='no user named "nobody"'):
        _run("import", str(tmp_path), "--as", "nobody")
    with pytest.raises(CommandError, match='no pseud named "Ghost"'):
        _run("import", str(tmp_path), "--as", "writer", "--pseud", "Ghost")


def test_export_one_work_and_all(user: User, tmp_path: Path) -> None:
    work = make_work(user, title="Lamp")
    make_work(user, post=False)
    _run("export", str(work.pk), "--format", "txt", "-o", str(tmp_path / "lamp.txt"))
    assert (tmp_path / "lamp.txt").read_text().startswith("Title: Lamp")
    _run("export", "--all", str(tmp_path / "all"), "--format", "html", "--no-progress")
    assert [p.name for p in (tmp_path / "all").iterdir()] == [f"{work.pk}-Lamp.html"]


def test_export_refuses_drafts(user: User, tmp_path: Path) -> None:
    draft = make_work(user, post=False)
    with pytest.raises(CommandError, match="drafts are never exported"):
        _run("export", str(draft.pk), "-o", str(tmp_path / "d.epub"))
