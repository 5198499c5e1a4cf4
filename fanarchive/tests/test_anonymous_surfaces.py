"""An anonymous work's creator appears on no surface: to a guest, to another reader, or
through the API; its creators still see and edit it, moderators see who wrote it, and
turning anonymity off names the creator again everywhere (issue 16, W6)."""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Notice
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.inputs import work_input_of
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import work_update

pytestmark = [pytest.mark.django_db, pytest.mark.guest_page_cache]

# The writer's account and default pseud share this name: it must appear nowhere.
SECRET = "quillmaker"


@dataclass
class World:
    writer: User
    reader: User
    giftee: User
    follower: User
    work: Work
    series: Series
    tag: Tag


@pytest.fixture
def world(django_capture_on_commit_callbacks: Any) -> World:
    writer = make_user(SECRET)
    reader = make_user("lanternreader")
    giftee = make_user("giftee")
    follower = make_user("follower")
    subscription_create(user=follower, creator=writer)
    with django_capture_on_commit_callbacks(execute=True):
        work = make_work(
            writer,
            title="Hidden Harbour",
            freeforms=["Night Ferries"],
            anonymous=True,
            gifts=["giftee"],
            chapters=2,
        )
    series = series_create(user=writer, title="Ferry Tales")
    series_work_add(user=writer, work=work, series=series)
    bookmark_create(user=reader, pseud=reader.default_pseud, work=work, notes="Lovely.")
    with django_capture_on_commit_callbacks(execute=True):
        run_due_tasks()
    tag = Tag.objects.get(type=TagType.FREEFORM, name="Night Ferries")
    return World(writer, reader, giftee, follower, work, series, tag)


