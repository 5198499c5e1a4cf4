"""Version history: recording, viewing, comparing, restoring, pruning."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.tags.fixed import TEEN
from fanarchive.works.models import Chapter, ChapterRevision, WorkRevision
from fanarchive.works.restore_services import chapter_revision_restore, work_revision_restore
from fanarchive.works.revision_selectors import REVISION_LABELS
from fanarchive.works.revision_services import chapter_snapshot, revisions_prune, work_snapshot
from fanarchive.works.services import ChapterInput, chapter_add, chapter_update, work_update

pytestmark = pytest.mark.django_db

FIRST = "The lantern swung above the harbour.\n\nMira counted seven boats."
SECOND = "The lantern swung above the harbour.\n\nMira counted eight boats, at last."


def chapter_of(work) -> Chapter:
    return work.chapters.get()


def edit(user, chapter, text, **fields):
    return chapter_update(
        user=user, chapter=chapter, data=ChapterInput(text=text, text_format="plain", **fields)
    )


def test_every_save_records_a_revision(user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    assert chapter.revisions.count() == 1 and work.revisions.count() == 1
    edit(user, chapter, SECOND)
    assert chapter.revisions.count() == 2
    # Saving the same text again records nothing new.
    edit(user, chapter, SECOND)
    assert chapter.revisions.count() == 2
    work_update(user=user, work=work, data=work_input(title="Eight Boats"))
    assert work.revisions.count() == 2
    newest = chapter.revisions.first()
    assert newest is not None and newest.source == SECOND and newest.created_by == user
    added = chapter_add(
        user=user, work=work, data=ChapterInput(text=FIRST), post=True, expected_chapters=None
    )
    assert added.revisions.count() == 1


def test_restore_brings_back_exactly_the_earlier_text_and_metadata(user):
    work = make_work(
        user,
        texts=[FIRST],
        title="Seven Boats",
        summary="A keeper <em>counts</em>.\n\nTwo paragraphs.",
        notes="Thanks to my beta.",
        relationships=["Mira/Tomas"],
        freeforms=["Found Family", "Slow Burn"],
        expected_chapters=None,
    )
    chapter = chapter_of(work)
    edit(user, chapter, FIRST, title="Harbour", summary="Night.", notes="n", endnotes="e")
    chapter.refresh_from_db()
    before_chapter = chapter_snapshot(chapter)
    before_content = chapter.content
    work.refresh_from_db()
    before_work = work_snapshot(work)
    old_chapter_revision = chapter.revisions.first()
    old_work_revision = work.revisions.first()

    edit(user, chapter, SECOND, title="Morning")
    work_update(
        user=user,
        work=work,
        data=work_input(
            title="Eight Boats", rating=TEEN, summary="Changed.", fandoms=["Skyward"], notes=""
        ),
    )
    assert old_chapter_revision is not None and old_work_revision is not None
    chapter_revision_restore(user=user, revision=old_chapter_revision)
    work_revision_restore(user=user, revision=old_work_revision)

    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter_snapshot(chapter) == before_chapter
    assert chapter.content == before_content
    assert work_snapshot(work) == before_work
    assert work.title == "Seven Boats" and work.expected_chapters is None
    # The restores are new revisions; the versions they replaced are still there.
    newest_chapter = chapter.revisions.first()
    assert newest_chapter is not None and newest_chapter.restored_from == old_chapter_revision
    assert chapter.revisions.filter(source=SECOND).exists()
    assert chapter.revisions.count() == 4
    newest_work = work.revisions.first()
    assert newest_work is not None and newest_work.restored_from == old_work_revision
    assert work.revisions.filter(data__title="Eight Boats").exists()


def test_restoring_someone_elses_revision_is_refused(user, other_user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    old = chapter.revisions.last()
    assert old is not None
    with pytest.raises(PermissionDenied):
        chapter_revision_restore(user=other_user, revision=old)
    work_revision = work.revisions.get()
    with pytest.raises(PermissionDenied):
        work_revision_restore(user=other_user, revision=work_revision)
    chapter.refresh_from_db()
    assert chapter.source == SECOND


def test_history_pages_are_for_creators_only(client, user, other_user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    old = chapter.revisions.last()
    assert old is not None
    urls = [
        reverse("works:history", args=[work.pk]),
        reverse("works:chapter_history", args=[work.pk, chapter.pk]),
        reverse("works:chapter_revision", args=[work.pk, chapter.pk, old.pk]),
        reverse("works:chapter_compare", args=[work.pk, chapter.pk]),
    ]
    client.force_login(other_user)
    for url in urls:
        assert client.get(url).status_code == 403
    restore = reverse("works:chapter_revision_restore", args=[work.pk, chapter.pk, old.pk])
    assert client.post(restore).status_code == 403
    chapter.refresh_from_db()
    assert chapter.source == SECOND
    # A revision of another chapter, addressed through this one, is not found.
    theirs = make_work(other_user)
    their_revision = chapter_of(theirs).revisions.get()
    client.force_login(user)
    url = reverse("works:chapter_revision_restore", args=[work.pk, chapter.pk, their_revision.pk])
    assert client.post(url).status_code == 404


def test_list_view_compare_and_restore_through_the_pages(user_client, user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    newest, oldest = list(chapter.revisions.all())
    page = user_client.get(reverse("works:chapter_history", args=[work.pk, chapter.pk]))
    html = page.content.decode()
    assert "(current)" in html and "+9 characters" in html
    view = user_client.get(reverse("works:chapter_revision", args=[work.pk, chapter.pk, oldest.pk]))
    assert "Mira counted seven boats." in view.content.decode()
    compare = user_client.get(
        reverse("works:chapter_compare", args=[work.pk, chapter.pk]),
        {"old": oldest.pk, "new": newest.pk},
    ).content.decode()
    assert '<li class="diff-removed">' in compare and "Mira counted seven boats." in compare
    assert '<li class="diff-added">' in compare and "eight boats, at last." in compare
    assert "style=" not in compare
    user_client.post(
        reverse("works:chapter_revision_restore", args=[work.pk, chapter.pk, oldest.pk])
    )
    chapter.refresh_from_db()
    assert chapter.source == FIRST


def test_compare_escapes_html(user_client, user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    chapter_update(
        user=user,
        chapter=chapter,
        data=ChapterInput(
            text="<p>Hello <script>alert(1)</script> harbour</p>", text_format="html"
        ),
    )
    compare = user_client.get(
        reverse("works:chapter_compare", args=[work.pk, chapter.pk])
    ).content.decode()
    assert "<script>alert" not in compare and "&lt;script&gt;" in compare


def test_work_history_pages(user_client, user):
    work = make_work(user, title="Seven Boats")
    work_update(user=user, work=work, data=work_input(title="Eight Boats"))
    html = user_client.get(reverse("works:history", args=[work.pk])).content.decode()
    assert "Chapter histories" in html
    compare = user_client.get(reverse("works:work_compare", args=[work.pk])).content.decode()
    assert "Title: Seven Boats" in compare and "Title: Eight Boats" in compare
    oldest = work.revisions.last()
    assert oldest is not None
    user_client.post(reverse("works:work_revision_restore", args=[work.pk, oldest.pk]))
    work.refresh_from_db()
    assert work.title == "Seven Boats"


# -- pruning -------------------------------------------------------------------------------


def age(revision, when):
    type(revision).objects.filter(pk=revision.pk).update(created_at=when)


def test_pruning_keeps_the_window_one_a_day_before_it_and_always_the_newest(user):
    now = timezone.now().replace(hour=12, minute=0, second=0, microsecond=0)
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    for n in range(9):
        edit(user, chapter, f"{FIRST}\n\nEdit {n}.")
    revisions = list(chapter.revisions.order_by("id"))  # ten, oldest first
    # Three on one old day, two on another, two inside the window, and the newest.
    stamps = [
        now - dt.timedelta(days=60, hours=3),
        now - dt.timedelta(days=60, hours=2),
        now - dt.timedelta(days=60, hours=1),
        now - dt.timedelta(days=45, hours=2),
        now - dt.timedelta(days=45, hours=1),
        now - dt.timedelta(days=29, hours=5),
        now - dt.timedelta(days=29, hours=4),
        now - dt.timedelta(days=2),
        now - dt.timedelta(days=1),
        now - dt.timedelta(hours=1),
    ]
    for revision, stamp in zip(revisions, stamps, strict=True):
        age(revision, stamp)
    removed = revisions_prune(now=now)
    kept = set(chapter.revisions.values_list("id", flat=True))
    assert removed == 3
    ids = [r.id for r in revisions]
    # The newest of each old day survives; everything younger than 30 days survives.
    assert kept == {ids[2], ids[4], *ids[5:]}
    # Running it again changes nothing.
    assert revisions_prune(now=now) == 0


def test_pruning_never_removes_the_newest_revision_however_old(user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    now = timezone.now()
    for revision in chapter.revisions.all():
        age(revision, now - dt.timedelta(days=400))
    for work_revision in work.revisions.all():
        age(work_revision, now - dt.timedelta(days=400))
    revisions_prune(now=now)
    [left] = chapter.revisions.all()
    assert left.source == SECOND
    assert work.revisions.count() == 1


def test_pruning_runs_when_a_revision_is_added(user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    old_day = timezone.now() - dt.timedelta(days=90)
    for revision in chapter.revisions.all():
        age(revision, old_day)
    edit(user, chapter, FIRST)
    # The two on the old day became one; the new one is kept.
    assert chapter.revisions.count() == 2


def test_prune_command(user):
    work = make_work(user, texts=[FIRST])
    chapter = chapter_of(work)
    edit(user, chapter, SECOND)
    for revision in ChapterRevision.objects.all():
        age(revision, timezone.now() - dt.timedelta(days=90))
    call_command("prune-revisions")
    assert ChapterRevision.objects.count() == 1
    assert WorkRevision.objects.count() == 1


def test_revisions_go_with_their_chapter(user):
    work = make_work(user, chapters=2)
    from fanarchive.works.services import chapter_delete

    chapter_delete(user=user, chapter=work.chapters.get(position=2))
    assert ChapterRevision.objects.count() == 1
    assert make_user()  # others unaffected


def test_a_saved_version_of_the_details_is_labelled_in_the_readers_language(user_client, user):
    work = make_work(user, title="Salt Lanterns")
    revision = work.revisions.first()
    assert revision is not None
    assert set(revision.data) <= set(REVISION_LABELS)  # every saved key has its label
    url = reverse("works:work_revision", args=[work.pk, revision.pk])
    assert "Title: Salt Lanterns" in user_client.get(url).content.decode()
    spanish = user_client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Título: Salt Lanterns" in spanish and "Title: Salt Lanterns" not in spanish
