"""Migrating an eFiction archive: the whole path from a dump to readable, filterable works."""

from __future__ import annotations

import datetime as dt
import json
import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.testing import make_user
from fanarchive.engagement.models import (
    Bookmark,
    Comment,
    Notice,
    Subscription,
    SubscriptionKind,
    WorkHitCount,
)
from fanarchive.formats.efiction.context import MigrationOptions
from fanarchive.formats.efiction.mapper import migrate
from fanarchive.formats.efiction.read import read_dump
from fanarchive.formats.efiction.sample import generate
from fanarchive.formats.models import EfictionMapping, EfictionReviewRatings
from fanarchive.formats.tests import efiction_fixture
from fanarchive.tags.fixed import (
    CHARACTER_DEATH,
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    NOT_RATED,
    TEEN,
)
from fanarchive.tags.models import FandomLink, MetaTagLink, Tag, TagType
from fanarchive.works.models import Chapter, Series, Work
from fanarchive.works.tag_selectors import works_filtered_by_tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return make_user("archivist", is_staff=True)


def run(*args: str) -> dict:
    out = StringIO()
    call_command("migrate-efiction", *args, "--json", "--no-progress", stdout=out)
    return json.loads(out.getvalue())


def migrate_fixture(tmp_path: Path, *, unix_dates: bool = False, extra: tuple = ()) -> dict:
    fixture = efiction_fixture.build(tmp_path, unix_dates=unix_dates)
    return run(
        "--dump", str(fixture.dump), "--stories", str(fixture.stories), "--as", "archivist", *extra
    )


def work(sid: int) -> Work:
    mapping = EfictionMapping.objects.get(kind="story", efiction_id=sid)
    return Work.objects.get(pk=mapping.object_id)


def names(w: Work, tag_type: str) -> list[str]:
    return [t.name for t in w.tags.filter(type=tag_type)]


def skipped(report: dict, kind: str) -> dict[str, str]:
    return {s["efiction_id"]: s["reason"] for s in report["skipped"] if s["kind"] == kind}


# -- the report ---------------------------------------------------------------------------


@pytest.mark.parametrize("unix_dates", [False, True], ids=["datetime", "unix"])
def test_every_row_is_accounted_for(admin, tmp_path, unix_dates):
    fixture = efiction_fixture.build(tmp_path, unix_dates=unix_dates)
    report = run(
        "--dump", str(fixture.dump), "--stories", str(fixture.stories), "--as", "archivist"
    )
    for kind, rows in fixture.rows.items():
        counts = dict(report["counts"][kind])
        assert counts.pop("read") == rows, kind
        assert sum(counts.values()) == rows, (kind, counts)
    counts = report["counts"]
    assert counts["authors"] == {"read": 4, "migrated": 4}
    assert counts["stories"] == {"read": 6, "migrated": 4, "skipped": 2}
    assert counts["chapters"] == {"read": 9, "migrated": 7, "skipped": 2}
    assert counts["series"] == {"read": 3, "migrated": 2, "skipped": 1}
    assert counts["reviews"] == {"read": 8, "migrated": 5, "skipped": 3}
    assert counts["favorites"] == {"read": 9, "migrated": 5, "skipped": 4}
    stories = skipped(report, "stories")
    assert "author (99) that was not migrated" in stories["4"]
    assert "no chapter with text" in stories["5"]
    chapters = skipped(report, "chapters")
    assert "no file 3/6.txt" in chapters["6"]
    assert skipped(report, "reviews") == {
        "6": "story 4 was not migrated.",
        "7": "chapter 9 is a draft here (not validated on eFiction).",
        "8": "has no text and no rating.",
    }
    assert skipped(report, "favorites") == {
        "1/AU/1": "You cannot subscribe to yourself.",
        "2/ST/4": "story 4 was not migrated.",
        "2/ST/1": "appears twice: the first is kept.",
        "99/ST/1": "author 99 was not migrated.",
    }
    assert "not migrated" in chapters["5"]
    assert "its owner (99)" in skipped(report, "series")["3"]
    assert skipped(report, "inseries")["2/4"] == "story 4 was not migrated."
    coauthors = skipped(report, "coauthors")
    assert coauthors == {
        "1/99": "author 99 was not migrated.",
        "6/3": "is the story's own author.",
    }
    decisions = "\n".join(report["decisions"])
    assert 'Rating "Grown-ups Only" is unknown: rated "Not Rated".' in decisions
    assert 'Rating "NC-17" is "Explicit".' in decisions
    assert 'Warning "Major Character Death" is the archive warning' in decisions
    assert 'Class "Spoilers" (Warnings) is the additional tag "Spoilers".' in decisions
    assert "ratings (how many of each, count, average) are kept" in decisions
    assert report["review_ratings"] == [
        {
            "kind": "story",
            "efiction_id": 1,
            "title": "The Lamp",
            "count": 1,
            "average": 5.0,
            "ratings": {"5": 1},
        }
    ]
    assert "1 favourite(s) had a comment" in decisions
    assert 'Category "Sky, Lanterns" is the fandom "Sky Lanterns".' in decisions
    assert report["hits"] == 120 + 45 + 3 + 900
    assert report["ignored_tables"] == {}
    assert report["counts"]["settings"] == {"read": 1, "mapped": 1}


