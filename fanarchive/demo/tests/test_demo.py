"""The demo archive: invented works written through the services, the same for the same seed."""

from __future__ import annotations

import random
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from fanarchive.accounts.models import Pseud, User
from fanarchive.demo.cast import invent_fandoms
from fanarchive.demo.generator import (
    DEMO_PASSWORD,
    DEMO_USERNAME,
    DemoSummary,
    generate_demo_archive,
)
from fanarchive.demo.planner import WorkPlanner
from fanarchive.tags import fixed
from fanarchive.tags.models import TagType
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

# 25 works are enough for every rating and warning to turn up.
WORKS = 25
SEED = 3


def generate(seed: int = SEED) -> DemoSummary:
    return generate_demo_archive(works=WORKS, seed=seed, users=None, progress=False)


def tag_names(work: Work, tag_type: TagType) -> list[str]:
    return [tag.name for tag in work.tags.filter(type=tag_type)]


def test_creates_users_and_works_with_chapters() -> None:
    summary = generate()

    assert summary.users_created == User.objects.count() >= 2
    assert Work.objects.count() == WORKS == summary.works_posted + summary.drafts
    assert summary.chapters == sum(w.chapters.count() for w in Work.objects.all())
    for work in Work.objects.all():
        assert work.chapters.exists()
        assert work.pseuds.exists()
        assert tag_names(work, TagType.FANDOM)
        if work.posted:
            assert work.posted_chapters == work.chapters.count()
            assert work.word_count > 0
    # Some writers have more than one pseud.
    assert Pseud.objects.filter(is_default=False).exists()


def test_demo_login_works(client: Client) -> None:
    summary = generate()

    assert summary.demo_password == DEMO_PASSWORD
    assert client.login(username=DEMO_USERNAME, password=DEMO_PASSWORD)
    assert Work.objects.by_user(User.objects.get(username=DEMO_USERNAME)).exists()


def test_only_the_demo_account_can_log_in() -> None:
    generate_demo_archive(works=2, seed=SEED, users=3, progress=False)

    writers = User.objects.exclude(username=DEMO_USERNAME)
    assert writers.count() == 2
    # Writers made on someone's behalf have no password until they reset one.
    assert not any(writer.has_usable_password() for writer in writers)
    assert User.objects.get(username=DEMO_USERNAME).check_password(DEMO_PASSWORD)


def test_every_rating_and_warning_is_present() -> None:
    generate()

    ratings: set[str] = set()
    warnings: set[str] = set()
    for work in Work.objects.filter(posted=True):
        work_ratings = tag_names(work, TagType.RATING)
        work_warnings = tag_names(work, TagType.WARNING)
        assert len(work_ratings) == 1
        assert work_warnings
        ratings.update(work_ratings)
        warnings.update(work_warnings)
    assert ratings == set(fixed.RATINGS)
    assert warnings == set(fixed.WARNINGS)


def test_drafts_are_not_listed(client: Client) -> None:
    summary = generate()
    drafts = list(Work.objects.filter(posted=False))
    assert len(drafts) == summary.drafts >= 1

    listed = Work.objects.visible_to(AnonymousUser())
    assert not listed.filter(posted=False).exists()
    # Not even to their writer: drafts live on the drafts page.
    client.force_login(User.objects.get(username=DEMO_USERNAME))
    pages = "".join(client.get("/works/", {"page": page}).content.decode() for page in (1, 2))
    for draft in drafts:
        assert escape(draft.title) not in pages


