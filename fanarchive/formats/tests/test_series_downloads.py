"""Whole-series downloads through the test client: what each file holds, who sees which
parts, the adult-content rule, anonymous bylines, the cache, and epubcheck."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.formats.exporters import series as series_exporters
from fanarchive.formats.series_documents import series_document, series_parts
from fanarchive.formats.series_download_services import series_export
from fanarchive.formats.tests import validators
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.models import Series, Work
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.series_services import (
    series_create,
    series_reorder,
    series_update,
    series_work_add,
)
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db

FORMATS = ("epub", "pdf", "html", "txt")


def _url(series: Series, fmt: str) -> str:
    return reverse("formats:series_download", args=[series.pk, fmt])


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _as_text(fmt: str, data: bytes) -> str:
    """The file's words, to look for titles and metadata in."""
    if fmt == "epub":
        book = zipfile.ZipFile(io.BytesIO(data))
        return "\n".join(book.read(name).decode() for name in sorted(book.namelist()))
    return data.decode("utf-8")


def _series(user: User, *works: Work, title: str = "Harbour Seasons") -> Series:
    series = series_create(
        user=user,
        title=title,
        summary="<p>Four seasons at the harbour.</p>",
        notes="Read in order.",
    )
    for work in works:
        series_work_add(user=user, work=work, series=series)
    return series


@pytest.fixture
def harbour(user: User) -> dict[str, Any]:
    """A series holding a part of every kind a reader may or may not see."""
    moderator = make_user("harbour_mod")
    User.objects.filter(pk=moderator.pk).update(is_staff=True)
    moderator.refresh_from_db()
    dawn = make_work(user, title="Harbour Dawn", summary="The boats go out.", chapters=2)
    noon = make_work(user, title="Harbour Noon", restricted=True, freeforms=["Quiet Days"])
    draft = make_work(user, title="Harbour Draft", post=False)
    hidden = make_work(user, title="Harbour Hidden")
    unrevealed = make_work(user, title="Harbour Unrevealed")
    series = _series(user, dawn, noon, draft, hidden, unrevealed)
    work_set_hidden(user=moderator, work=hidden, hidden=True, reason="Checking it.")
    # What a collection does to its works until the reveal.
    Work.objects.filter(pk=unrevealed.pk).update(unrevealed=True)
    return {"series": series, "dawn": dawn, "noon": noon}


def test_series_page_links_every_format(client: Client, harbour: dict[str, Any]) -> None:
    page = client.get(harbour["series"].get_absolute_url()).content.decode()
    for fmt in FORMATS:
        assert _url(harbour["series"], fmt) in page


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_each_visible_part_is_there_with_its_own_metadata(
    client: Client, user: User, harbour: dict[str, Any], fmt: str
) -> None:
    client.force_login(make_user("series_reader"))
    response = client.get(_url(harbour["series"], fmt))
    assert 'filename="Harbour_Seasons.' in response["Content-Disposition"]
    text = _as_text(fmt, _body(response))
    for expected in (
        "Harbour Seasons",
        "Four seasons at the harbour.",
        "Read in order.",
        "Harbour Dawn",
        "The boats go out.",
        "Harbour Noon",
        "Quiet Days",
        "General Audiences",
        "No Archive Warnings Apply",
        "Harbour Tales",
        "Found Family",
        "Part 1 of Harbour Seasons",
        "Part 2 of Harbour Seasons",
        "writer",
        "Chapter 2",
    ):
        assert expected in text, expected
    for left_out in ("Harbour Draft", "Harbour Hidden", "Harbour Unrevealed"):
        assert left_out not in text
    assert text.index("Harbour Dawn") < text.index("Harbour Noon")


def test_pdf_download_is_a_valid_pdf(client: Client, harbour: dict[str, Any]) -> None:
    response = client.get(_url(harbour["series"], "pdf"))
    assert response["Content-Type"] == "application/pdf"
    data = _body(response)
    assert data.startswith(b"%PDF")
    assert validators.pdf_problems(data) == []


def test_guests_get_the_series_without_restricted_parts(
    client: Client, harbour: dict[str, Any]
) -> None:
    text = _body(client.get(_url(harbour["series"], "txt"))).decode()
    assert "Harbour Dawn" in text
    assert "Harbour Noon" not in text
    assert "Quiet Days" not in text


