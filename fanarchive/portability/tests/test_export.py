"""Exporting everything of one's own: the zip's contents, its owner-only download, the
limits, expiry and failure (issue 16)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.history_services import history_mark_for_later, history_record
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import Notice
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.portability import export_selectors, export_tasks
from fanarchive.portability.export_services import export_request
from fanarchive.portability.models import DataExport, ExportState
from fanarchive.works.creator_services import creator_invite, invitation_accept
from fanarchive.works.models import CreatorInvitation, Work
from fanarchive.works.services import ChapterInput, chapter_add, chapter_update

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _data_in_tmp(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def export_page(user: User) -> str:
    return reverse("portability:export", args=[user.username])


def request_and_prepare(client: Client, user: User, capture: Any) -> DataExport:
    """Ask for an export through the page, then run the background task."""
    with capture(execute=True):
        response = client.post(reverse("portability:export_request", args=[user.username]))
    assert response.status_code == 302
    with capture(execute=True):
        run_due_tasks()
    return DataExport.objects.filter(user=user).latest("requested_at")


def download(client: Client, user: User, export: DataExport) -> Any:
    return client.get(reverse("portability:export_download", args=[user.username, export.pk]))


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def every_byte(entries: dict[str, bytes]) -> bytes:
    """All the zip's bytes, with the EPUBs inside it opened too (their entries are compressed)."""
    parts = []
    for name, data in entries.items():
        parts.append(name.encode())
        parts.append(data)
        if name.endswith(".epub"):
            parts.extend(zip_entries(data).values())
    return b"\n".join(parts)


def first(entries: dict[str, bytes], suffix: str, folder_part: str) -> bytes:
    [name] = [n for n in entries if n.endswith(suffix) and folder_part in n]
    return entries[name]


@pytest.fixture
def archive(user: User) -> dict[str, Any]:
    """The person ("writer") with some of everything, a co-creator, and a second person
    ("rival") whose private bookmarks, drafts, history and comments are all about."""
    cocreator = make_user("harbourmaster")
    rival = make_user("rivalreader", email="rivalreader@example.org")

    posted = make_work(user, title="Writer Posted Lanterns", chapters=1)
    draft_chapter = chapter_add(
        user=user,
        work=posted,
        data=ChapterInput(text="Unposted chapter about the writers beacon.", text_format="plain"),
        post=False,
        expected_chapters=None,
    )
    draft = make_work(user, title="Writer Draft Gulls", post=False, texts=["First gull draft."])
    chapter_update(
        user=user,
        chapter=draft.chapters.get(),
        data=ChapterInput(text="Second gull draft, much better.", text_format="plain"),
    )
    restricted = make_work(user, title="Writer Members Only", restricted=True)

    shared = make_work(cocreator, title="Shared Tides")
    invitation = creator_invite(user=cocreator, work=shared, pseud_name="writer")
    assert isinstance(invitation, CreatorInvitation)
    invitation_accept(user=user, invitation=invitation)

    theirs = make_work(cocreator, title="Harbour Bells", chapters=2)
    other = make_work(cocreator, title="Quiet Moorings")
    pseud = user.pseuds.get()
    comment_create(
        chapter=theirs.chapters.order_by("position")[0], user=user, text="Writer loved the bells."
    )
    bookmark_create(user=user, pseud=pseud, work=theirs, notes="Writer public note", tags=["Cosy"])
    bookmark_create(user=user, pseud=pseud, work=other, notes="Writer private note", private=True)
    kudos_give(work=theirs, user=user)
    history_record(user=user, work=other, chapter_id=None)
    history_mark_for_later(user=user, work=theirs, marked=True)
    subscription_create(user=user, work=theirs)
    subscription_create(user=user, creator=cocreator)
    # A comment on the writer's work: a notice in the writer's inbox.
    comment_create(
        chapter=posted.chapters.order_by("position")[0],
        user=cocreator,
        text="The harbourmaster says hello.",
    )

    # The second person: a draft, a private bookmark of the writer's work, history of it,
    # a comment, kudos and a subscription elsewhere. None of it may reach the writer's zip.
    rival_pseud = rival.pseuds.get()
    make_work(rival, title="Rival Secret Draft", post=False, texts=["Rival draft words."])
    bookmark_create(
        user=rival, pseud=rival_pseud, work=posted, notes="Rival private note", private=True
    )
    bookmark_create(user=rival, pseud=rival_pseud, work=theirs, notes="Rival public note")
    history_record(user=rival, work=posted, chapter_id=None)
    comment_create(
        chapter=theirs.chapters.order_by("position")[0], user=rival, text="Rival comment words."
    )
    kudos_give(work=other, user=rival)
    subscription_create(user=rival, work=theirs)
    return {
        "posted": posted,
        "draft_chapter": draft_chapter,
        "draft": draft,
        "restricted": restricted,
        "shared": shared,
        "theirs": theirs,
        "other": other,
        "cocreator": cocreator,
        "rival": rival,
    }