def test_chapters_have_scene_breaks_and_dialogue(client: Client) -> None:
    generate()

    english = Work.objects.filter(posted=True, language="en")
    chapters = [chapter for work in english for chapter in work.chapters.all()]
    assert chapters
    for chapter in chapters:
        assert '<p>"' in chapter.content  # a paragraph opening with dialogue
        assert chapter.word_count >= 200
    with_breaks = [c for c in chapters if '<hr class="scene-break">' in c.content]
    assert len(with_breaks) > len(chapters) / 2

    # And readers get them: a work page shows the scene breaks of its text.
    work = next(
        w
        for w in english.filter(restricted=False)
        if tag_names(w, TagType.RATING)[0] in {fixed.GENERAL, fixed.TEEN}
        and '<hr class="scene-break">' in w.chapters.get(position=1).content
    )
    response = client.get(work.get_absolute_url())
    assert response.status_code == 200
    assert '<hr class="scene-break">' in response.content.decode()


def test_history_is_spread_over_the_past() -> None:
    generate()

    now = timezone.now()
    posted = Work.objects.filter(posted=True)
    first = [w.first_posted_at for w in posted if w.first_posted_at]
    assert len(first) == posted.count()
    assert min(first) < now - timedelta(days=60)
    for work in posted:
        assert work.revised_at is not None and work.first_posted_at is not None
        assert work.first_posted_at <= work.revised_at <= now
        assert work.first_posted_at > now - timedelta(days=3 * 366)
        dates = [c.published_at for c in work.chapters.order_by("position")]
        assert dates == sorted(d for d in dates if d)
        assert dates[0] == work.first_posted_at and dates[-1] == work.revised_at


def test_same_seed_gives_same_works() -> None:
    generate()
    first = list(Work.objects.order_by("id").values_list("title", flat=True))

    # A second run into the same database skips the taken user names and
    # reuses the demo account, yet writes the same works.
    summary = generate()
    titles = list(Work.objects.order_by("id").values_list("title", flat=True))
    assert titles[WORKS:] == first
    assert summary.demo_password is None

    generate(seed=SEED + 1)
    other = list(Work.objects.order_by("id").values_list("title", flat=True))[2 * WORKS :]
    assert other != first


def test_a_large_demo_has_the_whole_variety() -> None:
    """Planning is pure, so the variety of a big archive is checked without writing it."""
    fandoms = invent_fandoms(random.Random("7:fandoms"), 40)
    planner = WorkPlanner(random.Random("7:works"), fandoms, [1.0] * 60, [0] * 60)
    works = list(planner.plan(300))

    assert sum(not w.post for w in works) >= 3
    assert any(len(w.data.fandoms) == 2 for w in works)  # crossovers
    assert {w.data.language for w in works} >= {"en", "es", "fr", "de"}
    assert sum(w.data.language == "en" for w in works) > 0.8 * len(works)
    assert any(w.data.restricted for w in works)
    assert any(len(w.chapters) == 1 for w in works)
    assert any(len(w.chapters) > 5 for w in works)
    assert any(w.data.expected_chapters is None for w in works)
    assert any((w.data.expected_chapters or 0) > len(w.chapters) for w in works)
    assert any(w.data.expected_chapters == len(w.chapters) for w in works)
    assert any("/" in r for w in works for r in w.data.relationships)
    assert any(" & " in r for w in works for r in w.data.relationships)
    assert {c for w in works for c in w.data.categories} == set(fixed.CATEGORIES)
    assert any(w.data.notes for w in works) and any(w.data.endnotes for w in works)
    # Fandom popularity falls off steeply: the top fandom has many more works than most.
    counts = sorted((sum(f.name in w.data.fandoms for w in works) for f in fandoms), reverse=True)
    assert counts[0] > 5 * counts[len(counts) // 2]


def test_command_prints_the_summary_and_login() -> None:
    out = StringIO()
    call_command("demo", "--works", "4", "--seed", "2", "--no-progress", stdout=out)

    assert Work.objects.count() == 4
    output = out.getvalue()
    assert "4 posted works and 0 drafts" in output
    assert f"Log in as {DEMO_USERNAME} with password {DEMO_PASSWORD}" in output


def test_command_refuses_zero_works() -> None:
    with pytest.raises(CommandError, match="--works"):
        call_command("demo", "--works", "0", "--no-progress")
