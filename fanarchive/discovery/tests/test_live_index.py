"""The index gunicorn's master prepares before forking its workers."""

from __future__ import annotations

import pytest
from django.db import connection

from fanarchive.core import gunicorn
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index import live, store

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.flushes_database]


def test_the_master_loads_the_saved_index_before_the_workers_fork(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    make_work(make_user("preload_writer"), title="The Forked Lamp")
    live.rebuild()  # saved, as `serve` leaves it
    live.forget()
    assert live.preload in gunicorn._before_fork  # registered by the discovery app
    gunicorn.prepare_before_fork()
    assert live.state.catalogue is not None
    assert live.state.source == "loaded"  # from the file, not built again
    assert live.state.catalogue.stats()["works"] == 1
    # The master keeps no connection for its workers to inherit.
    assert connection.connection is None
    live.forget()


def test_a_saved_index_of_another_archive_is_not_usable(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    assert not live.saved_index_usable()  # none saved
    make_work(make_user("usable_writer"))
    live.rebuild()
    assert live.saved_index_usable()
    store.index_path().write_bytes(b"not an index")
    assert not live.saved_index_usable()
    live.forget()


def test_the_master_compiles_every_template_before_the_fork(settings, tmp_path):
    from django.template import engines

    settings.DATA_DIR = tmp_path
    loader = engines["django"].engine.template_loaders[0]  # type: ignore[attr-defined]
    loader.reset()
    compiled = gunicorn.warm_django()
    assert compiled > 100
    cached = set(loader.get_template_cache)
    assert {"base.html", "works/form.html", "works/navigate.html"} <= cached
