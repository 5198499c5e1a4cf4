"""Notices and e-mail are made by a real background worker process, not only inline.

The test commits (a transactional test), so a `fanarchive worker` started as another
process sees the queued task in the test database (PostgreSQL's test database, or
the SQLite test file the root conftest puts on disk) and writes to it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from fanarchive.core.testing import command_environment, make_user, make_work
from fanarchive.engagement.models import Notice
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.works.services import ChapterInput, chapter_add

ROOT = Path(__file__).resolve().parents[3]
WAIT_SECONDS = 60

# Transactional: committed rows, so another process sees them. The flush afterwards
# empties every table, data migrations' rows too, so it runs after all other tests.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.flushes_database]


def test_a_worker_process_writes_subscription_notices_and_mails_them(tmp_path):
    if connection.vendor == "sqlite":
        assert Path(connection.settings_dict["NAME"]).name == "fanarchive.sqlite3"
    writer = make_user("lantern_writer")
    reader = make_user("harbour_reader")
    work = make_work(writer, chapters=1, expected_chapters=None, title="Tide Tables")
    subscription_create(user=reader, work=work)

    chapter = chapter_add(
        user=writer,
        work=work,
        data=ChapterInput(title="Low Water", text="The boats came home.", text_format="plain"),
        post=True,
        expected_chapters=None,
    )
    # Committed and queued, but nothing is done inline.
    assert DBTaskResult.objects.filter(status="READY").exists()
    assert not Notice.objects.exists()

    mail_dir = tmp_path / "mail"
    log = (tmp_path / "worker.log").open("w+")
    worker = subprocess.Popen(
        [sys.executable, "-m", "fanarchive.cli", "worker", "--interval", "0.2"],
        cwd=ROOT,
        env=command_environment(EMAIL_URL=f"file://{mail_dir}"),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            notice = Notice.objects.filter(recipient=reader).first()
            if notice is not None and notice.emailed_at is not None:
                break
            assert worker.poll() is None, "the worker process died"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.seek(0)
        output = log.read()
    assert notice is not None and notice.emailed_at is not None, output
    assert notice.kind == "subscription"
    assert notice.url == chapter.get_absolute_url()
    assert "Tide Tables" in notice.subject
    mails = [path.read_text() for path in mail_dir.iterdir()]
    assert len(mails) == 1
    assert "To: harbour_reader@example.org" in mails[0]
    assert "New chapter of Tide Tables" in mails[0]
    assert f"http://127.0.0.1:8000{chapter.get_absolute_url()}" in mails[0]
    # The writer, who posted it, hears nothing.
    assert not Notice.objects.filter(recipient=writer).exists()
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists(), output
