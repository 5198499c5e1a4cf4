"""Control characters typed into works, chapters, tags, gifts and series are removed by the
services, so the feeds, the EPUB and the comment e-mails of the work stay well.

A title holding U+0001 made `/works/feed.atom` answer 500 and the EPUB invalid XML; a
newline in it stopped every comment e-mail (a subject may not hold one).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from lxml import etree

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, run_data_migration, run_due_tasks
from fanarchive.formats.tests.conftest import run_epubcheck
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.tags.models import Tag
from fanarchive.works.autosave_services import autosave_store
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Chapter, ChapterRevision, Gift, Series, Work
from fanarchive.works.series_services import series_create, series_update, series_work_add

pytestmark = pytest.mark.django_db

TITLE = "Sea\x01 Song\nof\u2028Home\x7f"
CLEAN_TITLE = "Sea Song of Home"


def posting_form(**overrides: Any) -> dict[str, Any]:
    data = {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": "Harbour\x02 Tales",
        "characters": "Mira\x1b Vale",
        "freeforms": "Found\tFamily\x0c",
        "title": TITLE,
        # (NUL is refused by Django's form fields before the service sees it.)
        "summary": "Mira\x0f waits\x08.\r\nAll night.",
        "notes": "Thanks\x1f to my beta.",
        "endnotes": "More\ufffe soon&#1;.",  # a reference the HTML parser decodes
        "language": "en",
        "expected_chapters": "1",
        "gifts": "Old\x03\nFriend",
        "chapter_title": "Harbour\x04\r\nNight",
        "text_format": "plain",
        "text": "The lantern swung\x05 above the harbour.\x0cMorning came.",
        "post": "1",
    }
    data.update(overrides)
    return data


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def assert_outputs_are_well(
    client: Client, work: Work, *, tmp_path: Path, settings: Any, on_commit: Any
) -> None:
    """The feed, the EPUB download and a comment's notice e-mail all work for `work`.

    `client` is a guest; `settings` and `on_commit` are pytest-django's fixtures
    (`django_capture_on_commit_callbacks`: the e-mail is queued after commit).
    """
    settings.DATA_DIR = tmp_path / "data"
    response = client.get(reverse("discovery:works_feed"))
    assert response.status_code == 200
    feed = etree.fromstring(response.content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert work.title in [entry.findtext(f"{atom}title") for entry in feed.iter(f"{atom}entry")]

    response = client.get(reverse("formats:download", args=[work.pk, "epub"]))
    assert response.status_code == 200
    data = _body(response)
    with zipfile.ZipFile(io.BytesIO(data)) as epub:
        for name in epub.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx", ".xml")):
                etree.fromstring(epub.read(name))  # raises on anything XML refuses
    path = tmp_path / "work.epub"
    path.write_bytes(data)
    run_epubcheck(path)

    reader = make_user(f"reader_of_{work.pk}")
    client.force_login(reader)
    chapter = work.chapters.get(position=1)
    mail.outbox.clear()
    with on_commit(execute=True):
        response = client.post(
            reverse("engagement:comment_new", args=[work.pk, chapter.pk]), {"text": "Lovely."}
        )
    assert response.status_code == 302
    client.logout()
    run_due_tasks()
    subjects = [message.subject for message in mail.outbox]
    assert len(subjects) == 1 and subjects[0].endswith(f'New comment on "{work.title}"')


def test_a_work_posted_through_the_form_is_stored_clean_and_every_output_works(
    client: Client, user: User, tmp_path: Path, settings: Any, django_capture_on_commit_callbacks
) -> None:
    client.force_login(user)
    response = client.post(reverse("works:new"), posting_form())
    assert response.status_code == 302
    work = Work.objects.get()
    assert work.title == CLEAN_TITLE
    assert "Mira waits." in work.summary
    assert "All night." in work.summary and "\r" not in work.summary
    assert "Thanks to my beta." in work.notes
    assert "More soon." in work.endnotes
    chapter = work.chapters.get()
    assert chapter.title == "Harbour Night"
    # The form feed ends a line, so the two sentences stay apart.
    assert chapter.source == "The lantern swung above the harbour.\nMorning came."
    assert sorted(tag.name for tag in Tag.objects.filter(works=work)) == [
        "Found Family",
        "General Audiences",
        "Harbour Tales",
        "Mira Vale",
        "No Archive Warnings Apply",
    ]
    assert [gift.recipient_name for gift in work.gifts.all()] == ["Old Friend"]
    client.logout()
    assert_outputs_are_well(
        client,
        work,
        tmp_path=tmp_path,
        settings=settings,
        on_commit=django_capture_on_commit_callbacks,
    )


def test_chapter_edits_are_cleaned_too(user_client: Client, user: User) -> None:
    user_client.post(reverse("works:new"), posting_form(title="Plain"))
    work = Work.objects.get()
    chapter = work.chapters.get()
    response = user_client.post(
        reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
        {
            "title": "Dawn\x06\nTide",
            "summary": "Sun\x07rise.",
            "notes": "",
            "endnotes": "",
            "text_format": "markdown",
            "text": "*The tide*\x0e turned.\r\n\r\nAnd the boats came in.",
        },
    )
    assert response.status_code == 302
    chapter.refresh_from_db()
    assert chapter.title == "Dawn Tide"
    assert "Sunrise." in chapter.summary
    assert chapter.source == "*The tide* turned.\n\nAnd the boats came in."
    assert "\x0e" not in chapter.content


def test_series_fields_are_cleaned(user: User) -> None:
    series = series_create(user=user, title="Tides\x01\nof Home", summary="Four\x02 stories.")
    assert series.title == "Tides of Home" and "Four stories." in series.summary
    series_update(
        user=user,
        series=series,
        title="Tides\x1b",
        summary="",
        notes="Read\x7f in order.",
        complete=False,
    )
    series.refresh_from_db()
    assert series.title == "Tides" and "Read in order." in series.notes
    entry = series_work_add(user=user, work=make_work(user), new_title="New\x03\nSeries")
    assert Series.objects.get(pk=entry.series_id).title == "New Series"


def test_autosaves_keep_no_control_characters(user: User) -> None:
    saved = autosave_store(
        user=user, key="work:new", data={"title": ["Sea\x00 Song"], "text": ["Line\x01\r\nTwo"]}
    )
    assert saved.data == {"title": ["Sea Song"], "text": ["Line\nTwo"]}


def test_the_migration_cleans_stored_works_and_tells_the_catalogue(user: User) -> None:
    work = make_work(user, title="Plain", gifts=["Old Friend"])
    other = make_work(user, title="Other")
    series = series_create(user=user, title="Tides")
    chapter = work.chapters.get()
    # Rows written before the services cleaned.
    Work.objects.filter(pk=work.pk).update(title="Sea\x01\nSong", summary="<p>Mira\x02.</p>")
    Chapter.objects.filter(pk=chapter.pk).update(
        title="Dawn\x03", source="Text\x04\r\nmore", content="<p>Text\x04<br>\nmore</p>"
    )
    ChapterRevision.objects.filter(chapter=chapter).update(source="Text\x04")
    Series.objects.filter(pk=series.pk).update(title="Tides\x05", notes="<p>Read\x7f.</p>")
    Gift.objects.filter(work=work).update(recipient_name="Old\x06 Friend")
    last_change = CatalogueChange.objects.order_by("-id").values_list("id", flat=True).first()

    run_data_migration(app_label="works", name="0004_strip_control_characters")

    work.refresh_from_db()
    chapter.refresh_from_db()
    series.refresh_from_db()
    assert (work.title, work.summary) == ("Sea Song", "<p>Mira.</p>")
    assert (chapter.title, chapter.source) == ("Dawn", "Text\nmore")
    assert chapter.content == "<p>Text<br>\nmore</p>"
    assert ChapterRevision.objects.get(chapter=chapter).source == "Text"
    assert (series.title, series.notes) == ("Tides", "<p>Read.</p>")
    assert Gift.objects.get(work=work).recipient_name == "Old Friend"
    # Only the work whose own row changed is logged for the index (its title sorts it).
    logged = CatalogueChange.objects.filter(id__gt=last_change or 0)
    assert list(logged.values_list("work_id", flat=True)) == [work.pk]
    assert Work.objects.get(pk=other.pk).title == "Other"