def test_even_creators_get_no_draft_hidden_or_unrevealed_part(
    client: Client, user: User, harbour: dict[str, Any]
) -> None:
    client.force_login(user)
    text = _body(client.get(_url(harbour["series"], "html"))).decode()
    assert "Harbour Noon" in text
    for left_out in ("Harbour Draft", "Harbour Hidden", "Harbour Unrevealed"):
        assert left_out not in text


def test_series_without_a_part_the_reader_may_see_is_404(client: Client, user: User) -> None:
    drafts_only = _series(user, make_work(user, post=False), title="Drafts Only")
    restricted_only = _series(user, make_work(user, restricted=True), title="Members Only")
    client.force_login(user)
    assert client.get(_url(drafts_only, "txt")).status_code == 404
    client.logout()
    assert client.get(_url(restricted_only, "txt")).status_code == 404
    assert client.get(reverse("formats:series_download", args=[99_999, "txt"])).status_code == 404


def test_unknown_format_is_404(client: Client, harbour: dict[str, Any]) -> None:
    assert client.get(_url(harbour["series"], "docx")).status_code == 404


def test_adult_part_asks_guests_first_and_never_gives_its_text(client: Client, user: User) -> None:
    calm = make_work(user, title="Calm Waters")
    stormy = make_work(user, title="Stormy Night", rating=EXPLICIT, texts=["Thunder rolled in."])
    series = _series(user, calm, stormy)
    response = client.get(_url(series, "txt"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This work could have adult content" in page
    assert "view_adult=true" in page
    assert "Thunder rolled in." not in page
    text = _body(client.get(_url(series, "txt") + "?view_adult=true")).decode()
    assert "Thunder rolled in." in text
    assert "Calm Waters" in text
    # Consent lasts for the session, as for single downloads.
    assert "Stormy Night" in _body(client.get(_url(series, "html"))).decode()


def test_adult_part_is_refused_where_the_policy_refuses(
    client: Client, user: User, settings: Any
) -> None:
    settings.AGE_GATE = "verified"
    series = _series(
        user, make_work(user), make_work(user, rating=EXPLICIT, texts=["A gale blew all night."])
    )
    client.force_login(make_user("unverified_reader"))
    response = client.get(_url(series, "txt") + "?view_adult=true")
    assert response.status_code == 403
    assert "A gale blew all night." not in response.content.decode()


def test_anonymous_part_names_nobody(client: Client, user: User) -> None:
    named = make_work(user, title="Signed Letter")
    masked = make_work(user, title="Unsigned Letter", anonymous=True)
    series = _series(user, named, masked, title="Letters")
    client.force_login(make_user("letter_reader"))
    text = _body(client.get(_url(series, "txt"))).decode()
    front, named_part, masked_part = text.split("=" * 60 + "\nPart ")
    # The series' byline would give the anonymous part away, as on the series page.
    assert "Author: Anonymous" in front
    assert "writer" not in front
    assert "Author: writer" in named_part
    assert "Unsigned Letter" in masked_part
    assert "Author: Anonymous" in masked_part
    assert "writer" not in masked_part
    html = _body(client.get(_url(series, "html"))).decode()
    assert 'A series by <span class="author">Anonymous</span>' in html
    assert "Unsigned Letter</a> by Anonymous</li>" in html
    assert "writer" not in html.split('id="part-2"')[1]
    book = zipfile.ZipFile(io.BytesIO(_body(client.get(_url(series, "epub")))))
    for name in ("EPUB/series.xhtml", "EPUB/part-002.xhtml", "EPUB/package.opf"):
        assert "writer" not in book.read(name).decode(), name
    assert "Anonymous" in book.read("EPUB/part-002.xhtml").decode()


def _counting_builder(monkeypatch: pytest.MonkeyPatch, fmt: str) -> list[int]:
    calls: list[int] = []
    build = series_exporters.SERIES_BUILDERS[fmt]

    def counted(document: Any) -> bytes:
        calls.append(document.series_id)
        return build(document)

    monkeypatch.setitem(series_exporters.SERIES_BUILDERS, fmt, counted)
    return calls


def test_second_download_is_served_from_the_cache(
    client: Client, user: User, harbour: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_builder(monkeypatch, "txt")
    first = _body(client.get(_url(harbour["series"], "txt")))
    second = _body(client.get(_url(harbour["series"], "txt")))
    assert first == second
    assert len(calls) == 1


def test_editing_a_part_regenerates_the_file(
    client: Client,
    user: User,
    harbour: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
    settings: Any,
) -> None:
    calls = _counting_builder(monkeypatch, "txt")
    _body(client.get(_url(harbour["series"], "txt")))
    work_update(
        user=user,
        work=harbour["dawn"],
        data=work_input(title="Harbour Daybreak", expected_chapters=2),
    )
    text = _body(client.get(_url(harbour["series"], "txt"))).decode()
    assert len(calls) == 2
    assert "Harbour Daybreak" in text
    assert "Harbour Dawn" not in text
    folder = Path(settings.DATA_DIR) / "downloads" / "series" / str(harbour["series"].pk)
    assert len(list(folder.glob("*.txt"))) == 1


def test_guests_and_members_keep_a_cached_file_each(
    client: Client, harbour: dict[str, Any], monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    calls = _counting_builder(monkeypatch, "txt")
    guest = Client()
    member = Client()
    member.force_login(make_user("member_reader"))
    for reader in (guest, member, guest, member):
        _body(reader.get(_url(harbour["series"], "txt")))
    assert len(calls) == 2
    folder = Path(settings.DATA_DIR) / "downloads" / "series" / str(harbour["series"].pk)
    assert sorted(p.name.split("-")[1] for p in folder.glob("*.txt")) == ["guest", "member"]


HOSTILE = (
    '<p>A <a href="javascript:alert(1)">trap</a>, <a name="n1">an anchor</a>, '
    '<a href="https://example.org/">a real link</a> and <img src="https://example.org/x.png" '
    'alt="a boat"> <center>centred</center>.</p>'
)


def test_series_epub_passes_epubcheck_and_html_parses_cleanly(
    client: Client, user: User, epubcheck: Callable[[bytes], None]
) -> None:
    plain = make_work(user, title="Plain Part")
    tricky = make_work(
        user,
        title="Tricky & <Part>",
        chapters=3,
        texts=["The first part.", "The second part.", "The third part."],
        endnotes="Thanks for reading.",
        notes="Some notes.",
    )
    Work.objects.filter(pk=plain.pk).update(language="de")
    plain.chapters.update(content=HOSTILE)
    series = _series(user, plain, tricky, title="Tricky & Plain")
    epub = _body(client.get(_url(series, "epub")))
    assert validators.epub_member_problems(epub) == []
    epubcheck(epub)
    html = _body(client.get(_url(series, "html")))
    assert validators.html_problems(html) == []
    assert validators.text_problems(_body(client.get(_url(series, "txt")))) == []


# -- the service and the reads, directly -----------------------------------------------


def test_series_parts_follow_the_series_order(user: User) -> None:
    first, second = make_work(user, title="Ebb"), make_work(user, title="Flow")
    series = _series(user, first, second, title="Tides")
    series_reorder(user=user, series=series, work_ids=[second.pk, first.pk])
    found, parts = series_parts(user, series.pk)
    assert found == series
    assert [work.title for work in parts] == ["Flow", "Ebb"]


def test_series_stamp_changes_with_the_series_and_its_parts(user: User) -> None:
    work = make_work(user, title="Tide Table")
    series = _series(user, work, title="Tides")
    stamp = series_document(*series_parts(user, series.pk)).stamp()
    assert series_document(*series_parts(user, series.pk)).stamp() == stamp
    series_update(
        user=user, series=series, title="Tides Renamed", summary="", notes="", complete=True
    )
    renamed = series_document(*series_parts(user, series.pk)).stamp()
    assert renamed != stamp
    series_work_add(user=user, work=make_work(user, title="Slack Water"), series=series)
    assert series_document(*series_parts(user, series.pk)).stamp() != renamed


def test_series_export_reuses_its_file_and_replaces_it_when_stale(user: User) -> None:
    work = make_work(user, title="Moorings")
    series = _series(user, work, title="Moorings Series")
    document = series_document(*series_parts(user, series.pk))
    path = series_export(document=document, fmt="txt", viewer_class="member")
    assert path.read_text().startswith("Series: Moorings Series")
    assert series_export(document=document, fmt="txt", viewer_class="member") == path
    guest_path = series_export(document=document, fmt="txt", viewer_class="guest")
    work_update(user=user, work=work, data=work_input(title="Moorings Again"))
    changed = series_document(*series_parts(user, series.pk))
    new_path = series_export(document=changed, fmt="txt", viewer_class="member")
    assert new_path != path
    assert not path.exists()
    assert guest_path.exists()
    assert "Moorings Again" in new_path.read_text()
