"""What a migration must keep of an eFiction 3.5 archive (issue 21), through the command.

The archive is `efiction35_fixture`: non-ASCII passwords in the encodings eFiction
hashed, a line-break-only chapter with a centred scene break, dates (join dates, a
draft's update, zero and NULL review dates), rated and rating-only reviews, admins,
and the variant whose texts live in the stories folder.
"""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user
from fanarchive.core.text import SCENE_BREAK_HTML
from fanarchive.engagement.models import Comment
from fanarchive.formats.efiction.read import read_dump
from fanarchive.formats.models import EfictionMapping, EfictionReviewRatings
from fanarchive.formats.tests import efiction35_fixture as f35
from fanarchive.works.models import Chapter, Series, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin() -> User:
    return make_user("archivist", is_staff=True)


def run(*args: str, text: bool = False) -> Any:
    out = StringIO()
    extra = () if text else ("--json",)
    call_command("migrate-efiction", *args, *extra, "--no-progress", stdout=out)
    return out.getvalue() if text else json.loads(out.getvalue())


def migrate(tmp_path: Path, *extra: str, store: str = "mysql") -> dict:
    fixture = f35.build(tmp_path, store=store)
    return run("--dump", str(fixture.dump), "--as", "archivist", *extra)


def work(sid: int) -> Work:
    return Work.objects.get(pk=EfictionMapping.objects.get(kind="story", efiction_id=sid).object_id)


def chapter(chapid: int) -> Chapter:
    mapping = EfictionMapping.objects.get(kind="chapter", efiction_id=chapid)
    return Chapter.objects.get(pk=mapping.object_id)


def listed(report: dict, section: str, kind: str) -> dict[str, str]:
    return {s["efiction_id"]: s["reason"] for s in report[section] if s["kind"] == kind}


# -- 1. passwords ---------------------------------------------------------------------------


def test_old_passwords_log_in_whatever_encoding_eFiction_hashed(admin, tmp_path):
    migrate(tmp_path)
    login = reverse("accounts:login")
    accounts = {
        "Archivist_Ada": f35.PASSWORD_ADA,
        "Zoe_Bronte": f35.PASSWORD_ZOE,  # cp1252 bytes
        "Nikos": f35.PASSWORD_NIKOS,  # UTF-8 bytes, not encodable in cp1252
        "Moderator_Mo": f35.PASSWORD_MO,  # cp1252 with the browser's &#937;
    }
    # A near miss is still wrong.
    response = Client().post(login, {"username": "Zoe_Bronte", "password": "creme brulee"})
    assert response.status_code == 200
    for username, password in accounts.items():
        user = User.objects.get(username=username)
        assert user.password.startswith("pbkdf2_wrapped_efiction_md5$")
        client = Client()
        response = client.post(login, {"username": username, "password": password})
        assert response.status_code == 302, username
        assert client.session["_auth_user_id"] == str(user.pk)
        user.refresh_from_db()
        assert not user.password.startswith("pbkdf2_wrapped_efiction_md5$")  # upgraded
        again = Client().post(login, {"username": username, "password": password})
        assert again.status_code == 302, username


# -- 2. line-break-only text with a centred scene break --------------------------------------


def test_a_line_break_chapter_with_a_centred_break_has_paragraphs_and_a_scene_break(
    admin, tmp_path, client
):
    migrate(tmp_path)
    tide = chapter(1)
    content = tide.content
    assert content.count("<p>") == 5
    assert content.count(SCENE_BREAK_HTML) == 1
    assert "<center>" not in content and "* * *" not in content
    assert content.index("There should be nine.") < content.index(SCENE_BREAK_HTML)
    assert content.index(SCENE_BREAK_HTML) < content.index("By morning")
    page = client.get(reverse("works:chapter", args=[tide.work_id, tide.pk])).content.decode()
    assert SCENE_BREAK_HTML in page and "<p>By morning the ninth boat" in page


# -- 3. dates ---------------------------------------------------------------------------------


def test_join_dates_are_kept_and_an_unknown_one_is_the_first_thing_the_author_did(
    admin, tmp_path, client
):
    report = migrate(tmp_path)
    joined = {u.username: u.date_joined for u in User.objects.exclude(username="archivist")}
    assert joined["Archivist_Ada"] == f35.utc(f35.ADA_JOINED)
    assert joined["Zoe_Bronte"] == f35.utc(f35.ZOE_JOINED)
    assert joined["Nikos"] == f35.utc(f35.NIKOS_JOINED)
    assert joined["Moderator_Mo"] == f35.utc(f35.MO_JOINED)
    # eFiction's 0: the author's first story.
    assert joined["Late_Joiner"] == f35.utc(f35.LATE_POSTED)
    # NULL and nothing done: named in the report.
    decisions = "\n".join(report["decisions"])
    assert "Author 6 (Lurker) has no join date on eFiction" in decisions
    page = client.get(reverse("accounts:profile", args=["Zoe_Bronte"])).content.decode()
    assert "Joined 3 Mar 2005" in page


