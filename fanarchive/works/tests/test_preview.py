"""Previewing a work or chapter before it is posted or saved, through the real stack."""

from __future__ import annotations

import html
import re

import pytest
from django.core import mail
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import GENERAL, NO_WARNINGS
from fanarchive.tags.models import Tag
from fanarchive.works.catalogue_models import CatalogueChange, SearchDocument
from fanarchive.works.models import Chapter, ChapterRevision, Work, WorkRevision

pytestmark = pytest.mark.django_db


def work_data(**overrides: str | list[str] | None) -> dict[str, str | list[str]]:
    data: dict[str, str | list[str] | None] = {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "fandoms": "Lantern Coast",
        "relationships": "Ines/Pavel",
        "freeforms": "Quiet Mornings",
        "title": "Salt and Ink",
        "summary": "Ines keeps the <em>lighthouse</em> log.",
        "notes": "Written for a rainy week.",
        "language": "en",
        "expected_chapters": "1",
        "text_format": "html",
        "text": "<p>The <b>lamp</b> turned.</p><p>Pavel <i>waved</i> from the pier.</p>",
        "preview": "1",
        "gifts": "A Friend",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def archive_snapshot() -> tuple[int, ...]:
    return (
        Work.objects.count(),
        Chapter.objects.count(),
        Tag.objects.count(),
        SearchDocument.objects.count(),
        CatalogueChange.objects.count(),
        WorkRevision.objects.count(),
        ChapterRevision.objects.count(),
    )


def hidden_fields(page: str, button: str) -> dict[str, list[str]]:
    """What the preview page's form sends back when `button` is pressed (its hidden inputs)."""
    form = page[page.index('class="preview-actions"') :]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        if name == "csrfmiddlewaretoken":
            continue
        data.setdefault(name, []).append(html.unescape(value))
    data[button] = ["1"]
    return data


# -- a new work ----------------------------------------------------------------------


def test_preview_of_a_new_work_shows_it_as_readers_will_and_saves_nothing(user_client, user):
    before = archive_snapshot()
    response = user_client.post(reverse("works:new"), work_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing has been saved or posted yet" in page
    # The work page's meta block, preface and text, rendered as the work page does.
    assert "Lantern Coast" in page and "Ines/Pavel" in page and "Quiet Mornings" in page
    assert GENERAL in page and NO_WARNINGS in page
    assert '<h1 class="title" id="work-title">Salt and Ink</h1>' in page
    assert "<em>lighthouse</em>" in page and "Written for a rainy week." in page
    assert "<p>The <b>lamp</b> turned.</p>" in page
    assert "writer" in page  # the byline
    assert '<dd class="chapters">1/1</dd>' in page
    # The buttons of AO3's preview.
    for button in ('name="post"', 'name="save_draft"', 'name="edit"'):
        assert button in page
    # Nothing was written, announced or mailed.
    assert archive_snapshot() == before
    assert not Work.objects.exists()
    assert not mail.outbox


def test_a_previewed_new_work_is_nowhere_public(client, user):
    client.force_login(user)
    client.post(reverse("works:new"), work_data())
    client.logout()
    assert "Salt and Ink" not in client.get(reverse("works:list")).content.decode()
    assert "Salt and Ink" not in client.get(reverse("works:list"), {"q": "lamp"}).content.decode()
    assert client.get("/api/v1/works").json()["items"] == []
    profile = client.get(reverse("accounts:profile", args=[user.username])).content.decode()
    assert "Salt and Ink" not in profile


def test_post_from_the_preview_posts_what_was_previewed(user_client, user):
    url = reverse("works:new")
    page = user_client.post(url, work_data()).content.decode()
    response = user_client.post(url, hidden_fields(page, "post"))
    work = Work.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert work.posted and work.title == "Salt and Ink"
    chapter = work.chapters.get()
    assert (
        chapter.content == "<p>The <b>lamp</b> turned.</p><p>Pavel <i>waved</i> from the pier.</p>"
    )
    assert {t.name for t in work.tags.all()} >= {"Lantern Coast", "Ines/Pavel"}
    assert not work.restricted


def test_save_as_draft_and_edit_from_the_preview(user_client, user):
    url = reverse("works:new")
    page = user_client.post(url, work_data()).content.decode()
    edit = user_client.post(url, hidden_fields(page, "edit"))
    assert edit.status_code == 200 and not Work.objects.exists()
    form = edit.content.decode()
    assert 'name="title"' in form and 'value="Salt and Ink"' in form
    assert "Pavel &lt;i&gt;waved&lt;/i&gt;" in form  # the text, back in the textarea
    assert "nothing was saved" not in form
    user_client.post(url, hidden_fields(page, "save_draft"))
    work = Work.objects.get()
    assert not work.posted and work.title == "Salt and Ink"


def test_hostile_html_in_a_preview_is_sanitised(user_client):
    hostile = (
        '<p onclick="steal()">Hello</p><script>alert(1)</script>'
        '<a href="javascript:alert(2)">link</a><img src="x" onerror="alert(3)">'
        "<style>body{display:none}</style><iframe src='https://example.com'></iframe>"
    )
    page = user_client.post(
        reverse("works:new"),
        work_data(text=hostile, summary='<b onmouseover="x()">Bold</b><script>bad()</script>'),
    ).content.decode()
    article = page[page.index('<article class="work preview"') : page.index("</article>")]
    assert "<p>Hello</p>" in article
    for bad in ("onclick", "<script", "javascript:", "onerror", "<style", "<iframe", "onmouseover"):
        assert bad not in article, bad
    assert "alert(1)" not in article and "bad()" not in article
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Please enter a title."),
        ({"fandoms": ""}, "fandom"),
        ({"text": "  "}, "empty"),
        ({"expected_chapters": "lots"}, "Enter the number of chapters you expect"),
    ],
)
def test_bad_input_in_a_preview_gives_the_form_back(user_client, overrides, message):
    before = archive_snapshot()
    response = user_client.post(reverse("works:new"), work_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert "nothing was saved" in page and message in page
    assert "preview-actions" not in page
    assert archive_snapshot() == before


def test_preview_needs_login(client):
    response = client.post(reverse("works:new"), work_data())
    assert response.status_code == 302 and "/login/" in response.url


# -- editing a posted work -----------------------------------------------------------


def test_preview_of_an_edit_leaves_the_public_work_unchanged_until_update(client, user):
    work = make_work(user, title="Harbour Lights", fandoms=["Lantern Coast"])
    client.force_login(user)
    url = reverse("works:edit", args=[work.pk])
    before = archive_snapshot()
    data = work_data(title="Harbour Lights Renamed", fandoms="Lantern Coast, Night Ferry")
    del data["text"], data["text_format"]
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Harbour Lights Renamed" in page and "Night Ferry" in page
    assert work.chapters.get().content in page  # the chapter as it stands
    assert 'name="update"' in page and 'name="edit"' in page and 'name="post"' not in page
    assert archive_snapshot() == before

    # Readers still see the work as it was.
    client.logout()
    reader_page = client.get(work.get_absolute_url()).content.decode()
    assert "Harbour Lights Renamed" not in reader_page and "Night Ferry" not in reader_page
    work.refresh_from_db()
    assert work.title == "Harbour Lights" and work.posted
    assert not Tag.objects.filter(name="Night Ferry").exists()

    client.force_login(user)
    response = client.post(url, hidden_fields(page, "update"))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Harbour Lights Renamed"
    assert "Night Ferry" in {t.name for t in work.tags.all()}


def test_only_creators_may_preview_an_edit(client, user):
    work = make_work(user, title="Harbour Lights")
    client.force_login(make_user("intruder"))
    data = work_data(title="Stolen")
    response = client.post(reverse("works:edit", args=[work.pk]), data)
    assert response.status_code == 403
    work.refresh_from_db()
    assert work.title == "Harbour Lights"


# -- chapters ------------------------------------------------------------------------


def chapter_data(**overrides: str | None) -> dict[str, str]:
    data: dict[str, str | None] = {
        "title": "Low Tide",
        "summary": "The boats come home.",
        "text_format": "html",
        "text": "<p>The <i>tide</i> went out.</p>",
        "expected_chapters": "2",
        "preview": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_preview_of_a_new_chapter(client, user, other_user):
    work = make_work(user, expected_chapters=None)
    client.force_login(user)
    url = reverse("works:chapter_new", args=[work.pk])
    before = archive_snapshot()
    response = client.post(url, chapter_data())
    assert response.status_code == 200
    page = response.content.decode()
    assert "<p>The <i>tide</i> went out.</p>" in page
    assert "Chapter 2" in page and "Low Tide" in page and "The boats come home." in page
    assert '<dd class="chapters">2/2</dd>' in page
    assert archive_snapshot() == before
    # Nothing new for readers.
    client.force_login(other_user)
    assert "tide" not in client.get(work.get_absolute_url()).content.decode()
    assert work.chapters.count() == 1
    # Posting from the preview adds it.
    client.force_login(user)
    client.post(url, hidden_fields(page, "post"))
    chapter = work.chapters.get(position=2)
    assert chapter.posted and chapter.content == "<p>The <i>tide</i> went out.</p>"


def test_preview_of_a_chapter_edit_keeps_the_chapter_until_update(client, user):
    work = make_work(user)
    chapter = work.chapters.get()
    old = chapter.content
    client.force_login(user)
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    form = client.get(url).content.decode()
    assert 'name="preview"' in form
    base = form.split('name="base_version" value="')[1].split('"')[0]
    data = chapter_data(text="<p>A <b>new</b> ending.</p>", expected_chapters=None)
    data["base_version"] = base
    page = client.post(url, data).content.decode()
    assert "<p>A <b>new</b> ending.</p>" in page
    chapter.refresh_from_db()
    assert chapter.content == old
    client.post(url, hidden_fields(page, "update"))
    chapter.refresh_from_db()
    assert chapter.content == "<p>A <b>new</b> ending.</p>"


def test_bad_chapter_preview_gives_the_form_back(user_client, user):
    work = make_work(user, expected_chapters=None)
    before = archive_snapshot()
    response = user_client.post(
        reverse("works:chapter_new", args=[work.pk]), chapter_data(text=" ")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The chapter text is empty" in page and "preview-actions" not in page
    assert archive_snapshot() == before


def test_the_forms_have_a_preview_button(user_client, user):
    work = make_work(user)
    for url in (
        reverse("works:new"),
        reverse("works:edit", args=[work.pk]),
        reverse("works:chapter_new", args=[work.pk]),
    ):
        page = user_client.get(url).content.decode()
        assert '<button type="submit" name="preview" value="1"' in page, url
