"""A full index build's batches read in forked processes (`discovery.index.parallel`)."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from django.db import connections, transaction

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index import live, parallel
from fanarchive.discovery.index.catalogue import Catalogue, Filter, Viewer
from fanarchive.discovery.index.columns import Columns
from fanarchive.discovery.index.source import DatabaseSource

# Committing: the readers' own connections see only what is committed.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.flushes_database]

RANGES = [(low, low + 5) for low in range(0, 40, 5)]


def _read_here_or_there(id_range: tuple[int, int]) -> Columns:
    """A batch that says which process read it (in `languages`)."""
    ids = np.arange(*id_range, dtype=np.int64)
    return Columns(ids=ids, languages=[str(os.getpid())] * len(ids))


def _read_hanging(id_range: tuple[int, int]) -> Columns:
    if id_range[0] == 10:
        time.sleep(30)
    return _read_here_or_there(id_range)


def _read_failing(id_range: tuple[int, int]) -> Columns:
    if id_range[0] == 20:
        raise ValueError("the database went away")
    return _read_here_or_there(id_range)


def test_batches_read_in_other_processes_come_back_whole_and_in_order(monkeypatch):
    monkeypatch.setattr(parallel, "reader_processes", lambda batches: 2)
    batches = list(parallel.read_batches(RANGES, _read_here_or_there, types={}))
    assert [b.ids.tolist() for b in batches] == [list(range(*r)) for r in RANGES]
    readers = {language for b in batches for language in b.languages}
    assert readers and str(os.getpid()) not in readers
    assert len(readers) <= 2


def test_a_reader_that_fails_fails_the_build(monkeypatch):
    monkeypatch.setattr(parallel, "reader_processes", lambda batches: 2)
    with pytest.raises(ValueError, match="the database went away"):
        list(parallel.read_batches(RANGES, _read_failing, types={}))


def test_a_reader_that_hangs_fails_the_build_in_time(monkeypatch):
    monkeypatch.setattr(parallel, "reader_processes", lambda batches: 2)
    monkeypatch.setattr(parallel, "READ_TIMEOUT", 0.5)
    started = time.monotonic()
    with pytest.raises(multiprocessing.TimeoutError):
        list(parallel.read_batches(RANGES, _read_hanging, types={}))
    assert time.monotonic() - started < 10  # the hung reader is not waited for


def test_batches_are_read_here_when_other_processes_cannot_or_need_not(settings, monkeypatch):
    # Threads earlier tests left (a catch-up thread, say) are not this test's business.
    monkeypatch.setattr(parallel, "other_threads", lambda: False)
    settings.INDEX_BUILD_PROCESSES = 2
    many, few = 8, parallel.MIN_BATCHES - 1
    assert parallel.reader_processes(many) == 2
    assert parallel.reader_processes(few) == 0
    settings.INDEX_BUILD_PROCESSES = 1
    assert parallel.reader_processes(many) == 0
    settings.INDEX_BUILD_PROCESSES = 2
    with transaction.atomic():  # uncommitted rows: invisible to other connections
        assert parallel.reader_processes(many) == 0
    # Another process cannot open an in-memory SQLite database.
    with monkeypatch.context() as in_memory:
        wrapper = connections["default"]
        in_memory.setattr(wrapper, "vendor", "sqlite")
        in_memory.setattr(wrapper, "is_in_memory_db", lambda: True, raising=False)
        assert parallel.reader_processes(many) == 0


def test_a_process_running_another_thread_reads_its_batches_itself(settings):
    settings.INDEX_BUILD_PROCESSES = 2
    started, stop = threading.Event(), threading.Event()

    def wait() -> None:
        started.set()
        stop.wait(5)

    other = threading.Thread(target=wait)
    other.start()
    started.wait(5)
    try:  # a forked child could inherit a lock this thread holds, and hang
        assert parallel.other_threads()
        assert parallel.reader_processes(8) == 0
    finally:
        stop.set()
        other.join()


def test_reindex_starts_no_thread_that_would_keep_the_readers_from_forking(
    monkeypatch, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    make_work(make_user("reindex_writer"))
    before = threading.active_count()  # with any an earlier test left running
    seen: list[int] = []
    decide = parallel.reader_processes

    def spy(batches: int) -> int:
        seen.append(threading.active_count())
        return decide(batches)

    monkeypatch.setattr(parallel, "reader_processes", spy)
    call_command("reindex", stdout=StringIO())
    live.forget()
    assert seen == [before]


def test_an_index_built_by_several_readers_is_the_one_built_by_one(settings, monkeypatch):
    monkeypatch.setattr(parallel, "other_threads", lambda: False)
    monkeypatch.setattr(parallel, "READ_TIMEOUT", 60.0)  # never a hung suite
    writer = make_user("parallel_writer")
    ids: list[int] = []
    for n in range(12):
        work = make_work(
            writer,
            title=f"Lantern {n}",
            fandoms=["Harbour Tales"] if n % 4 else ["Harbour Tales", "Inland Songs"],
            freeforms=[f"Trope {n % 3}", "Lanterns"],
        )
        ids.append(work.id)
    batch = max(1, (ids[-1] + 1) // 6)  # six batches or so, each with works
    settings.INDEX_BUILD_PROCESSES = 1
    alone = Catalogue.build(DatabaseSource(), batch=batch)
    settings.INDEX_BUILD_PROCESSES = 2
    assert parallel.reader_processes(-(-(ids[-1] + 1) // batch)) == 2
    together = Catalogue.build(DatabaseSource(), batch=batch)
    everyone = Viewer(authenticated=True)
    for catalogue in (alone, together):
        assert catalogue.stats()["works"] == 12
    crossovers = Filter(crossover="only")
    crossing = together.ids(together.matching(crossovers, everyone)).tolist()
    assert crossing == alone.ids(alone.matching(crossovers, everyone)).tolist()
    assert len(crossing) == 3
    assert together.facets(together.visible(everyone)) == alone.facets(alone.visible(everyone))
    by_title = Filter(sort="title", descending=False)
    assert together.page(together.matching(by_title, everyone), by_title, 0, 20) == alone.page(
        alone.matching(by_title, everyone), by_title, 0, 20
    )
    assert together.tag_type == alone.tag_type