def test_a_draft_keeps_its_posting_and_update_dates(admin, tmp_path, client):
    migrate(tmp_path)
    draft = work(2)
    assert not draft.posted
    assert draft.created_at == f35.utc(f35.DRAFT_POSTED)
    assert draft.updated_at == f35.utc(f35.DRAFT_UPDATED)
    client.force_login(User.objects.get(username="Zoe_Bronte"))
    page = client.get(reverse("accounts:drafts", args=["Zoe_Bronte"])).content.decode()
    assert "Draft With an Update" in page and "15 Apr 2007" in page


def test_a_story_without_dates_takes_its_authors_join_date_not_now(admin, tmp_path):
    report = migrate(tmp_path)
    undated = work(5)
    assert undated.first_posted_at == undated.revised_at == f35.utc(f35.ADA_JOINED)
    assert any("Story 5 (Undated) has no date" in d for d in report["decisions"])


def test_reviews_with_a_zero_or_null_date_take_their_chapters_date(admin, tmp_path, client):
    migrate(tmp_path)
    gull = Comment.objects.get(guest_name="Gull")  # date 0, on chapter 4
    puffin = Comment.objects.get(guest_name="Puffin")  # date NULL, on chapter 3
    assert gull.created_at == chapter(4).published_at == f35.utc(f35.QUAY_UPDATED)
    assert puffin.created_at == chapter(3).published_at == f35.utc(f35.QUAY_POSTED)
    ada = Comment.objects.get(text="<p>Lovely harbour scenes.</p>")
    assert ada.created_at == f35.utc("2008-01-05 10:00:00")
    quay = work(3)
    page = client.get(reverse("works:chapter", args=[quay.pk, chapter(4).pk])).content.decode()
    assert "Came back for the second part." in page and "1 Feb 2008" in page


# -- 4. rating-only reviews and review ratings ------------------------------------------------


def test_a_rating_only_review_is_not_a_comment_and_review_ratings_are_kept(admin, tmp_path):
    report = migrate(tmp_path)
    texts = set(Comment.objects.values_list("text", flat=True))
    assert texts == {
        "<p>Lovely harbour scenes.</p>",
        "<p>Came back for the second part.</p>",
        "<p>The quay at night!</p>",
        "<p>Such a quiet tide.</p>",
        "<p>A fine series.</p>",
    }
    assert report["counts"]["reviews"] == {"read": 8, "migrated": 5, "mapped": 1, "skipped": 2}
    assert "only a rating" in listed(report, "mapped_rows", "reviews")["3"]
    assert listed(report, "skipped", "reviews") == {
        "7": "story 2 is a draft here (not validated on eFiction).",
        "8": "has no text and no rating.",
    }
    kept = {(k.kind, k.efiction_id): k for k in EfictionReviewRatings.objects.all()}
    assert set(kept) == {("story", 1), ("story", 2), ("story", 3), ("series", 1)}
    quay = kept[("story", 3)]
    assert quay.work == work(3) and quay.title == "Reviewed at the Quay"
    assert quay.ratings == {"6": 1, "8": 1, "9": 1}
    assert quay.count == 3 and quay.average == pytest.approx(23 / 3)
    assert kept[("story", 2)].ratings == {"5": 1}  # the draft's review, not a comment
    assert kept[("series", 1)].series == Series.objects.get(title="Harbour Cycle")
    listed_ratings = {(r["kind"], r["efiction_id"]): r for r in report["review_ratings"]}
    assert listed_ratings[("story", 3)]["count"] == 3
    assert listed_ratings[("story", 3)]["average"] == pytest.approx(7.67, abs=0.01)


