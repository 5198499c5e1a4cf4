"""`fanarchive import` and `fanarchive export`."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.formats import import_services
from fanarchive.formats.importers import html
from fanarchive.formats.importers.registry import Source
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


def test_import_keeps_chapter_titles_that_look_generic(user: User, tmp_path: Path) -> None:
    # A FanFicFare download with a prologue: its eighth chapter is titled "Chapter 7".
    headings = ["Prologue", *[f"Chapter {n}" for n in range(1, 9)]]
    book = helpers.make_fanficfare_epub([(h, helpers.PARAGRAPHS) for h in headings])
    (tmp_path / "salt.epub").write_bytes(book)
    out, _ = _run("import", str(tmp_path), "--as", "writer", "--json", "--no-progress")
    [report] = json.loads(out)
    assert report["status"] == "imported" and report["importer"] == "fanficfare"
    work = Work.objects.get(pk=report["work_id"])
    chapters = list(work.chapters.order_by("position"))
    assert [c.title for c in chapters] == headings
    assert chapters[7].heading == "Chapter 8: Chapter 7"


def test_import_reports_a_file_that_crashes_the_importer_and_goes_on(
    user: User, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(import_services, "PARALLEL_AT", 2)  # the forked parser, too
    parse = html.HtmlImporter.parse

    def crashing(self: html.HtmlImporter, source: Source) -> Any:
        if b"CRASH" in source.data:
            raise KeyError("an importer bug")
        return parse(self, source)

    monkeypatch.setattr(html.HtmlImporter, "parse", crashing)
    page = "<html><head><title>{}</title></head><body><p>{}</p></body></html>"
    (tmp_path / "a.html").write_text(page.format("Alpha", "The tide came in."))
    (tmp_path / "b.html").write_text(page.format("Beta", "CRASH"))
    (tmp_path / "c.html").write_text(page.format("Gamma", "The tide went out."))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 of 3 files could not be imported"):
        call_command(
            "import",
            str(tmp_path),
            "--as",
            "writer",
            "--fandom",
            "X",
            "--no-progress",
            stdout=out,
            stderr=err,
        )
    report = out.getvalue()
    failure = "could not be read: the importer met an unexpected error (KeyError)"
    assert f"failed: {tmp_path / 'b.html'}: {failure}" in report
    assert "imported: " in report and "(Alpha)" in report and "(Gamma)" in report
    assert sorted(Work.objects.values_list("title", flat=True)) == ["Alpha", "Gamma"]


def test_import_proposes_a_run_in_title_in_its_notices(user: User, tmp_path: Path) -> None:
    (tmp_path / "harbour.txt").write_text("Winter Quarters " + helpers.FLATTENED)
    (tmp_path / "plain.txt").write_text(helpers.FLATTENED)
    args = ["import", str(tmp_path), "--as", "writer", "--fandom", "X", "--no-progress"]
    proposal = 'Proposed title: "Winter Quarters". The text seems to begin with it'
    out, _ = _run(*args, "--dry-run", "--json")
    notices = {Path(r["source"]).name: r["notices"] for r in json.loads(out)}
    assert [n for n in notices["harbour.txt"] if n.startswith(proposal)]
    assert not [n for n in notices["plain.txt"] if "Proposed title" in n]
    out, _ = _run(*args)
    assert out.count(proposal) == 1
    assert 'the work is titled "Harbour" and its text is left as it is.' in out
    # Proposed, not taken: the title and the text are the file's.
    work = Work.objects.get(chapters__content__startswith="<p>Winter Quarters")
    assert work.title == "Harbour"
