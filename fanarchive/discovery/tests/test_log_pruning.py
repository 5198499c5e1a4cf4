"""The change log is pruned past what every host's saved index and the alerts have read;
each host's task worker saves its index caught up (a checkpoint) and reports its position;
an index left behind by a pruning starts again from the checkpoint, not from scratch."""

from __future__ import annotations

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.utils import timezone

from fanarchive.core import worker
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.alert_services import (
    saved_filter_alert_subscribe,
    saved_filter_alerts_run,
)
from fanarchive.discovery.index import live, store
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.discovery.services import saved_filter_create
from fanarchive.tags.models import Tag
from fanarchive.works.catalogue_models import CatalogueChange, CatalogueReader
from fanarchive.works.catalogue_services import catalogue_log_prune, catalogue_reader_report

pytestmark = pytest.mark.django_db

DAY = timedelta(days=1)


@pytest.fixture(autouse=True)
def _own_index(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.DISCOVERY_CATCH_UP_SECONDS = 0
    live.forget()
    yield
    live.forget()


def saved_applied() -> int:
    meta = store.meta_of()
    assert meta is not None
    return int(meta["applied"])


def log_ids() -> list[int]:
    return list(CatalogueChange.objects.order_by("id").values_list("id", flat=True))


def age_log(days: float = 2) -> None:
    """Make every entry logged so far older than the keep period."""
    CatalogueChange.objects.update(created_at=timezone.now() - timedelta(days=days))


def titles() -> list[str]:
    listing = works_find(viewer=viewer_for(AnonymousUser()), spec=Filter())
    return sorted(work.title for work in listing.works)


def test_young_entries_and_the_newest_are_kept(user):
    for n in range(3):
        make_work(user, title=f"Young {n}")
    ids = log_ids()
    assert catalogue_log_prune(keep=DAY) == 0
    age_log()
    assert catalogue_log_prune(keep=DAY) == len(ids) - 1
    assert log_ids() == [ids[-1]]  # an index at the newest entry can still check it


def test_nothing_a_reader_reported_within_the_keep_period_is_pruned(user):
    for n in range(5):
        make_work(user, title=f"Read {n}")
    ids = log_ids()
    age_log()
    catalogue_reader_report(name="host-a:/data/a", applied=ids[2])
    catalogue_reader_report(name="host-b:/data/b", applied=ids[3])
    assert catalogue_log_prune(keep=DAY) == 2
    assert log_ids() == ids[2:]  # the entry a reader applied is kept: it checks it
    # A reader silent past the keep period is forgotten, and holds nothing back.
    CatalogueReader.objects.filter(name="host-a:/data/a").update(seen_at=timezone.now() - 2 * DAY)
    assert catalogue_log_prune(keep=DAY) == 1
    assert list(CatalogueReader.objects.values_list("name", flat=True)) == ["host-b:/data/b"]
    assert log_ids() == ids[3:]


def test_the_alerts_keep_what_they_have_not_read(user):
    reader = make_user("prune_reader")
    make_work(user, title="Owl Seed", fandoms=["Owl Song"])
    owl = Tag.objects.get(name="Owl Song")
    saved = saved_filter_create(
        user=reader, owner=reader, name="Owls", query_string=f"include={owl.pk}"
    )
    saved_filter_alert_subscribe(user=reader, saved=saved)
    make_work(user, title="Owl Night", fandoms=["Owl Song"])
    unread = log_ids()[-1]
    age_log()
    catalogue_log_prune(keep=DAY)
    assert unread in log_ids()
    assert saved_filter_alerts_run().sent == 1  # still alerted after the pruning
    catalogue_log_prune(keep=DAY)
    assert log_ids() == [unread]  # read now: only the newest entry is left


def test_a_checkpoint_saves_the_index_caught_up_and_reports_it(user):
    make_work(user, title="Before")
    live.rebuild()
    saved_at = saved_applied()
    make_work(user, title="After")
    newest = log_ids()[-1]
    assert newest > saved_at
    assert live.checkpoint() == newest
    assert saved_applied() == newest
    assert live.saved_index_usable()
    assert CatalogueReader.objects.get(name=live.reader_name()).applied == newest
    loaded = store.load()
    assert loaded is not None and len(loaded[0].flags["all"]) == 2
    # Nothing logged since: the file is left as it is.
    modified = store.index_path().stat().st_mtime_ns
    assert live.checkpoint() == newest
    assert store.index_path().stat().st_mtime_ns == modified


def test_a_checkpoint_builds_when_the_saved_index_was_pruned_away(user):
    make_work(user, title="Old")
    live.rebuild()
    live.forget()
    make_work(user, title="New")
    age_log()
    catalogue_log_prune(keep=DAY)  # nobody reported: the saved index's entry goes
    assert not live.saved_index_usable()
    assert live.checkpoint() == log_ids()[-1]
    assert live.saved_index_usable()


def test_an_index_left_behind_by_a_pruning_loads_the_checkpoint(user):
    make_work(user, title="First")
    assert titles() == ["First"]  # this process's index, built and saved
    make_work(user, title="Second")
    age_log()  # (before the checkpoint: an entry's time is part of what an index checks)
    live.checkpoint()  # the task worker: the file now holds "Second"
    catalogue_log_prune(keep=DAY)  # past this process's position
    make_work(user, title="Third")  # after the checkpoint: caught up from the log
    assert titles() == ["First", "Second", "Third"]
    assert live.state.source == "loaded"  # from the checkpoint, not built again


def test_the_worker_runs_the_hosts_chores():
    registered = [thread.chore for thread in worker.host_chores()]
    assert live.checkpoint_and_prune in registered  # by the discovery app
    ran = threading.Event()
    chore = worker.PeriodicThread(ran.set, every=0.01, name="test-chore", failure="failed")
    chore.start()
    assert ran.wait(5)
    chore.stop()


def test_the_command_saves_and_prunes(user):
    for n in range(3):
        make_work(user, title=f"Cron {n}")
    age_log()
    out = StringIO()
    call_command("prune-catalogue-log", "--keep-hours", "1", stdout=out)
    newest = log_ids()[-1]
    assert out.getvalue().strip() == (
        f"This host's index is saved at change {newest}; pruned 2 log entries."
    )
    with pytest.raises(Exception, match="cannot be negative"):
        call_command("prune-catalogue-log", "--keep-hours", "-1")
