"""Downloads in the reader's language: what the archive adds to a file (labels, chapter
headings, the contents, a batch's README) follows the language of whoever downloads it,
each language has its own cached file, and an edit makes every old one stale. The work's
own text and `<dc:language>` are the work's; the CLI's export stays English unless asked."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.formats.download_services import export_bytes
from fanarchive.works.models import Work
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db

SPANISH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "es-ES,es;q=0.9"}
ENGLISH: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture(autouse=True)
def _english_afterwards() -> Iterator[None]:
    """A request activates its language for the rest of the thread (as Django does)."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _download(client: Client, work: Work, fmt: str, headers: dict[str, Any]) -> bytes:
    return _body(client.get(reverse("formats:download", args=[work.pk, fmt]), **headers))


def _epub_texts(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return {name: book.read(name).decode() for name in book.namelist() if name != "mimetype"}


def _files(work: Work) -> list[str]:
    folder = Path(settings.DATA_DIR) / "downloads" / str(work.pk)
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
def work(user: User) -> Work:
    return make_work(
        user,
        chapters=2,
        title="Salt Lanterns",
        notes="Written for a friend.",
        texts=["The lamp was lit.", "The boats came home."],
    )


def test_the_same_work_in_spanish_and_english(client: Client, work: Work, epubcheck) -> None:
    spanish_text = _download(client, work, "txt", SPANISH).decode()
    english_text = _download(client, work, "txt", ENGLISH).decode()

    assert "Título: Salt Lanterns" in spanish_text
    assert "Clasificación: General Audiences" in spanish_text
    assert "Resumen: A keeper counts the boats." in spanish_text
    assert "Notas: Written for a friend." in spanish_text
    assert "Capítulo 1\n" in spanish_text and "Capítulo 2\n" in spanish_text
    assert "The lamp was lit." in spanish_text  # the work itself is never translated
    assert "Title:" not in spanish_text and "Chapter 1" not in spanish_text

    assert "Title: Salt Lanterns" in english_text
    assert "Rating: General Audiences" in english_text
    assert "Chapter 1\n" in english_text and "Título" not in english_text

    # Both are kept: the Spanish file did not remove the English one.
    assert [re.sub(r"-\w+-", "-STAMP-", name, count=1) for name in _files(work)] == [
        "2-STAMP-en.txt",
        "2-STAMP-es.txt",
    ]

    spanish_epub = _download(client, work, "epub", SPANISH)
    english_epub = _download(client, work, "epub", ENGLISH)
    epubcheck(spanish_epub)
    epubcheck(english_epub)
    spanish_book = _epub_texts(spanish_epub)
    english_book = _epub_texts(english_epub)
    # The book's language is the work's, whoever downloads it.
    for book in (spanish_book, english_book):
        assert "<dc:language>en</dc:language>" in book["EPUB/package.opf"]
    assert "<dt>Clasificación:</dt>" in spanish_book["EPUB/title.xhtml"]
    assert '<p class="label">Resumen</p>' in spanish_book["EPUB/title.xhtml"]
    assert "Prefacio" in spanish_book["EPUB/nav.xhtml"]
    assert "Capítulo 2" in spanish_book["EPUB/chapter-002.xhtml"]
    assert "<dt>Rating:</dt>" in english_book["EPUB/title.xhtml"]
    assert "Preface" in english_book["EPUB/nav.xhtml"]
    assert len(_files(work)) == 4


def test_an_edit_makes_every_language_stale(client: Client, user: User, work: Work) -> None:
    _download(client, work, "txt", SPANISH)
    _download(client, work, "txt", ENGLISH)
    before = _files(work)
    assert len(before) == 2

    work_update(
        user=user,
        work=work,
        data=work_input(title="Salt Lanterns, Revised", expected_chapters=2),
    )
    spanish_text = _download(client, work, "txt", SPANISH).decode()
    assert "Título: Salt Lanterns, Revised" in spanish_text
    # The new Spanish file removed every file of the old stamp, the English one too.
    (only,) = _files(work)
    assert only.endswith("-es.txt") and only not in before
    english_text = _download(client, work, "txt", ENGLISH).decode()
    assert "Title: Salt Lanterns, Revised" in english_text
    assert len(_files(work)) == 2 and not set(_files(work)) & set(before)


def test_a_series_download_in_spanish(client: Client, user: User, work: Work, epubcheck) -> None:
    series = series_create(user=user, title="Harbour Seasons", summary="Boats.", notes="")
    series_work_add(user=user, work=work, series=series)
    url = reverse("formats:series_download", args=[series.pk, "epub"])
    spanish_book = _epub_texts(_body(client.get(url, **SPANISH)))
    english_epub = _body(client.get(url, **ENGLISH))
    english_book = _epub_texts(english_epub)
    epubcheck(english_epub)
    assert "Sobre esta serie" in spanish_book["EPUB/nav.xhtml"]
    assert "Una serie de" in spanish_book["EPUB/series.xhtml"]
    assert "1 obra" in spanish_book["EPUB/series.xhtml"]
    assert "Resumen de la serie" in spanish_book["EPUB/series.xhtml"]
    assert "Parte 1 de Harbour Seasons" in spanish_book["EPUB/part-001.xhtml"]
    assert "About this series" in english_book["EPUB/nav.xhtml"]
    folder = Path(settings.DATA_DIR) / "downloads" / "series" / str(series.pk)
    assert sorted(path.name[-7:] for path in folder.iterdir()) == ["en.epub", "es.epub"]

    text = _body(
        client.get(reverse("formats:series_download", args=[series.pk, "txt"]), **SPANISH)
    ).decode()
    assert "Serie: Harbour Seasons" in text and "Índice:" in text


def test_a_batch_download_in_spanish(client: Client, user: User, work: Work) -> None:
    reader = make_user("lectora_lotes")
    bookmark_create(user=reader, pseud=reader.default_pseud, work=work)
    client.force_login(reader)
    url = reverse("formats:batch_download", args=[reader.username, "bookmarks", "txt"])
    spanish_zip = zipfile.ZipFile(io.BytesIO(_body(client.get(url, **SPANISH))))
    english_zip = zipfile.ZipFile(io.BytesIO(_body(client.get(url, **ENGLISH))))
    readme = spanish_zip.read("README.txt").decode()
    assert readme.startswith(f"Marcadores de {settings.SITE_NAME}, en Texto: 1 obra.")
    assert english_zip.read("README.txt").decode().startswith("Bookmarks from")
    (spanish_work,) = [name for name in spanish_zip.namelist() if name != "README.txt"]
    assert "Título: Salt Lanterns" in spanish_zip.read(spanish_work).decode()
    folder = Path(settings.DATA_DIR) / "downloads" / "batches" / str(reader.pk)
    assert sorted(path.name[-6:] for path in folder.iterdir()) == ["en.zip", "es.zip"]


def test_the_cli_export_stays_english_unless_asked(work: Work) -> None:
    with translation.override("es"):
        english = export_bytes(work=work, fmt="txt").decode()
    assert "Title: Salt Lanterns" in english and "Chapter 2" in english
    spanish_text = export_bytes(work=work, fmt="txt", language="es").decode()
    assert "Título: Salt Lanterns" in spanish_text
    assert translation.get_language() == settings.LANGUAGE_CODE