def test_the_zip_holds_everything_of_the_person_and_nothing_of_anyone_else(
    user, client, archive, django_capture_on_commit_callbacks
):
    client.force_login(user)
    export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    assert export.state == ExportState.READY
    assert export.ready_at is not None
    assert export.expires_at == export.ready_at + dt.timedelta(days=7)

    response = download(client, user, export)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "fanarchive-writer-" in response["Content-Disposition"]
    entries = zip_entries(b"".join(response.streaming_content))

    for name in (
        "README.txt",
        "profile.json",
        "pseuds.json",
        "preferences.json",
        "works.json",
        "comments.json",
        "bookmarks.json",
        "kudos.json",
        "history.json",
        "subscriptions.json",
        "inbox.json",
    ):
        assert name in entries, name
    documents = {n: json.loads(d) for n, d in entries.items() if n.endswith(".json")}
    for name, document in documents.items():
        assert document["schema"] == "fanarchive-export/1", name

    assert documents["profile.json"]["username"] == "writer"
    assert documents["profile.json"]["email"] == "writer@example.org"
    assert [p["name"] for p in documents["pseuds.json"]["pseuds"]] == ["writer"]
    assert documents["preferences.json"]["preferences"]["keep_history"] is True

    # Every work of theirs, in every state, co-created too; nobody else's.
    works = {w["title"]: w for w in documents["works.json"]["works"]}
    assert set(works) == {
        "Writer Posted Lanterns",
        "Writer Draft Gulls",
        "Writer Members Only",
        "Shared Tides",
    }
    assert works["Writer Draft Gulls"]["draft"] is True
    for work in works.values():
        folder = work["folder"]
        record = documents[f"{folder}/work.json"]
        assert record["id"] == work["id"] and record["title"] == work["title"]
        epub = entries[f"{folder}/work.epub"]
        with zipfile.ZipFile(io.BytesIO(epub)) as book:
            assert book.namelist()[0] == "mimetype"
            assert book.read("mimetype") == b"application/epub+zip"
        assert work["title"].encode() in entries[f"{folder}/work.html"]
        assert f"{folder}/revisions.json" in documents

    posted = documents[f"{works['Writer Posted Lanterns']['folder']}/work.json"]
    assert [c["posted"] for c in posted["chapters"]] == [True, False]
    posted_html = entries[f"{works['Writer Posted Lanterns']['folder']}/work.html"]
    assert b"writers beacon" in posted_html  # the draft chapter is in the owner's copy
    assert documents[f"{works['Writer Members Only']['folder']}/work.json"]["restricted"] is True
    shared = documents[f"{works['Shared Tides']['folder']}/work.json"]
    assert shared["your_pseuds"] == ["writer"]
    assert len(shared["creators"]) == 2

    draft_folder = works["Writer Draft Gulls"]["folder"]
    assert documents[f"{draft_folder}/work.json"]["posted"] is False
    assert b"much better" in entries[f"{draft_folder}/work.html"]
    revisions = documents[f"{draft_folder}/revisions.json"]
    sources = [r["source"] for r in revisions["chapter_revisions"]]
    assert sources == ["First gull draft.", "Second gull draft, much better."]
    assert all(r["by_you"] for r in revisions["chapter_revisions"])
    assert revisions["work_revisions"][0]["data"]["title"] == "Writer Draft Gulls"

    [comment] = documents["comments.json"]["comments"]
    assert "Writer loved the bells." in comment["text"]
    assert comment["work"] == {"id": archive["theirs"].pk, "title": "Harbour Bells"}

    bookmarks = {b["work"]["title"]: b for b in documents["bookmarks.json"]["bookmarks"]}
    assert set(bookmarks) == {"Harbour Bells", "Quiet Moorings"}
    assert "Writer public note" in bookmarks["Harbour Bells"]["notes"]
    assert bookmarks["Harbour Bells"]["private"] is False
    assert bookmarks["Harbour Bells"]["tags"] == ["Cosy"]
    assert "Writer private note" in bookmarks["Quiet Moorings"]["notes"]
    assert bookmarks["Quiet Moorings"]["private"] is True

    assert [k["work"]["id"] for k in documents["kudos.json"]["kudos"]] == [archive["theirs"].pk]

    history = {h["work"]["title"]: h for h in documents["history.json"]["history"]}
    assert set(history) == {"Quiet Moorings", "Harbour Bells"}
    assert history["Quiet Moorings"]["visits"] == 1
    assert history["Harbour Bells"]["marked_for_later"] is True

    subscriptions = documents["subscriptions.json"]["subscriptions"]
    assert {(s["kind"], (s["work"] or {}).get("title"), s["creator"]) for s in subscriptions} == {
        ("work", "Harbour Bells", None),
        ("creator", None, "harbourmaster"),
    }

    notices = documents["inbox.json"]["notices"]
    assert {n["kind"] for n in notices} == {"comment", "invitation"}
    [notice] = [n for n in notices if n["kind"] == "comment"]
    assert notice["kind"] == "comment"
    assert notice["subject"] == 'New comment on "Writer Posted Lanterns"'
    assert "harbourmaster" in notice["body"]

    # Nothing of the second person's: not their name, address, drafts, notes, comments.
    everything = every_byte(entries).lower()
    assert b"harbourmaster" in everything and b"gull draft" in everything  # the scan sees
    assert b"rival" not in everything