def test_the_text_report_lists_counts_decisions_and_skips(admin, tmp_path):
    fixture = efiction_fixture.build(tmp_path)
    out = StringIO()
    call_command(
        "migrate-efiction",
        "--dump",
        str(fixture.dump),
        "--stories",
        str(fixture.stories),
        "--as",
        "archivist",
        "--no-progress",
        stdout=out,
    )
    text = out.getvalue()
    assert re.search(r"stories +6 read: 4 migrated, 2 skipped", text)
    assert "Mapping decisions:" in text
    assert "- stories 4: has an author (99) that was not migrated." in text


# -- authors and passwords ---------------------------------------------------------------


def test_authors_become_users_with_pseuds_email_bio_and_website(admin, tmp_path):
    report = migrate_fixture(tmp_path)
    wren = User.objects.get(username="Wren_Ashdown")
    assert wren.email == "wren@example.org"
    assert "Writes about boats." in wren.about and "And lighthouses." in wren.about
    assert "Website: https://example.org/wren" in wren.about
    assert wren.default_pseud.name == "Wren Ashdown"
    emile = User.objects.get(username="Emile_Cote")  # latin-1 bytes read right
    assert emile.default_pseud.name == "Émile Côté"
    assert emile.about == "Je suis un écrivain."
    kit = User.objects.get(username="kit")
    assert kit.about == "Loves café au lait."  # mojibake repaired
    assert kit.email.endswith("@efiction-migration.invalid")  # wren's address was taken
    quiet = User.objects.get(username="Quiet_Reader")
    assert not quiet.has_usable_password()
    decisions = "\n".join(report["decisions"])
    assert "Author 3 (kit) shares an e-mail address with another account" in decisions
    assert "Author 4 (Quiet Reader): the stored password is not an MD5 hash" in decisions


