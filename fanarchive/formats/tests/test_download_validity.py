"""Every download of every work is a valid file of its format, fetched as a reader would.

A small demo archive (a fixed seed) plus a work whose writer pasted hostile and broken
links goes through the download URLs; each file goes through its format's validator
(validators.py): all EPUBs through epubcheck in one Java process, HTML through the
WHATWG parser, the EPUB's XHTML strictly as XML, PDFs opened, text decoded.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.testing import make_user
from fanarchive.demo.generator import generate_demo_archive
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.tests import validators
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterInput, WorkInput, work_create

pytestmark = pytest.mark.django_db

HOSTILE_LINKS = (
    '<p>A <a href="javascript:alert(1)">script link</a> and '
    '<a href="vbscript:msgbox(1)" title="old"><em>an old</em> one</a>, '
    '<a href="data:text/html,hi">a data link</a>, <a>a bare anchor</a>, '
    '<a name="note-1">a named anchor</a>, <a href="javascript:x" name="n2">both</a>, '
    '<a href="#note-1">a footnote link</a>, <a href="/works/1">a relative one</a> '
    'and <a href="https://example.org/">a real one</a>.</p>'
    '<table><tr><td><a href="javascript:void(0)">in a cell</a></td></tr></table>'
)


def _hostile_work() -> Work:
    writer = make_user("link_paster")
    return work_create(
        user=writer,
        data=WorkInput(
            title="Links & Lanterns",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Harbour Tales"],
            summary='A summary with <a href="javascript:alert(2)">a trap</a>.',
            notes='Notes with <a href="data:,x">another</a>.',
            endnotes='End notes with <a href="vbscript:y">a third</a>.',
            expected_chapters=2,
        ),
        chapters=[
            ChapterInput(text=HOSTILE_LINKS, text_format="html", title="Traps"),
            ChapterInput(
                text='[a markdown trap](javascript:alert(3)) and <a href="javascript:z">raw</a>',
                text_format="markdown",
                notes='<a href="javascript:q">chapter notes</a>',
            ),
        ],
        post=True,
    )


def _download(client: Client, work: Work, fmt: str) -> bytes:
    url = reverse("formats:download", args=[work.pk, fmt]) + "?view_adult=true"
    response: Any = client.get(url)
    assert response.status_code == 200, (work.title, fmt, response.status_code)
    return b"".join(response.streaming_content)


def test_every_download_of_every_demo_work_passes_its_validator(
    client: Client, tmp_path: Path
) -> None:
    generate_demo_archive(works=20, seed=2024, progress=False)
    _hostile_work()
    client.force_login(make_user("downloader"))
    works = list(Work.objects.filter(posted=True, hidden_by_admin=False).order_by("pk"))
    assert len(works) >= 15
    problems: list[str] = []
    epubs: list[Path] = []
    for work in works:
        data = _download(client, work, "epub")
        problems += [f"work {work.pk} EPUB: {p}" for p in validators.epub_member_problems(data)]
        epubs.append(tmp_path / f"work-{work.pk}.epub")
        epubs[-1].write_bytes(data)
    # epubcheck (one Java process) runs while the other formats are built and checked.
    with ThreadPoolExecutor(max_workers=1) as background:
        epubcheck = background.submit(validators.epubcheck_many, epubs)
        for work in works:
            for fmt, check in (
                ("html", validators.html_problems),
                ("pdf", validators.pdf_problems),
                ("txt", validators.text_problems),
            ):
                found = check(_download(client, work, fmt))
                problems += [f"work {work.pk} ({work.title}) {fmt}: {p}" for p in found]
        problems += epubcheck.result()
    assert set(FORMATS) == {"epub", "html", "pdf", "txt"}
    assert not problems, "\n".join(problems)


def test_the_validators_see_what_they_are_for(tmp_path: Path) -> None:
    """Each validator finds the fault it exists to find (so a pass means something)."""
    page = (
        b"<!DOCTYPE html><html><head><title>t</title></head><body><p><a>x</a></div></body></html>"
    )
    assert any("without a target" in p for p in validators.html_problems(page))
    assert any("parse error" in p for p in validators.html_problems(page))
    assert validators.xhtml_problems(b"<html><body><p>open</body></html>", "a.xhtml")
    assert validators.pdf_problems(b"%PDF-1.7\nnot really\n") != []
    from weasyprint import HTML  # here, as in exporters/pdf.py: loading Pango takes a moment

    pdf = bytes(HTML(string="<p>One page.</p>").write_pdf() or b"")
    assert validators.pdf_problems(pdf) == []
    assert validators.pdf_problems(pdf[: len(pdf) // 2]) != []
    # The objects moved: the cross-reference table points at the wrong places.
    assert validators.pdf_problems(pdf.replace(b" 0 obj", b"  0 obj")) != []
    assert validators.text_problems(b"bell\x07") != []
    assert validators.text_problems(b"\xff\xfe") != []