def test_ready_export_is_announced_in_the_inbox_and_by_mail(
    user, client, django_capture_on_commit_callbacks
):
    client.force_login(user)
    request_and_prepare(client, user, django_capture_on_commit_callbacks)
    notice = Notice.objects.get(recipient=user, subject="Your data export is ready")
    assert notice.url == export_page(user)
    run_due_tasks()
    [message] = [m for m in mail.outbox if "Your data export is ready" in m.subject]
    assert message.to == [user.email]
    assert export_page(user) in message.body
    page = client.get(export_page(user))
    assert b"Download" in page.content and b"Ready" in page.content


def test_only_the_owner_downloads(user, other_user, client, django_capture_on_commit_callbacks):
    client.force_login(user)
    export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    client.logout()
    url = reverse("portability:export_download", args=[user.username, export.pk])
    response = client.get(url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    client.force_login(other_user)
    assert client.get(url).status_code == 404
    # Not under their own name either.
    wrong = reverse("portability:export_download", args=[other_user.username, export.pk])
    assert client.get(wrong).status_code == 404
    # The page itself is the owner's only.
    assert client.get(export_page(user)).status_code == 403
    response = client.post(reverse("portability:export_request", args=[user.username]))
    assert response.status_code == 403
    assert DataExport.objects.filter(user=other_user).count() == 0


def test_request_needs_a_post_and_a_login(user, client):
    url = reverse("portability:export_request", args=[user.username])
    assert client.post(url).status_code == 302  # to the log-in page
    client.force_login(user)
    assert client.get(url).status_code == 405
    assert DataExport.objects.count() == 0


def test_the_page_is_linked_from_the_owners_pages(user_client, user):
    response = user_client.get(reverse("accounts:profile", args=[user.username]))
    assert export_page(user).encode() in response.content
    assert b"Export my data" in response.content


def test_one_export_at_a_time(user, client, django_capture_on_commit_callbacks):
    client.force_login(user)
    url = reverse("portability:export_request", args=[user.username])
    client.post(url)
    response = client.post(url, follow=True)
    assert b"already being prepared" in response.content
    assert DataExport.objects.filter(user=user).count() == 1


def test_at_most_three_a_day(user, client, django_capture_on_commit_callbacks):
    client.force_login(user)
    for _ in range(3):
        export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
        assert export.state == ExportState.READY
    response = client.post(reverse("portability:export_request", args=[user.username]), follow=True)
    assert b"at most 3 exports a day" in response.content
    assert DataExport.objects.filter(user=user).count() == 3


def test_an_export_expires_after_seven_days(user, client, django_capture_on_commit_callbacks):
    client.force_login(user)
    export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    path = export_selectors.export_file(export)
    assert path.is_file()
    assert download(client, user, export).status_code == 200
    # Six days on: still there.
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() + dt.timedelta(days=1))
    assert export_tasks.exports_clean() == 0
    # Past its date: the download is refused at once, and the clean-up removes the file.
    DataExport.objects.filter(pk=export.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert download(client, user, export).status_code == 404
    page = client.get(export_page(user))  # listing cleans up
    assert b"Expired" in page.content
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and export.path == ""
    assert not path.exists()


def test_the_queued_expiry_task_removes_the_file(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        export = export_request(user=user)
    with django_capture_on_commit_callbacks(execute=True):
        run_due_tasks()
    export.refresh_from_db()
    path = export_selectors.export_file(export)
    assert export_tasks.export_expire.call(export.pk) is False  # not due yet
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now())
    assert export_tasks.export_expire.call(export.pk) is True
    export.refresh_from_db()
    assert export.state == ExportState.EXPIRED and not path.exists()


def test_a_failing_task_marks_the_export_failed_with_a_message(
    user, client, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(user: User, work: Work) -> None:
        raise RuntimeError("disk on fire")

    make_work(user)
    monkeypatch.setattr(export_selectors, "work_record", broken)
    client.force_login(user)
    export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    assert export.state == ExportState.FAILED
    assert "Something went wrong" in export.error
    assert "disk on fire" not in export.error
    assert export.path == ""
    assert not list((export_selectors.exports_dir() / str(user.pk)).iterdir())
    assert Notice.objects.filter(recipient=user, subject="Your data export failed").exists()
    page = client.get(export_page(user))
    assert b"Failed" in page.content and b"Something went wrong" in page.content
    # A failed export does not block a new one.
    monkeypatch.undo()
    again = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    assert again.pk != export.pk and again.state == ExportState.READY


def test_a_lost_export_is_given_up_after_hours(user):
    export = export_request(user=user)
    later = timezone.now() + export_selectors.STALE_AFTER + dt.timedelta(minutes=1)
    export_request(user=user, now=later)  # allowed: the first one was given up
    export.refresh_from_db()
    assert export.state == ExportState.FAILED and "took too long" in export.error


def test_the_task_runs_once(user, django_capture_on_commit_callbacks):
    export = export_request(user=user)
    assert export_tasks.export_prepare.call(export.pk) is True
    assert export_tasks.export_prepare.call(export.pk) is False
    files = list((export_selectors.exports_dir() / str(user.pk)).iterdir())
    assert len(files) == 1 and files[0].suffix == ".zip"


def test_titles_of_works_the_person_may_no_longer_see_are_left_out(user):
    writer_of = make_user("keeper")
    work = make_work(writer_of, title="Gone Quiet")
    bookmark_create(user=user, pseud=user.pseuds.get(), work=work, notes="Mine")
    Work.objects.filter(pk=work.pk).update(posted=False)
    [bookmark] = list(export_selectors.bookmarks_made(user))
    assert bookmark["work"] == {"id": work.pk, "title": None}
    assert "Mine" in bookmark["notes"]


def test_an_inactive_account_cannot_ask(user):
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.refresh_from_db()
    with pytest.raises(ValidationError, match="not active"):
        export_request(user=user)
    assert DataExport.objects.count() == 0


def test_unknown_or_foreign_download_ids_are_404(user_client, user):
    for export_id in (1, 2**62):
        url = reverse("portability:export_download", args=[user.username, export_id])
        assert user_client.get(url).status_code == 404


def test_mutes_blocks_and_saved_filters_are_exported(
    user, client, django_capture_on_commit_callbacks
):
    from fanarchive.accounts.block_services import block_create
    from fanarchive.discovery.alert_services import saved_filter_alert_subscribe
    from fanarchive.discovery.services import (
        listing_preference_set,
        mute_creator_add,
        mute_scope_set,
        mute_tag_add,
        saved_filter_create,
    )
    from fanarchive.tags.models import Tag

    noisy = make_user("noisy_writer")
    make_work(noisy, fandoms=["Lantern Isles", "Salt Roads"], freeforms=["Coffee Shop AU"])
    trope = Tag.objects.get(name="Coffee Shop AU")
    mute_tag_add(user=user, owner=user, tag_id=trope.pk)
    mute_scope_set(user=user, owner=user, fandom_names=["Salt Roads"], tag_id=trope.pk)
    mute_creator_add(user=user, owner=user, username="noisy_writer")
    listing_preference_set(user=user, owner=user, hide_anonymous=True, hide_crossovers=False)
    block_create(user=user, blocked=make_user("rude_reader"))
    salt_roads = Tag.objects.get(name="Salt Roads")
    saved = saved_filter_create(
        user=user, owner=user, name="Salt Roads", query_string=f"include={salt_roads.pk}"
    )
    saved_filter_alert_subscribe(user=user, saved=saved)
    saved_filter_create(user=user, owner=user, name="Short ones", query_string="words_to=1000")
    # Someone else's mutes are not the person's.
    mute_creator_add(user=noisy, owner=noisy, username=user.username)

    client.force_login(user)
    export = request_and_prepare(client, user, django_capture_on_commit_callbacks)
    muting = json.loads(
        zip_entries(b"".join(download(client, user, export).streaming_content))["muting.json"]
    )
    assert muting["schema"] == export_selectors.SCHEMA
    assert [(m["tag"], m["type"], m["only_in_fandoms"]) for m in muting["muted_tags"]] == [
        ("Coffee Shop AU", "freeform", ["Salt Roads"])
    ]
    assert [(m["creator"], m["only_in_fandoms"]) for m in muting["muted_creators"]] == [
        ("noisy_writer", [])
    ]
    assert (muting["hide_anonymous"], muting["hide_crossovers"]) == (True, False)
    assert [b["username"] for b in muting["blocked"]] == ["rude_reader"]
    assert [(f["name"], f["query_string"], f["alerts"]) for f in muting["saved_filters"]] == [
        ("Salt Roads", f"include={salt_roads.pk}", True),
        ("Short ones", "words_to=1000", False),
    ]