def test_an_old_md5_password_logs_in_once_and_is_then_rehashed(admin, tmp_path, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "fanarchive.accounts.hashers.EfictionMD5WrappedHasher",
    ]
    migrate_fixture(tmp_path)
    wren = User.objects.get(username="Wren_Ashdown")
    md5 = efiction_fixture.md5_hex(efiction_fixture.PASSWORD_WREN)
    assert wren.password.startswith("pbkdf2_wrapped_efiction_md5$")
    assert md5 not in wren.password
    login = reverse("accounts:login")

    # The MD5 digest itself (what an old leak would give away) is not a password.
    response = Client().post(login, {"username": "Wren_Ashdown", "password": md5})
    assert response.status_code == 200
    assert "_auth_user_id" not in Client().session

    client = Client()
    response = client.post(
        login, {"username": "Wren_Ashdown", "password": efiction_fixture.PASSWORD_WREN}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(wren.pk)
    wren.refresh_from_db()
    assert wren.password.startswith("pbkdf2_sha256$")
    assert wren.check_password(efiction_fixture.PASSWORD_WREN)

    client = Client()  # and again, now with Django's own hash
    response = client.post(
        login, {"username": "wren@example.org", "password": efiction_fixture.PASSWORD_WREN}
    )
    assert response.status_code == 302


# -- works -----------------------------------------------------------------------------


def test_stories_become_readable_works(admin, tmp_path, client):
    migrate_fixture(tmp_path)
    lamp = work(1)
    assert lamp.title == "The Lamp"
    assert lamp.posted and lamp.complete and lamp.expected_chapters == 2
    assert lamp.summary == "<p>A short summary.</p>"
    assert lamp.notes == "<p>Story notes here.</p>"
    chapters = list(lamp.chapters.order_by("position"))
    assert [c.title for c in chapters] == ["Dusk", "Oil"]
    assert chapters[0].notes == "<p>Chapter notes.</p>"
    assert chapters[0].endnotes == "<p>See you next time.</p>"
    # Line-break-only text and <br><br> both became paragraphs; the script is gone.
    assert chapters[0].content.count("<p>") == 3
    assert chapters[1].content.count("<p>") == 3
    assert "script" not in chapters[1].content
    assert lamp.word_count == chapters[0].word_count + chapters[1].word_count > 40

    page = client.get(reverse("works:detail", args=[lamp.pk]), follow=True)
    assert page.status_code == 200
    text = page.content.decode()
    assert "The Lamp" in text and "Wren Ashdown" in text
    chapter = client.get(reverse("works:chapter", args=[lamp.pk, chapters[1].pk]))
    assert "the whole bay turned gold" in chapter.content.decode()


def test_text_from_the_stories_folder_and_old_encodings(admin, tmp_path):
    migrate_fixture(tmp_path)
    quay = work(2)
    assert "Émile poured the café crème" in quay.chapters.get().content
    assert not quay.complete and quay.expected_chapters is None
    watch = work(6)
    assert watch.summary == "<p>A café at night.</p>"
    assert "The café was closed" in watch.chapters.get(position=1).content


def test_chapters_follow_eFiction_order_and_unvalidated_ones_are_drafts(admin, tmp_path):
    migrate_fixture(tmp_path)
    watch = work(6)
    chapters = list(watch.chapters.order_by("position"))
    assert [(c.title, c.posted) for c in chapters] == [
        ("First Watch", True),
        ("Second Watch", True),
        ("Third Watch", False),
    ]
    assert watch.posted_chapters == 2
    draft = work(3)
    assert not draft.posted and not draft.chapters.filter(posted=True).exists()
    chapter_map = dict(
        EfictionMapping.objects.filter(kind="chapter").values_list("efiction_id", "object_id")
    )
    assert Chapter.objects.get(pk=chapter_map[8]).title == "First Watch"
    assert Chapter.objects.get(pk=chapter_map[7]).title == "Second Watch"


def test_dates_and_hits_are_kept(admin, tmp_path):
    migrate_fixture(tmp_path, unix_dates=True)
    lamp = work(1)
    assert lamp.first_posted_at == dt.datetime(2008, 3, 1, 12, tzinfo=dt.UTC)
    assert lamp.revised_at == dt.datetime(2008, 4, 2, 9, 30, tzinfo=dt.UTC)
    assert lamp.created_at == lamp.first_posted_at
    published = [c.published_at for c in lamp.chapters.order_by("position")]
    assert published == [lamp.first_posted_at, lamp.revised_at]
    mapping = EfictionMapping.objects.get(kind="story", efiction_id=1)
    assert mapping.data["hits"] == 120
    assert EfictionMapping.objects.get(kind="chapter", efiction_id=1).data == {"hits": 80}


# -- reviews, favourites and hits -------------------------------------------------------------


def test_reviews_become_comments_on_their_chapters_with_their_dates(
    admin, tmp_path, client, mailoutbox
):
    migrate_fixture(tmp_path)
    lamp = work(1)
    dusk, oil = lamp.chapters.order_by("position")
    by_text = {c.text: c for c in Comment.objects.select_related("pseud", "user")}
    assert set(by_text) == {
        "<p>Lovely lamp.</p>",
        "<p>Anonymous but kind.</p>",
        "<p>A fine series.</p>",
        "<p>Kept watch with you.</p>",
        "<p>Lovely quay.</p>",
    }
    member = by_text["<p>Lovely lamp.</p>"]
    assert member.chapter == dusk and member.user == User.objects.get(username="Emile_Cote")
    assert member.pseud is not None and member.pseud.name == "Émile Côté"
    assert member.created_at == dt.datetime(2008, 5, 1, tzinfo=dt.UTC)
    guest = by_text["<p>Anonymous but kind.</p>"]
    assert guest.chapter == oil and guest.user is None and guest.guest_name == "Passing Gull"
    # A series review: the first chapter of the series' first work.
    series_review = by_text["<p>A fine series.</p>"]
    assert series_review.chapter == dusk and series_review.guest_name == "Harbour Fan"
    # No chapter named: the first chapter (eFiction chapter 8, "First Watch").
    first_watch = by_text["<p>Kept watch with you.</p>"]
    assert first_watch.chapter.title == "First Watch"
    assert first_watch.user == User.objects.get(username="Quiet_Reader")
    # By an author who was not migrated: a guest under the typed name.
    gone = by_text["<p>Lovely quay.</p>"]
    assert gone.user is None and gone.guest_name == "Old Member" and gone.work == work(2)
    assert all(c.state == "published" and c.thread_root_id == c.pk for c in by_text.values())
    assert not Notice.objects.exists() and mailoutbox == []
    mapping = EfictionMapping.objects.get(kind="review", efiction_id=2)
    assert mapping.object_id == guest.pk

    first = client.get(reverse("works:chapter", args=[lamp.pk, dusk.pk])).content.decode()
    assert "Lovely lamp." in first and "Émile Côté" in first and "1 May 2008" in first
    assert 'Harbour Fan <span class="role">(Guest)</span>' in first
    second = client.get(reverse("works:chapter", args=[lamp.pk, oil.pk])).content.decode()
    assert 'Passing Gull <span class="role">(Guest)</span>' in second
    assert "Anonymous but kind." in second and "2 May 2008" in second
    assert '<dt class="comments">Comments</dt><dd class="comments">3</dd>' in first


def test_favourites_become_bookmarks_and_subscriptions(admin, tmp_path, client):
    migrate_fixture(tmp_path)
    emile = User.objects.get(username="Emile_Cote")
    kit = User.objects.get(username="kit")
    quiet = User.objects.get(username="Quiet_Reader")
    wren = User.objects.get(username="Wren_Ashdown")
    bookmarks = {}
    for b in Bookmark.objects.select_related("user", "work", "series"):
        item = b.work or b.series
        assert item is not None
        bookmarks[(b.user.username, item.title)] = b
    assert set(bookmarks) == {
        ("Emile_Cote", "The Lamp"),
        ("kit", "Harbour Cycle"),
        ("Quiet_Reader", "Night Watch"),
    }
    lamp_mark = bookmarks[("Emile_Cote", "The Lamp")]
    assert lamp_mark.pseud == emile.default_pseud
    assert lamp_mark.notes == "" and not lamp_mark.private and not lamp_mark.rec
    assert bookmarks[("kit", "Harbour Cycle")].pseud == kit.default_pseud
    subscriptions = {
        (s.user.username, s.creator.username)
        for s in Subscription.objects.select_related("user", "creator")
        if s.creator is not None
    }
    assert subscriptions == {("Wren_Ashdown", "Emile_Cote"), ("Quiet_Reader", "Wren_Ashdown")}
    assert Subscription.objects.count() == 2
    assert set(Subscription.objects.values_list("kind", flat=True)) == {SubscriptionKind.CREATOR}
    assert not Notice.objects.exists()
    assert EfictionMapping.objects.get(kind="favorite", efiction_id=4).data == {
        "ST:6": bookmarks[("Quiet_Reader", "Night Watch")].pk,
        "AU:1": Subscription.objects.get(user=quiet).pk,
    }

    page = client.get(reverse("social:user_bookmarks", args=["Emile_Cote"])).content.decode()
    assert "The Lamp" in page
    page = client.get(reverse("social:user_bookmarks", args=["kit"])).content.decode()
    assert "Harbour Cycle" in page
    client.force_login(wren)
    page = client.get(reverse("social:user_subscriptions", args=["Wren_Ashdown"]))
    assert "Emile_Cote" in page.content.decode() or "Émile Côté" in page.content.decode()


def test_hits_are_on_the_work_page_and_sort_the_catalogue(admin, tmp_path, client, settings):
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.discovery.index.catalogue import Filter
    from fanarchive.discovery.selectors import viewer_for, works_find

    settings.DISCOVERY_CATCH_UP_SECONDS = 0
    report = migrate_fixture(tmp_path)
    assert report["hits"] == 120 + 45 + 3 + 900
    assert WorkHitCount.objects.get(work=work(6)).hits == 900
    assert WorkHitCount.objects.get(work=work(1)).hits == 120
    assert EfictionMapping.objects.get(kind="story", efiction_id=1).data["hits_added"] is True
    page = client.get(reverse("works:detail", args=[work(1).pk]), follow=True).content.decode()
    assert '<dt class="hits">Hits</dt><dd class="hits">120</dd>' in page
    found = works_find(viewer=viewer_for(AnonymousUser()), spec=Filter(sort="hits"))
    assert [w.title for w in found.works] == ["Night Watch", "The Lamp", "Lanterns Over the Quay"]


def test_a_rerun_adds_hits_once_and_keeps_deleted_engagement_deleted(admin, tmp_path):
    migrate_fixture(tmp_path)
    # As after a run from before hits were migrated: the hits only in the mapping.
    mapping = EfictionMapping.objects.get(kind="story", efiction_id=1)
    del mapping.data["hits_added"]
    mapping.save()
    WorkHitCount.objects.filter(work=work(1)).delete()
    # Readers removed a migrated bookmark, subscription and comment since.
    Bookmark.objects.get(work=work(1)).delete()
    Subscription.objects.get(user__username="Wren_Ashdown").delete()
    Comment.objects.get(guest_name="Passing Gull").delete()
    report = migrate_fixture(tmp_path)
    assert report["hits"] == 120
    assert WorkHitCount.objects.get(work=work(1)).hits == 120
    assert WorkHitCount.objects.get(work=work(6)).hits == 900
    assert not Bookmark.objects.filter(work=work(1)).exists()
    assert not Subscription.objects.filter(user__username="Wren_Ashdown").exists()
    assert not Comment.objects.filter(guest_name="Passing Gull").exists()
    assert report["counts"]["reviews"]["already migrated"] == 5
    assert report["counts"]["favorites"]["already migrated"] == 5


def test_ratings_warnings_and_classes(admin, tmp_path):
    migrate_fixture(tmp_path)
    lamp = work(1)
    assert names(lamp, TagType.RATING) == [TEEN]
    assert names(lamp, TagType.WARNING) == [CHARACTER_DEATH]
    assert names(lamp, TagType.FREEFORM) == ["Angst"]
    quay = work(2)
    assert names(quay, TagType.RATING) == [NOT_RATED]
    assert names(quay, TagType.WARNING) == [CHOSE_NOT_TO_WARN]
    assert names(quay, TagType.FREEFORM) == ["Fluff"]
    watch = work(6)
    assert names(watch, TagType.RATING) == [EXPLICIT]
    assert names(watch, TagType.FREEFORM) == ["Spoilers"]


def test_categories_become_fandoms_under_their_parents(admin, tmp_path):
    migrate_fixture(tmp_path)
    fandom = {t.name: t for t in Tag.objects.filter(type=TagType.FANDOM)}
    top, middle, leaf = (
        fandom["Harbour Tales"],
        fandom["Harbour Tales: The Lighthouse Years"],
        fandom["Keeper's Log"],
    )
    assert top.canonical and middle.canonical and leaf.canonical
    assert MetaTagLink.objects.filter(meta=top, sub=middle).exists()
    assert MetaTagLink.objects.filter(meta=middle, sub=leaf).exists()
    assert names(work(1), TagType.FANDOM) == ["Harbour Tales: The Lighthouse Years"]
    assert names(work(6), TagType.FANDOM) == [
        "Harbour Tales: The Lighthouse Years",
        "Sky Lanterns",
    ]
    # Filters follow the tree: the top fandom finds the works of its subcategories.
    # The draft (story 3, in Keeper's Log) is under it too, in the database's answer.
    under_top = set(works_filtered_by_tag(top).values_list("pk", flat=True))
    assert under_top == {work(1).pk, work(3).pk, work(6).pk}
    under_sky = set(works_filtered_by_tag(fandom["Sky Lanterns"]).values_list("pk", flat=True))
    assert under_sky == {work(2).pk, work(6).pk}


def test_characters_are_linked_to_their_fandoms(admin, tmp_path):
    report = migrate_fixture(tmp_path)
    mira = Tag.objects.get(type=TagType.CHARACTER, name="Mira Vale")
    assert mira.canonical
    assert FandomLink.objects.filter(
        tag=mira, fandom__name="Harbour Tales: The Lighthouse Years"
    ).exists()
    wanderer = Tag.objects.get(type=TagType.CHARACTER, name="Wanderer")
    assert not FandomLink.objects.filter(tag=wanderer).exists()
    assert any("Wanderer" in d and "no fandom" in d for d in report["decisions"])
    assert names(work(1), TagType.CHARACTER) == ["Mira Vale", "Tomas Reyes"]


def test_the_works_listing_filters_by_the_mapped_tags(admin, tmp_path, client):
    migrate_fixture(tmp_path)
    top = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    page = client.get(reverse("works:list"), {"include": top.pk}).content.decode()
    assert "The Lamp" in page and "Night Watch" in page
    assert "Lanterns Over the Quay" not in page
    assert "Unfinished Log" not in page  # a draft
    death = Tag.objects.get(type=TagType.WARNING, name=CHARACTER_DEATH)
    page = client.get(reverse("works:list"), {"include": death.pk}).content.decode()
    assert "The Lamp" in page and "Night Watch" not in page


def test_coauthors_become_co_creators(admin, tmp_path):
    migrate_fixture(tmp_path)
    quay = work(2)
    bylines = {p.name for p in quay.pseuds.all()}
    assert bylines == {"Émile Côté", "Wren Ashdown"}
    wren = User.objects.get(username="Wren_Ashdown")
    assert quay in Work.objects.by_user(wren)


def test_series_are_kept_with_nested_ones_flattened(admin, tmp_path):
    report = migrate_fixture(tmp_path)
    cycle = Series.objects.get(title="Harbour Cycle")
    lanterns = Series.objects.get(title="Lantern Nights")
    assert [e.work.title for e in lanterns.series_works.all()] == [
        "Lanterns Over the Quay",
        "Night Watch",
    ]
    assert [e.work.title for e in cycle.series_works.all()] == [
        "The Lamp",
        "Lanterns Over the Quay",
        "Night Watch",
    ]
    assert [p.name for p in lanterns.pseuds.all()] == ["Émile Côté"]
    assert any("nested in" in d for d in report["decisions"])


# -- re-runs, dry runs, old addresses ----------------------------------------------------


def test_a_rerun_creates_nothing_and_reports_everything_as_already_migrated(admin, tmp_path):
    migrate_fixture(tmp_path)
    before = (
        User.objects.count(),
        Work.objects.count(),
        Chapter.objects.count(),
        Series.objects.count(),
        Tag.objects.count(),
        EfictionMapping.objects.count(),
        Comment.objects.count(),
        Bookmark.objects.count(),
        Subscription.objects.count(),
        sorted(WorkHitCount.objects.values_list("work_id", "hits")),
    )
    report = migrate_fixture(tmp_path)
    after = (
        User.objects.count(),
        Work.objects.count(),
        Chapter.objects.count(),
        Series.objects.count(),
        Tag.objects.count(),
        EfictionMapping.objects.count(),
        Comment.objects.count(),
        Bookmark.objects.count(),
        Subscription.objects.count(),
        sorted(WorkHitCount.objects.values_list("work_id", "hits")),
    )
    assert after == before
    assert before[6:9] == (5, 3, 2)
    counts = report["counts"]
    assert counts["authors"] == {"read": 4, "already migrated": 4}
    assert counts["stories"] == {"read": 6, "already migrated": 4, "skipped": 2}
    assert counts["chapters"]["already migrated"] == 7
    assert counts["series"] == {"read": 3, "already migrated": 2, "skipped": 1}
    assert "migrated" not in counts["categories"]
    assert counts["reviews"] == {"read": 8, "already migrated": 5, "skipped": 3}
    assert counts["favorites"] == {"read": 9, "already migrated": 5, "skipped": 4}
    assert report["hits"] == 0


def test_a_dry_run_writes_nothing(admin, tmp_path):
    users = User.objects.count()
    tags = Tag.objects.count()
    report = migrate_fixture(tmp_path, extra=("--dry-run",))
    assert report["dry_run"] is True
    assert report["counts"]["stories"] == {"read": 6, "would migrate": 4, "skipped": 2}
    assert User.objects.count() == users
    assert Tag.objects.count() == tags
    assert not Work.objects.exists()
    assert not EfictionMapping.objects.exists()
    assert report["counts"]["reviews"] == {"read": 8, "would migrate": 5, "skipped": 3}
    assert report["counts"]["favorites"] == {"read": 9, "would migrate": 5, "skipped": 4}
    assert not Comment.objects.exists() and not Bookmark.objects.exists()
    assert not Subscription.objects.exists() and not WorkHitCount.objects.exists()
    assert not EfictionReviewRatings.objects.exists()


def test_old_addresses_redirect_to_the_new_pages(admin, tmp_path, client):
    migrate_fixture(tmp_path)
    lamp = work(1)
    response = client.get("/viewstory.php", {"sid": 1})
    assert response.status_code == 301
    assert response["Location"] == reverse("works:detail", args=[lamp.pk])
    second = lamp.chapters.get(position=2)
    response = client.get("/viewstory.php", {"sid": 1, "chapter": 2})
    assert response["Location"] == reverse("works:chapter", args=[lamp.pk, second.pk])
    response = client.get("/viewuser.php", {"uid": 1})
    assert response["Location"] == reverse("accounts:profile", args=["Wren_Ashdown"])
    series = Series.objects.get(title="Harbour Cycle")
    response = client.get("/viewseries.php", {"seriesid": 1})
    assert response["Location"] == reverse("works:series", args=[series.pk])
    assert client.get("/viewstory.php", {"sid": 4}).status_code == 404  # skipped
    assert client.get("/viewstory.php", {"sid": "x"}).status_code == 404
    assert client.get("/viewuser.php").status_code == 404
    # A draft's old address leads to the work page, whose own rules keep it private.
    response = client.get("/viewstory.php", {"sid": 3}, follow=True)
    assert response.status_code == 404


def test_the_command_refuses_bad_input(admin, tmp_path):
    fixture = efiction_fixture.build(tmp_path)
    make_user("plainuser")
    with pytest.raises(CommandError, match="not an admin"):
        run("--dump", str(fixture.dump), "--as", "plainuser")
    with pytest.raises(CommandError, match="no user named"):
        run("--dump", str(fixture.dump), "--as", "nobody")
    with pytest.raises(CommandError, match="cannot be read"):
        run("--dump", str(tmp_path / "missing.sql"), "--as", "archivist")
    with pytest.raises(CommandError, match="prefix"):
        run("--dump", str(fixture.dump), "--as", "archivist", "--prefix", "efic_")
    broken = tmp_path / "broken.sql"
    broken.write_text("INSERT INTO fanfiction_authors VALUES (1, 'x', );")
    with pytest.raises(CommandError, match="line 1"):
        run("--dump", str(broken), "--as", "archivist")
    assert not Work.objects.exists() and not EfictionMapping.objects.exists()


def test_another_prefix_and_archive_name(admin, tmp_path):
    fixture = efiction_fixture.build(tmp_path, prefix="efic_")
    report = run(
        "--dump",
        str(fixture.dump),
        "--stories",
        str(fixture.stories),
        "--as",
        "archivist",
        "--prefix",
        "efic_",
        "--archive",
        "old-harbour",
    )
    assert report["counts"]["stories"]["migrated"] == 4
    assert set(EfictionMapping.objects.values_list("archive", flat=True)) == {"old-harbour"}


def test_a_generated_archive_migrates_whole(admin, tmp_path):
    generated = generate(tmp_path, stories=12, chapters=30, authors=3, unix_dates=True)
    archive = read_dump(generated.dump, prefix="fanfiction_")
    assert len(archive.stories) == 12 and len(archive.chapters) == 30
    report = migrate(
        user=admin,
        archive=archive,
        options=MigrationOptions(stories_dir=generated.stories_dir),
    )
    assert report.unaccounted() == {}
    assert report.outcomes["stories"]["migrated"] == 12
    assert report.outcomes["chapters"]["migrated"] == 30
    assert Work.objects.count() == 12
    assert Pseud.objects.filter(name="Writer 1").exists()


# Transactional (each story commits on its own), so it flushes the database afterwards,
# data migrations' rows too: it runs after the other tests (see the root conftest).
@pytest.mark.django_db(transaction=True)
@pytest.mark.flushes_database
def test_an_interrupted_run_keeps_what_it_finished_and_a_rerun_adds_the_rest(tmp_path, monkeypatch):
    from fanarchive.formats.efiction.stages import stories as mapper  # calls work_create

    make_user("archivist", is_staff=True)
    fixture = efiction_fixture.build(tmp_path)
    real_work_create = mapper.work_create  # type: ignore[attr-defined]

    def failing(**kwargs: Any) -> Any:
        if kwargs["data"].title == "Night Watch":
            raise RuntimeError("the power went out")
        return real_work_create(**kwargs)

    monkeypatch.setattr(mapper, "work_create", failing)
    args = ("--dump", str(fixture.dump), "--stories", str(fixture.stories), "--as", "archivist")
    with pytest.raises(RuntimeError, match="the power went out"):
        run(*args)
    assert sorted(Work.objects.values_list("title", flat=True)) == [
        "Lanterns Over the Quay",
        "The Lamp",
        "Unfinished Log",
    ]
    monkeypatch.setattr(mapper, "work_create", real_work_create)
    report = run(*args)
    assert report["counts"]["stories"] == {
        "read": 6,
        "already migrated": 3,
        "migrated": 1,
        "skipped": 2,
    }
    assert Work.objects.filter(title="Night Watch").count() == 1
