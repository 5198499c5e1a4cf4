"""Batch downloads (a reader's bookmarks or marked-for-later works as one zip) through
the test client: what the zip holds, what is left out and why, the cache, the owner
rule and the size limit."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.history_services import history_mark_for_later
from fanarchive.formats import batch_download_services
from fanarchive.formats.batch_download_services import batch_file_name
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.age_gate import AgeGateContext
from fanarchive.works.models import Series, Work
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import work_update

pytestmark = pytest.mark.django_db


def _url(reader: User, list_name: str, fmt: str) -> str:
    return reverse("formats:batch_download", args=[reader.username, list_name, fmt])


def _body(response: Any) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content)


def _zip(response: Any) -> zipfile.ZipFile:
    data = _body(response)
    assert response["Content-Type"] == "application/zip"
    return zipfile.ZipFile(io.BytesIO(data))


@pytest.fixture
def reader() -> User:
    return make_user("batch_reader")


def _series_of(user: User, work: Work) -> Series:
    series = series_create(user=user, title="Shelf Series", summary="", notes="")
    series_work_add(user=user, work=work, series=series)
    return series


def _bookmark(reader: User, *works: Work) -> None:
    for work in works:
        bookmark_create(user=reader, pseud=reader.default_pseud, work=work)


def test_bookmarks_zip_holds_one_file_per_work_and_a_readme(
    client: Client, user: User, reader: User
) -> None:
    lantern = make_work(user, title="The Lantern: Part 1/2", texts=["A lantern swung."])
    quiet = make_work(user, title="Quiet Harbour", restricted=True, texts=["Gulls slept."])
    _bookmark(reader, lantern, quiet)
    client.force_login(reader)
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert sorted(archive.namelist()) == [
        f"Quiet Harbour - {quiet.pk}.txt",
        "README.txt",
        f"The Lantern Part 12 - {lantern.pk}.txt",
    ]
    assert "A lantern swung." in archive.read(f"The Lantern Part 12 - {lantern.pk}.txt").decode()
    assert "Gulls slept." in archive.read(f"Quiet Harbour - {quiet.pk}.txt").decode()
    assert "2 works." in archive.read("README.txt").decode()


@pytest.mark.parametrize("fmt", ["epub", "html"])
def test_other_formats_hold_the_single_work_files(
    client: Client, user: User, reader: User, fmt: str
) -> None:
    work = make_work(user, title="Tidewater")
    _bookmark(reader, work)
    client.force_login(reader)
    archive = _zip(client.get(_url(reader, "bookmarks", fmt)))
    single = client.get(reverse("formats:download", args=[work.pk, fmt]))
    assert archive.read(f"Tidewater - {work.pk}.{fmt}") == _body(single)


def test_hidden_draft_and_adult_works_are_left_out_with_the_reason(
    client: Client, user: User, reader: User
) -> None:
    kept = make_work(user, title="Kept Work")
    hidden = make_work(user, title="Hidden Work")
    drafted = make_work(user, title="Later Draft")
    stormy = make_work(user, title="Stormy Night", rating=EXPLICIT, texts=["Thunder rolled."])
    _bookmark(reader, kept, hidden, drafted, stormy)
    moderator = make_user("batch_mod")
    User.objects.filter(pk=moderator.pk).update(is_staff=True)
    moderator.refresh_from_db()
    work_set_hidden(user=moderator, work=hidden, hidden=True, reason="Checking it.")
    Work.objects.filter(pk=drafted.pk).update(posted=False)
    client.force_login(reader)
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert archive.namelist() == ["README.txt", f"Kept Work - {kept.pk}.txt"]
    readme = archive.read("README.txt").decode()
    assert "1 work." in readme
    assert "2 works in your list cannot be downloaded any more" in readme
    assert f"- Stormy Night ({stormy.get_absolute_url()}): It may have adult content" in readme
    assert "Hidden Work" not in readme and "Later Draft" not in readme
    assert "Thunder rolled." not in "".join(archive.read(n).decode() for n in archive.namelist())


def test_adult_work_is_included_once_the_reader_may_read_it(
    client: Client, user: User, reader: User
) -> None:
    stormy = make_work(user, title="Stormy Night", rating=EXPLICIT, texts=["Thunder rolled."])
    _bookmark(reader, stormy)
    client.force_login(reader)
    client.get(stormy.get_absolute_url() + "?view_adult=true")  # "Yes, continue"
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert "Thunder rolled." in archive.read(f"Stormy Night - {stormy.pk}.txt").decode()


def test_marked_for_later_zip(client: Client, user: User, reader: User) -> None:
    marked = make_work(user, title="Marked Work")
    unmarked = make_work(user, title="Other Work")
    history_mark_for_later(user=reader, work=marked, marked=True)
    _bookmark(reader, unmarked)
    client.force_login(reader)
    archive = _zip(client.get(_url(reader, "marked", "html")))
    assert archive.namelist() == ["README.txt", f"Marked Work - {marked.pk}.html"]
    assert archive.read("README.txt").decode().startswith("Marked for later from ")


def test_second_download_is_served_from_the_cache(
    client: Client, user: User, reader: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    _bookmark(reader, make_work(user, title="Cached Work"))
    builds: list[int] = []
    real = batch_download_services._build_zip

    def counted(*args: Any) -> bytes:
        builds.append(1)
        return real(*args)

    monkeypatch.setattr(batch_download_services, "_build_zip", counted)
    client.force_login(reader)
    first = _zip(client.get(_url(reader, "bookmarks", "txt")))
    second = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert first.namelist() == second.namelist()
    assert len(builds) == 1
    folder = Path(settings.DATA_DIR) / "downloads" / "batches" / str(reader.pk)
    assert len(list(folder.glob("bookmarks-txt-*.zip"))) == 1


def test_an_edited_work_or_a_changed_list_gives_a_new_zip(
    client: Client, user: User, reader: User, settings: Any
) -> None:
    work = make_work(user, title="First Title", expected_chapters=1)
    _bookmark(reader, work)
    client.force_login(reader)
    _zip(client.get(_url(reader, "bookmarks", "txt")))
    work_update(user=user, work=work, data=work_input(title="Second Title", expected_chapters=1))
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert archive.namelist() == ["README.txt", f"Second Title - {work.pk}.txt"]
    assert "Second Title" in archive.read(f"Second Title - {work.pk}.txt").decode()
    added = make_work(user, title="Added Later")
    _bookmark(reader, added)
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert f"Added Later - {added.pk}.txt" in archive.namelist()
    folder = Path(settings.DATA_DIR) / "downloads" / "batches" / str(reader.pk)
    assert len(list(folder.glob("bookmarks-txt-*.zip"))) == 1


def test_only_the_owner_may_download_their_batch(client: Client, user: User, reader: User) -> None:
    _bookmark(reader, make_work(user, title="Private List Work"))
    url = _url(reader, "bookmarks", "txt")
    response = client.get(url)
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(make_user("someone_else"))
    assert client.get(url).status_code == 403
    client.force_login(reader)
    assert client.get(_url(reader, "bookmarks", "pdf")).status_code == 404
    assert client.get(_url(reader, "everything", "txt")).status_code == 404


def test_works_beyond_the_limit_are_cut(
    client: Client, user: User, reader: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real limit is 500 works; three stand for it here, so the fourth is "the 501st".
    assert batch_download_services.BATCH_LIMIT == 500
    monkeypatch.setattr(batch_download_services, "BATCH_LIMIT", 3)
    works = [make_work(user, title=f"Shelf {n}") for n in range(1, 5)]
    _bookmark(reader, *works)  # newest bookmark first: Shelf 4, 3, 2, 1
    client.force_login(reader)
    archive = _zip(client.get(_url(reader, "bookmarks", "txt")))
    assert f"Shelf 1 - {works[0].pk}.txt" not in archive.namelist()
    assert len(archive.namelist()) == 4  # three works and the README
    assert "At most 3 works go in one download: the last 1 in your list" in (
        archive.read("README.txt").decode()
    )
    page = client.get(reverse("social:user_bookmarks", args=[reader.username])).content.decode()
    assert "at most the first 3 you may download go in the zip" in page


def test_list_pages_link_the_batch_for_their_owner_only(
    client: Client, user: User, reader: User
) -> None:
    work = make_work(user, title="Linked Work")
    _bookmark(reader, work)
    history_mark_for_later(user=reader, work=work, marked=True)
    bookmarks_page = reverse("social:user_bookmarks", args=[reader.username])
    client.force_login(reader)
    page = client.get(bookmarks_page).content.decode()
    for fmt in ("epub", "html", "txt"):
        assert _url(reader, "bookmarks", fmt) in page
    assert "at most the first" not in page
    history = reverse("social:user_history", args=[reader.username])
    assert _url(reader, "marked", "epub") in client.get(history + "?show=later").content.decode()
    client.force_login(make_user("visitor"))
    assert _url(reader, "bookmarks", "txt") not in client.get(bookmarks_page).content.decode()


def test_batch_file_names_are_safe() -> None:
    assert batch_file_name('A/B: "C" \\ D?', 7, "epub") == "AB C D - 7.epub"
    assert batch_file_name("///", 8, "txt") == "Untitled - 8.txt"


def test_batch_plan_keeps_the_list_order_and_skips_series_bookmarks(
    user: User, reader: User
) -> None:
    first, second = make_work(user, title="First"), make_work(user, title="Second")
    _bookmark(reader, first, second)
    bookmark_create(user=reader, pseud=reader.default_pseud, series=_series_of(user, first))
    plan = batch_download_services.batch_plan(
        user=reader, list_name="bookmarks", fmt="txt", viewer=AgeGateContext(user=reader)
    )
    assert [work.pk for work in plan.works] == [second.pk, first.pk]
    assert (plan.unavailable, plan.cut, plan.left_out) == (0, 0, [])


def test_unknown_list_is_refused(reader: User) -> None:
    with pytest.raises(ValueError, match="No such list: everything"):
        batch_download_services.batch_list_work_ids(reader, "everything")
