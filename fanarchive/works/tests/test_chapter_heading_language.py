"""A chapter's heading ("Chapter 2") is written in the reader's language on pages, and
stays English in the API's data."""

from __future__ import annotations

import pytest

from fanarchive.core.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_chapter_headings_follow_the_page_language_but_not_the_api(client):
    work = make_work(make_user("heading_writer"), chapters=2, title="Two Tides")
    second = work.chapters.get(position=2)
    index = f"/works/{work.pk}/navigate/"
    assert "Chapter 2" in client.get(index).content.decode()
    spanish = client.get(index, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Capítulo 2" in spanish and "Chapter 2" not in spanish
    api = client.get(f"/api/v1/works/{work.pk}/chapters/{second.pk}", HTTP_ACCEPT_LANGUAGE="es")
    assert api.status_code == 200 and api.json()["heading"] == "Chapter 2"
