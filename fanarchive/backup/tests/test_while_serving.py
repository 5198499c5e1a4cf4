"""A backup taken while 20 clients write comments and kudos restores to a consistent
archive: no comment without its work or its parent, the counts equal to the rows."""

from __future__ import annotations

import threading
import time
from io import BytesIO, StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import F

from fanarchive.backup.restore_services import backup_restore
from fanarchive.backup.snapshot import backup_write
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import Comment, CommentState, Kudos
from fanarchive.engagement.stats import counts_of
from fanarchive.works.models import Chapter, Work

pytestmark = [pytest.mark.flushes_database, pytest.mark.django_db(transaction=True)]

CLIENTS = 20


def test_a_backup_under_twenty_writing_clients_restores_consistently(tmp_path, settings):
    settings.DATA_DIR = tmp_path / "data"
    settings.DATA_DIR.mkdir()
    settings.NEW_ACCOUNT_COMMENT_RATE = (1_000_000, 60)
    settings.REPEATED_COMMENT_WORKS = 1_000_000
    writer = make_user("harbour_writer")
    works = [make_work(writer, chapters=2) for _ in range(4)]
    chapters = [list(Chapter.objects.filter(work=w).order_by("position")) for w in works]
    readers = [make_user(f"reader_{n}") for n in range(CLIENTS)]
    stop = threading.Event()
    errors: list[BaseException] = []
    written = [0] * CLIENTS

    def client(n: int) -> None:
        reader = readers[n]
        try:
            step = 0
            while not stop.is_set():
                work_at = (n + step) % len(works)
                chapter = chapters[work_at][step % 2]
                first = comment_create(
                    chapter=chapter, user=reader, text=f"Note {step} from reader {n}."
                )
                comment_create(
                    chapter=chapter, user=reader, text=f"And more, {step}.", parent=first
                )
                if step < len(works):
                    kudos_give(work=works[work_at], user=reader)
                written[n] += 1
                step += 1
        except BaseException as error:  # reported below, in the test's thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        while Comment.objects.count() < 100 and time.monotonic() < deadline:
            time.sleep(0.05)
        before = Comment.objects.count()
        raw = BytesIO()
        backup_write(raw)
        after = Comment.objects.count()
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert before < after, "the clients wrote during the backup"
    total = Comment.objects.count()

    call_command("flush", interactive=False)
    raw.seek(0)
    summary = backup_restore(raw)
    call_command("reindex", "--search", stdout=StringIO(), stderr=StringIO())

    comments = Comment.objects.count()
    assert before <= comments < total
    assert comments == summary.tables["engagement_comment"]
    assert Kudos.objects.count() == summary.tables["engagement_kudos"]
    assert not Comment.objects.exclude(work__in=Work.objects.all()).exists()
    assert not Comment.objects.exclude(chapter__work_id=F("work_id")).exists()
    # A reply is written in its own transaction after its parent: never without it.
    orphans = Comment.objects.filter(parent__isnull=False).exclude(parent__in=Comment.objects.all())
    assert not orphans.exists()
    counts = counts_of(Work.objects.values_list("id", flat=True))
    for work in Work.objects.all():
        published = Comment.objects.filter(work=work, state=CommentState.PUBLISHED)
        assert counts[work.pk].comments == published.count()
        assert counts[work.pk].kudos == Kudos.objects.filter(work=work).count()
    assert sum(c.comments for c in counts.values()) == comments  # every one published