def page(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode()


def assert_secret_absent(text: str, where: str) -> None:
    assert SECRET not in text.lower(), f"the creator's name shows on {where}"


def public_urls(world: World) -> dict[str, str]:
    work, chapter = world.work, world.work.chapters.order_by("position").first()
    assert chapter is not None
    return {
        "works listing": reverse("works:list"),
        "work page": reverse("works:detail", args=[work.pk]),
        "whole work": reverse("works:detail", args=[work.pk]) + "?view_full_work=true",
        "chapter page": reverse("works:chapter", args=[work.pk, chapter.pk]),
        "tag page": reverse("tags:works", args=[world.tag.pk]),
        "search": reverse("works:list") + "?q=Harbour",
        "series page": reverse("works:series", args=[world.series.pk]),
        "reader's bookmarks": reverse("social:user_bookmarks", args=[world.reader.username]),
        "work's bookmarks": reverse("social:work_bookmarks", args=[work.pk]),
        "gifts page": reverse("works:gifts", args=[world.giftee.username]),
        "feed": reverse("discovery:works_feed"),
        "tag feed": reverse("discovery:tag_feed", args=[world.tag.pk]),
        "API works": "/api/v1/works",
        "API search": "/api/v1/works?q=Harbour",
        "API work": f"/api/v1/works/{work.pk}",
        "API reader's bookmarks": f"/api/v1/users/{world.reader.username}/bookmarks",
    }


def as_guest_and_reader(client: Client, world: World) -> list[tuple[str, Client]]:
    reader = Client()
    reader.force_login(world.reader)
    return [("guest", client), ("another reader", reader)]


def test_the_creator_shows_on_no_page_a_guest_or_another_reader_opens(client, world):
    for who, browser in as_guest_and_reader(client, world):
        for where, url in public_urls(world).items():
            text = page(browser, url)
            assert "Hidden Harbour" in text, (who, where)
            assert_secret_absent(text, f"{where} ({who})")
        work_page = page(browser, reverse("works:detail", args=[world.work.pk]))
        assert re.search(r'<p class="byline">by\s*Anonymous\s*</p>', work_page), who


def test_the_work_is_on_none_of_the_creators_own_pages_for_others(client, world):
    writer = world.writer
    for who, browser in as_guest_and_reader(client, world):
        for where, url in {
            "profile": reverse("accounts:profile", args=[writer.username]),
            "pseud page": reverse("accounts:pseud", args=[writer.username, SECRET]),
            "series list": reverse("works:user_series", args=[writer.username]),
            "API user works": f"/api/v1/users/{writer.username}/works",
            "API pseud works": f"/api/v1/users/{writer.username}/pseuds/{SECRET}/works",
        }.items():
            text = page(browser, url)
            assert "Hidden Harbour" not in text, (who, where)
            assert "Ferry Tales" not in text, (who, where)
        pseuds = page(browser, reverse("accounts:pseuds", args=[writer.username]))
        assert '<p class="help">0 works</p>' in pseuds, who
        api_user = json.loads(page(browser, f"/api/v1/users/{writer.username}"))
        assert all(p.get("works", 0) == 0 for p in api_user["pseuds"]), api_user


def test_searching_by_the_creators_name_does_not_find_it(client, world):
    for _who, browser in as_guest_and_reader(client, world):
        for query in (SECRET, f"creator:{SECRET}"):
            listing = page(browser, reverse("works:list") + f"?q={query}")
            assert "Hidden Harbour" not in listing
            found = json.loads(page(browser, f"/api/v1/works?q={query}"))
            assert found["items"] == []
        # Sorting by creator puts it among "Anonymous", not by its creator's name.
        sorted_page = page(browser, reverse("works:list") + "?sort=creator")
        assert_secret_absent(sorted_page, "the listing sorted by creator")


def test_the_api_names_nobody(client, world):
    token = api_as(world.reader, TokenScope.READ)
    for path in (f"/api/v1/works/{world.work.pk}", "/api/v1/works"):
        response = token.get(path)
        assert response.status_code == 200
        assert_secret_absent(response.content.decode(), f"{path} with a token")
    for who, browser in as_guest_and_reader(client, world):
        detail = json.loads(page(browser, f"/api/v1/works/{world.work.pk}"))
        assert detail["creators"] == [], who
        assert detail["byline"] == "Anonymous"
        assert detail["anonymous"] is True
        listed = json.loads(page(browser, "/api/v1/works"))
        (item,) = [w for w in listed["items"] if w["id"] == world.work.pk]
        assert item["creators"] == [] and item["byline"] == "Anonymous"


def _epub_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return "\n".join(book.read(name).decode("utf-8", "replace") for name in book.namelist())


def _pdf_text(data: bytes) -> str:
    """The PDF's bytes and every deflated stream in it, inflated."""
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def _download(browser: Client, work: Work, fmt: str) -> bytes:
    response: Any = browser.get(reverse("formats:download", args=[work.pk, fmt]))
    assert response.status_code == 200, (fmt, response.status_code)
    return b"".join(response.streaming_content)


def test_every_download_says_anonymous(client, world):
    for who, browser in [
        *as_guest_and_reader(client, world),
        ("creator", _logged_in(world.writer)),
    ]:
        epub = _epub_text(_download(browser, world.work, "epub"))
        assert "<dc:creator>Anonymous</dc:creator>" in epub, who
        html = _download(browser, world.work, "html").decode()
        assert '<meta name="author" content="Anonymous">' in html
        text = _download(browser, world.work, "txt").decode()
        assert "Author: Anonymous" in text
        pdf = _pdf_text(_download(browser, world.work, "pdf"))
        for fmt, body in (("epub", epub), ("html", html), ("txt", text), ("pdf", pdf)):
            assert_secret_absent(body, f"the {fmt} download ({who})")


def test_no_notice_names_the_creator_and_their_followers_hear_nothing(
    world, django_capture_on_commit_callbacks
):
    gift_notices = Notice.objects.filter(recipient=world.giftee)
    assert gift_notices.exists()
    inbox = page(_logged_in(world.giftee), reverse("social:inbox"))
    assert "Hidden Harbour" in inbox
    assert_secret_absent(inbox, "the recipient's inbox")
    for notice in gift_notices:
        assert_secret_absent(f"{notice.subject} {notice.body}", "the gift notice")
    assert not Notice.objects.filter(recipient=world.follower, work=world.work).exists()
    # A named work of theirs is announced as usual (the follower does hear of those).
    with django_capture_on_commit_callbacks(execute=True):
        named = make_work(world.writer, title="Open Harbour")
    with django_capture_on_commit_callbacks(execute=True):
        run_due_tasks()
    assert Notice.objects.filter(recipient=world.follower, work=named).exists()


def _logged_in(user: User) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def test_the_creator_still_sees_and_edits_it(world):
    writer = _logged_in(world.writer)
    work_page = page(writer, reverse("works:detail", args=[world.work.pk]))
    assert re.search(
        rf">{SECRET}</a>\s*<span class=\"anonymous-note\">\(anonymous\)</span>", work_page
    )
    assert "Hidden Harbour" in page(writer, reverse("accounts:profile", args=[SECRET]))
    assert "Ferry Tales" in page(writer, reverse("works:user_series", args=[SECRET]))
    assert '<p class="help">1 work</p>' in page(writer, reverse("accounts:pseuds", args=[SECRET]))
    edit = page(writer, reverse("works:edit", args=[world.work.pk]))
    assert re.search(r'<input type="checkbox" name="anonymous"[^>]*checked', edit)
    own = json.loads(page(writer, f"/api/v1/works/{world.work.pk}"))
    assert [c["username"] for c in own["creators"]] == [SECRET]
    assert own["byline"] == f"{SECRET} (anonymous)"


def test_a_moderator_sees_who_wrote_it(world):
    moderator = _logged_in(_staff())
    work_page = page(moderator, reverse("works:detail", args=[world.work.pk]))
    assert re.search(
        rf"Anonymous <span class=\"anonymous-note\">\(creator: <a[^>]*>{SECRET}</a>\)", work_page
    )
    # Their own browsing of listings shows the same note, never a bare name.
    listing = page(moderator, reverse("works:list"))
    assert "(creator: " in listing


def test_an_admin_sees_who_wrote_it_in_the_admin_pages(world):
    admin_user = make_user("keeper")
    User.objects.filter(pk=admin_user.pk).update(is_staff=True, is_superuser=True)
    browser = _logged_in(User.objects.get(pk=admin_user.pk))
    listing = page(browser, reverse("admin:works_work_changelist") + "?anonymous__exact=1")
    assert "Hidden Harbour" in listing
    change = page(browser, reverse("admin:works_work_change", args=[world.work.pk]))
    assert SECRET in change  # the creatorships inline


def _staff() -> User:
    user = make_user("harbourmaster")
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user.refresh_from_db()
    return user


def test_turning_anonymity_off_names_the_creator_again_everywhere(client, world):
    data = work_input_of(world.work)
    data.anonymous = False
    work_update(user=world.writer, work=world.work, data=data)
    assert SECRET in page(client, reverse("works:detail", args=[world.work.pk]))
    assert SECRET in page(client, reverse("works:list"))
    assert SECRET in page(client, reverse("discovery:works_feed"))
    assert "Hidden Harbour" in page(client, reverse("accounts:profile", args=[SECRET]))
    assert "Ferry Tales" in page(client, reverse("works:user_series", args=[SECRET]))
    assert "Hidden Harbour" in page(client, reverse("works:list") + f"?q=creator:{SECRET}")
    detail = json.loads(page(client, f"/api/v1/works/{world.work.pk}"))
    assert [c["username"] for c in detail["creators"]] == [SECRET]
    assert detail["anonymous"] is False
    assert SECRET in _download(client, world.work, "txt").decode()
    # And on again: hidden again at once.
    data.anonymous = True
    work_update(user=world.writer, work=Work.objects.get(pk=world.work.pk), data=data)
    assert_secret_absent(page(client, reverse("works:list")), "the listing after hiding again")
    assert "Hidden Harbour" not in page(client, reverse("works:list") + f"?q=creator:{SECRET}")


def test_the_creators_own_comments_are_signed_anonymous_creator(
    client, world, django_capture_on_commit_callbacks
):
    """Replying on their anonymous work, a creator is "Anonymous creator" on the page, in
    the reply notice and in the API; a reader's own comment keeps its name."""
    chapter = world.work.chapters.order_by("position").first()
    assert chapter is not None
    with django_capture_on_commit_callbacks(execute=True):
        question = comment_create(chapter=chapter, user=world.reader, text="<p>Who wrote it?</p>")
        comment_create(
            chapter=chapter, user=world.writer, text="<p>Thank you!</p>", parent=question
        )
    chapter_url = reverse("works:chapter", args=[world.work.pk, chapter.pk])
    for who, browser in as_guest_and_reader(client, world):
        text = page(browser, chapter_url)
        assert "Thank you!" in text and "Anonymous creator" in text, who
        assert "lanternreader" in text, who
        assert_secret_absent(text, f"the comments ({who})")
        api = page(browser, f"/api/v1/works/{world.work.pk}/chapters/{chapter.pk}/comments")
        assert '"anonymous_creator": true' in api.replace('":true', '": true'), who
        assert_secret_absent(api, f"the API's comments ({who})")
    (reply_notice,) = Notice.objects.filter(recipient=world.reader, kind="reply")
    assert "Anonymous creator replied" in reply_notice.body
    assert_secret_absent(f"{reply_notice.subject} {reply_notice.body}", "the reply notice")
