"""Tags' use counts recounted by a background task, queued by each worker's daily chore."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django_tasks_db.models import DBTaskResult

from fanarchive.core import worker
from fanarchive.core.testing import make_work, run_due_tasks
from fanarchive.tags.models import Tag
from fanarchive.works import tag_count_tasks

pytestmark = pytest.mark.django_db


def test_the_workers_chore_queues_a_recount_that_counts_public_uses(
    monkeypatch, django_capture_on_commit_callbacks
):
    make_work(freeforms=["Lanterns"])
    make_work(freeforms=["Lanterns"])
    make_work(freeforms=["Lanterns"], post=False)  # a draft: not counted
    Tag.objects.filter(name="Lanterns").update(use_count=0)
    monkeypatch.setattr(tag_count_tasks.queue, "delay", timedelta(0))
    tag_count_tasks.queue.forget()
    chores = {thread.chore: thread.every for thread in worker.host_chores()}
    assert chores[tag_count_tasks.tags_recount_queue] == tag_count_tasks.RECOUNT_SECONDS
    queued_before = DBTaskResult.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        tag_count_tasks.tags_recount_queue()
    assert DBTaskResult.objects.count() == queued_before + 1
    assert Tag.objects.get(name="Lanterns").use_count == 0  # nothing in the caller
    assert run_due_tasks() >= 1
    assert Tag.objects.get(name="Lanterns").use_count == 2
