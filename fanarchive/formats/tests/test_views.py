"""Download links and the import page, through the test client."""

from __future__ import annotations

import io
from typing import Any

import lxml.html
import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_work
from fanarchive.formats.importers import html
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.tests import helpers
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.models import Series, Work


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def _url(work: Work, fmt: str) -> str:
    return reverse("formats:download", args=[work.pk, fmt])


def test_work_page_links_every_format(client: Client, user: User) -> None:
    work = make_work(user)
    page = client.get(work.get_absolute_url()).content.decode()
    for fmt in ("epub", "pdf", "html", "txt"):
        assert _url(work, fmt) in page


def test_download_text_and_epub(client: Client, user: User, epubcheck) -> None:
    work = make_work(user, title="The Keeper's Log")
    response = client.get(_url(work, "txt"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 'filename="The_Keepers_Log.txt"' in response["Content-Disposition"]
    assert b"Title: The Keeper's Log" in _body(response)
    response = client.get(_url(work, "epub"))
    assert response["Content-Type"] == "application/epub+zip"
    epubcheck(_body(response))


def test_unknown_format_is_404(client: Client, user: User) -> None:
    assert (
        client.get(reverse("formats:download", args=[make_work(user).pk, "docx"])).status_code
        == 404
    )


def test_drafts_are_never_downloadable(client: Client, user: User, other_user: User) -> None:
    draft = make_work(user, post=False)
    client.force_login(other_user)
    assert client.get(_url(draft, "txt")).status_code == 404
    client.force_login(user)
    response = client.get(_url(draft, "txt"))
    assert response.status_code == 403
    assert "Drafts cannot be downloaded" in response.content.decode()
    assert "formats/_download_links" not in response.content.decode()
    assert _url(draft, "txt") not in client.get(draft.get_absolute_url()).content.decode()


def test_restricted_works_download_only_for_logged_in_users(
    client: Client, user: User, other_user: User
) -> None:
    work = make_work(user, restricted=True)
    response = client.get(_url(work, "txt"))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(other_user)
    assert client.get(_url(work, "txt")).status_code == 200


def test_adult_works_ask_first(client: Client, user: User) -> None:
    work = make_work(user, rating=EXPLICIT)
    response = client.get(_url(work, "epub"))
    assert response.status_code == 200
    assert "This work could have adult content" in response.content.decode()
    assert "view_adult=true" in response.content.decode()
    response = client.get(_url(work, "txt") + "?view_adult=true")
    assert response["Content-Type"].startswith("text/plain")
    # Consent lasts for the session, as on the work page.
    assert client.get(_url(work, "html"))["Content-Type"].startswith("text/html")


def test_hidden_works_are_not_downloadable(client: Client, user: User) -> None:
    work = make_work(user)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert client.get(_url(work, "txt")).status_code == 403


def _upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def test_import_page_needs_login(client: Client) -> None:
    response = client.get(reverse("formats:import"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_import_page_shows_the_parsed_work_then_saves_it(user_client: Client, user: User) -> None:
    page = user_client.get(reverse("formats:import"))
    assert page.status_code == 200 and b"csrfmiddlewaretoken" in page.content
    response = user_client.post(
        reverse("formats:import"),
        {"file": _upload("harbour.txt", helpers.FLATTENED.encode()), "fandom": "Harbour Tales"},
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "Review the import of harbour.txt" in text
    assert "Harbour Tales" in text and "Not Rated" in text
    assert "csrfmiddlewaretoken" in text
    assert Work.objects.count() == 0
    token = response.context["confirm"].initial["token"]
    response = user_client.post(
        reverse("formats:import_confirm"),
        {"token": token, "fandom": "Harbour Tales", "pseud": "", "save_draft": "1"},
    )
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"] == work.get_absolute_url()
    assert not work.posted and work.title == "Harbour"
    assert work.chapters.get().content.count('<hr class="scene-break">') == 2
    assert "Thank you for reading!" in work.endnotes
    # Confirming twice does not import twice.
    again = user_client.post(reverse("formats:import_confirm"), {"token": token, "post": "1"})
    assert again.status_code == 302 and Work.objects.count() == 1


def test_import_page_shows_the_series_and_posting_adds_the_work_to_it(
    user_client: Client, user: User
) -> None:
    story = b"Title: The Quay\nFandom: River Ports\nSeries: Part 1 of River Nights\n\n"
    story += b"The barges slept along the quay.\n"
    response = user_client.post(reverse("formats:import"), {"file": _upload("quay.txt", story)})
    text = response.content.decode()
    assert "Part 1 of River Nights" in text and "added to your series" in text
    assert not Series.objects.exists()
    token = response.context["confirm"].initial["token"]
    user_client.post(reverse("formats:import_confirm"), {"token": token, "post": "1"})
    work = Work.objects.get()
    entry = work.series_works.select_related("series").get()
    assert (entry.series.title, entry.position) == ("River Nights", 1)
    page = user_client.get(work.get_absolute_url())
    assert "River Nights" in page.content.decode()


def test_import_page_explains_a_broken_file(user_client: Client) -> None:
    response = user_client.post(
        reverse("formats:import"), {"file": _upload("noise.txt", bytes(range(256)) * 20)}
    )
    assert response.status_code == 200
    assert "noise.txt: is not a text file" in response.content.decode()
    assert Work.objects.count() == 0


def test_import_page_lists_what_must_be_fixed(user_client: Client) -> None:
    response = user_client.post(
        reverse("formats:import"), {"file": _upload("lost.txt", b"Title: Lost\n\nNo fandom here.")}
    )
    text = response.content.decode()
    assert "Please add at least one fandom." in text
    assert reverse("formats:import_confirm") not in text


def _review(user_client: Client, name: str, data: bytes, fandom: str = "Harbour Tales") -> Any:
    response = user_client.post(
        reverse("formats:import"), {"file": _upload(name, data), "fandom": fandom}
    )
    assert response.status_code == 200
    return response


def _confirm(user_client: Client, review: Any, **fields: str) -> Any:
    data = {"token": review.context["confirm"].initial["token"], "fandom": "Harbour Tales"}
    return user_client.post(reverse("formats:import_confirm"), {**data, "pseud": "", **fields})


def test_a_centred_marker_in_an_html_import_becomes_a_scene_break(user_client: Client) -> None:
    page = (
        "<html><head><title>The Pass</title></head><body><p>Before the pass.</p>"
        '<p align="center">* * *</p><p>Between.</p><center>~~~</center>'
        '<p style="text-align:center"><b>&#9733;</b></p><p>After it.</p></body></html>'
    )
    review = _review(user_client, "pass.html", page.encode())
    _confirm(user_client, review, post="1")
    content = Work.objects.get().chapters.get().content
    assert content.count('<hr class="scene-break">') == 3
    assert "*" not in content and "~" not in content and "\u2605" not in content


def test_a_run_in_title_is_proposed_and_taken_only_when_accepted(user_client: Client) -> None:
    text = ("Winter Quarters " + helpers.FLATTENED).encode()
    review = _review(user_client, "harbour.txt", text)
    page = review.content.decode()
    assert "The text seems to begin with its title" in page
    root = lxml.html.fromstring(page)
    [title] = root.xpath("//input[@name='title']")
    assert title.get("value") == "Winter Quarters"
    # Labelled, and described by the proposal.
    assert root.xpath(f"//label[@for='{title.get('id')}']")[0].text_content() == "Title:"
    assert "Proposed from the start of the text" in page and title.get("aria-describedby")
    [remove] = root.xpath("//input[@name='cut_proposed_title']")
    assert remove.get("type") == "checkbox" and remove.get("checked") is None
    label = root.xpath(f"//label[@for='{remove.get('id')}']")[0].text_content()
    assert "Remove \u201cWinter Quarters\u201d from the start of the text" in label
    # Posted as proposed: the title is taken, the text keeps its first words.
    _confirm(user_client, review, title="Winter Quarters", post="1")
    kept = Work.objects.get()
    assert kept.title == "Winter Quarters"
    assert kept.chapters.get().content.startswith("<p>Winter Quarters The lantern swung")
    kept.delete()
    # Accepted with the removal: the text starts with its real first sentence.
    review = _review(user_client, "harbour.txt", text)
    _confirm(user_client, review, title="Winter Quarters", cut_proposed_title="on", post="1")
    cut = Work.objects.get()
    assert cut.title == "Winter Quarters"
    assert cut.chapters.get().content.startswith("<p>The lantern swung")


def test_no_title_is_proposed_for_a_normal_opening(user_client: Client) -> None:
    review = _review(user_client, "harbour.txt", helpers.FLATTENED.encode())
    page = review.content.decode()
    assert "seems to begin with its title" not in page
    assert 'name="cut_proposed_title"' not in page
    assert lxml.html.fromstring(page).xpath("//input[@name='title']")[0].get("value") == "Harbour"


def test_review_shows_notes_escaped_once(user_client: Client) -> None:
    note = 'Don\'t read this & that "twice" <3'
    story = 'Title: Quotes\nFandom: Harbour Tales\nSummary: Tom & Jerry\'s "day"\n\n'
    story += f'Notes: {note}\n\nMira said "stop" & left.\n\nShe came back.\n\n'
    story += "End notes: Thanks & 'bye'\n"
    page = _review(user_client, "quotes.txt", story.encode()).content.decode()
    for double in ("&amp;#x27;", "&amp;amp;", "&amp;quot;", "&amp;lt;"):
        assert double not in page
    root = lxml.html.fromstring(page)

    def shown(heading: str) -> str:
        [quote] = root.xpath(f"//h3[.='{heading}']/following-sibling::blockquote[1]")
        return quote.text_content().strip()

    assert shown("Notes") == note
    assert shown("Summary") == 'Tom & Jerry\'s "day"'
    assert shown("End Notes") == "Thanks & 'bye'"
    chapter = root.xpath("//ol[@class='import-chapters']/li")[0].text_content()
    assert 'Mira said "stop" & left.' in chapter


def test_an_html_page_beginning_with_a_comment_imports(user_client: Client) -> None:
    page = (
        "<!-- saved from url=(0042)https://example.org/works/1 -->\n<html><head>"
        "<title>The Quay</title></head><body><p>The barges slept.</p></body></html>"
    )
    review = _review(user_client, "quay.html", page.encode())
    assert "Review the import of quay.html" in review.content.decode()
    _confirm(user_client, review, save_draft="1")
    assert Work.objects.get().title == "The Quay"


def test_an_importer_crash_is_a_clear_message_not_a_server_error(
    user_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crashing(self: html.HtmlImporter, source: Source) -> Any:
        raise AssertionError("an importer bug")

    page = b"<html><head><title>Q</title></head><body><p>The barges slept.</p></body></html>"
    review = _review(user_client, "quay.html", page)
    monkeypatch.setattr(html.HtmlImporter, "parse", crashing)
    response = user_client.post(
        reverse("formats:import"), {"file": _upload("quay.html", page), "fandom": "X"}
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "quay.html: could not be read: the importer met an unexpected error" in text
    # The confirmation of a file reviewed before the crash says so too.
    response = _confirm(user_client, review, post="1")
    assert response.status_code == 302 and response["Location"] == reverse("formats:import")
    message = user_client.get(response["Location"]).content.decode()
    assert "could not be read: the importer met an unexpected error" in message
    assert Work.objects.count() == 0