def test_review_ratings_are_in_the_text_report_and_the_read_only_admin(admin, tmp_path):
    fixture = f35.build(tmp_path)
    text = run("--dump", str(fixture.dump), "--as", "archivist", text=True)
    assert "Review ratings: 6 ratings of 4 stories and series" in text
    superuser = make_user("boss", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    page = client.get(reverse("admin:formats_efictionreviewratings_changelist"))
    assert page.status_code == 200
    assert "Reviewed at the Quay" in page.content.decode()
    assert client.get(reverse("admin:formats_efictionreviewratings_add")).status_code == 403
    one = EfictionReviewRatings.objects.get(kind="story", efiction_id=3)
    change = client.get(reverse("admin:formats_efictionreviewratings_change", args=[one.pk]))
    assert change.status_code == 200 and b'name="count"' not in change.content


def test_ratings_are_not_counted_twice_on_a_rerun(admin, tmp_path):
    fixture = f35.build(tmp_path)
    args = ("--dump", str(fixture.dump), "--as", "archivist")
    run(*args)
    report = run(*args)
    assert report["counts"]["reviews"] == {
        "read": 8,
        "already migrated": 5,
        "mapped": 1,
        "skipped": 2,
    }
    assert EfictionReviewRatings.objects.get(kind="story", efiction_id=3).count == 3
    assert Comment.objects.count() == 5


# -- 5. admins ------------------------------------------------------------------------------


def test_the_report_names_the_eFiction_admins_and_advises_the_option(admin, tmp_path):
    fixture = f35.build(tmp_path)
    text = run("--dump", str(fixture.dump), "--as", "archivist", text=True)
    assert "Archivist Ada (uid 1, level 1)" in text and "Moderator Mo (uid 4, level 3)" in text
    assert '--admins "Archivist Ada" "Moderator Mo"' in text
    assert not User.objects.filter(username__in=["Archivist_Ada", "Moderator_Mo"], is_staff=True)


def test_the_admins_option_makes_those_accounts_staff(admin, tmp_path):
    report = migrate(tmp_path, "--admins", "archivist ada")
    assert User.objects.get(username="Archivist_Ada").is_staff
    assert not User.objects.get(username="Moderator_Mo").is_staff
    admins = {a["penname"]: a for a in report["admins"]}
    assert admins["Archivist Ada"]["staff"] is True and admins["Moderator Mo"]["staff"] is False
    client = Client()
    client.force_login(User.objects.get(username="Archivist_Ada"))
    assert client.get(reverse("admin:index")).status_code == 200
    # On a re-run too, for accounts already migrated.
    migrate(tmp_path, "--admins", "Moderator Mo")
    assert User.objects.get(username="Moderator_Mo").is_staff


def test_an_unknown_admin_name_is_refused_before_anything_is_written(admin, tmp_path):
    with pytest.raises(CommandError, match='"Captain Nobody" is not a pen name'):
        migrate(tmp_path, "--admins", "Archivist Ada", "Captain Nobody")
    assert not Work.objects.exists() and not EfictionMapping.objects.exists()


# -- 6. texts in the stories folder ------------------------------------------------------------


def test_a_files_store_dump_without_its_stories_folder_fails_with_the_reason(admin, tmp_path):
    with pytest.raises(CommandError) as error:
        migrate(tmp_path, store="files")
    message = str(error.value)
    assert "6 of 6 chapters have no text in the database" in message
    assert "store = files" in message and "--stories" in message
    assert "--skip-missing-texts" in message
    assert not Work.objects.exists() and not User.objects.filter(username="Nikos").exists()


def test_skip_missing_texts_migrates_the_rest_and_names_every_skipped_chapter(admin, tmp_path):
    report = migrate(tmp_path, "--skip-missing-texts", store="files")
    assert report["counts"]["stories"] == {"read": 5, "skipped": 5}
    assert report["counts"]["authors"] == {"read": 6, "migrated": 6}
    chapters = listed(report, "skipped", "chapters")
    assert set(chapters) == {"1", "2", "3", "4", "5", "6"}
    assert "--stories" in chapters["1"]


def test_a_files_store_dump_with_its_stories_folder_migrates_whole(admin, tmp_path):
    fixture = f35.build(tmp_path, store="files")
    report = run(
        "--dump", str(fixture.dump), "--stories", str(fixture.stories), "--as", "archivist"
    )
    assert report["counts"]["stories"] == {"read": 5, "migrated": 5}
    assert report["counts"]["chapters"] == {"read": 6, "migrated": 6}
    assert chapter(1).content.count(SCENE_BREAK_HTML) == 1


# -- every row accounted for ------------------------------------------------------------------


@pytest.mark.parametrize("store", ["mysql", "files"])
def test_every_row_of_the_archive_is_migrated_or_named_with_the_reason(admin, tmp_path, store):
    fixture = f35.build(tmp_path, store=store)
    report = run(
        "--dump", str(fixture.dump), "--stories", str(fixture.stories), "--as", "archivist"
    )
    for kind, rows in fixture.rows.items():
        counts = dict(report["counts"][kind])
        assert counts.pop("read") == rows, kind
        assert sum(counts.values()) == rows, (kind, counts)
    archive = read_dump(fixture.dump, prefix="fanfiction_")
    ids = {
        "authors": set(archive.authors),
        "stories": set(archive.stories),
        "chapters": set(archive.chapters),
        "reviews": {r.reviewid for r in archive.reviews},
    }
    mapping_kind = {"authors": "author", "stories": "story", "chapters": "chapter"}
    mapping_kind["reviews"] = "review"
    for kind, wanted in ids.items():
        migrated = set(
            EfictionMapping.objects.filter(kind=mapping_kind[kind]).values_list(
                "efiction_id", flat=True
            )
        )
        named = {
            int(row["efiction_id"])
            for section in ("skipped", "mapped_rows")
            for row in report[section]
            if row["kind"] == kind
        }
        assert not migrated & named, kind
        assert migrated | named == wanted, kind
    assert report["counts"]["authorprefs"] == {"read": 4, "mapped": 3, "skipped": 1}
    assert listed(report, "skipped", "authorprefs") == {"77": "author 77 is unknown."}
    assert report["counts"]["settings"] == {"read": 1, "mapped": 1}
