"""The index stays right without a restart, and another process sees a change."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from fanarchive.core.testing import make_work, work_input
from fanarchive.discovery.index import live, store
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.tags.models import Tag
from fanarchive.works import catalogue_services as services
from fanarchive.works.models import Work
from fanarchive.works.services import work_delete, work_post, work_update

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def titles(user=None, **spec) -> list[str]:
    listing = works_find(viewer=viewer_for(user or AnonymousUser()), spec=Filter(**spec))
    return [work.title for work in listing.works]


def tag(name: str) -> int:
    return Tag.objects.get(name=name).pk


def test_posting_editing_tags_restricting_and_deleting_show_at_once(user, other_user):
    assert titles() == []  # the index exists before the works do
    draft = make_work(user, post=False, title="Quiet Draft")
    assert titles() == [] and titles(other_user) == [] and titles(user) == []
    work_post(user=user, work=draft)
    assert titles() == ["Quiet Draft"]

    work_update(user=user, work=draft, data=work_input(title="Quiet Draft", freeforms=["Storms"]))
    assert titles(include=(tag("Storms"),)) == ["Quiet Draft"]
    assert titles(include=(tag("Found Family"),)) == []

    work_update(user=user, work=draft, data=work_input(title="Quiet Draft", restricted=True))
    assert titles() == []
    assert titles(other_user) == ["Quiet Draft"]
    work_update(user=user, work=draft, data=work_input(title="Quiet Draft", restricted=False))
    assert titles() == ["Quiet Draft"]

    with transaction.atomic():  # moderation's future service will do the same
        Work.objects.filter(pk=draft.pk).update(hidden_by_admin=True)
        services.catalogue_work_changed(work_id=draft.pk)
    assert titles() == [] and titles(user) == []
    with transaction.atomic():
        Work.objects.filter(pk=draft.pk).update(hidden_by_admin=False)
        services.catalogue_work_changed(work_id=draft.pk)

    work_delete(user=user, work=draft)
    assert titles() == [] and titles(other_user) == []


def test_a_saved_index_is_loaded_and_caught_up(user):
    make_work(user, title="Before")
    live.rebuild()
    assert store.meta_of() is not None
    live.forget()
    make_work(user, title="After")
    assert sorted(titles()) == ["After", "Before"]
    assert live.state.source == "loaded"


def test_an_index_from_another_database_is_not_trusted(user, tmp_path, settings):
    settings.DATA_DIR = tmp_path
    make_work(user, title="Mine")
    live.rebuild()
    with transaction.atomic():
        services.catalogue_work_changed(work_id=10**9)
        transaction.set_rollback(True)
    live.forget()
    # Tamper with the stamp: the saved file now claims a change this log never had.
    loaded = store.load()
    assert loaded is not None and loaded[1] is not None
    store.save(loaded[0], (loaded[1][0], "2000-01-01T00:00:00+00:00"))
    assert titles() == ["Mine"]
    assert live.state.source == "built"


SCRIPT = textwrap.dedent(
    """
    import os, sys
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from fanarchive.discovery.index import live
    from fanarchive.discovery.index.catalogue import Filter
    from fanarchive.discovery.selectors import viewer_for, works_find
    from fanarchive.core.testing import make_user, make_work
    from fanarchive.works.models import Work
    from fanarchive.works.services import work_update
    from fanarchive.core.testing import work_input

    def count():
        return works_find(viewer=viewer_for(AnonymousUser()), spec=Filter()).total

    if sys.argv[1] == "reader":
        print(count(), live.state.source, flush=True)
        for line in sys.stdin:
            print(count(), flush=True)
    elif sys.argv[1] == "post":
        make_work(make_user(sys.argv[2]), title="From another process")
    elif sys.argv[1] == "restrict":
        work = Work.objects.get(title="From another process")
        user = work.creatorships.get().pseud.user
        work_update(user=user, work=work, data=work_input(title=work.title, restricted=True))
    """
)


def test_a_change_made_by_one_process_is_seen_by_another(tmp_path):
    env = {
        "FANARCHIVE_DATA_DIR": str(tmp_path),
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
    }
    run = [sys.executable, "-c", SCRIPT]
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    reader = subprocess.Popen(
        [*run, "reader"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdin is not None and reader.stdout is not None
    try:
        assert reader.stdout.readline().split() == ["0", "built"]
        subprocess.run([*run, "post", "writer1"], cwd=ROOT, env=env, check=True)
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "1"
        subprocess.run([*run, "restrict"], cwd=ROOT, env=env, check=True)
        reader.stdin.write("again\n")
        reader.stdin.flush()
        assert reader.stdout.readline().strip() == "0"
    finally:
        reader.stdin.close()
        reader.wait(timeout=30)
    # `reindex` saves the index; a new process starts from it and catches up from the log.
    subprocess.run([*manage, "reindex"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*run, "post", "writer2"], cwd=ROOT, env=env, check=True)
    late = subprocess.run(
        [*run, "reader"], cwd=ROOT, env=env, input="", capture_output=True, text=True, check=True
    )
    assert late.stdout.split() == ["1", "loaded"]
