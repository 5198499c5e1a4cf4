"""The Redis integration against a real server (CI starts one and sets the variable)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("FANARCHIVE_TEST_REDIS_URL")

PROBE = """
import django
django.setup()
from django.conf import settings
from django.core.cache import cache
from importlib import import_module
assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache"), settings.CACHES
cache.set("fanarchive-probe", {"works": 3}, 30)
assert cache.get("fanarchive-probe") == {"works": 3}
cache.delete("fanarchive-probe")
store = import_module(settings.SESSION_ENGINE).SessionStore
session = store()
session["adult_consent"] = True
session.save()
assert store(session.session_key)["adult_consent"] is True
print("redis ok")
"""


@pytest.mark.skipif(
    not REDIS_URL, reason="set FANARCHIVE_TEST_REDIS_URL to a Redis server (.ci/run does)"
)
def test_cache_and_sessions_work_on_redis(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        {
            "REDIS_URL": REDIS_URL or "",
            "FANARCHIVE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    # Sessions are cached_db: their table must exist in the probe's own SQLite file.
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "redis ok" in result.stdout


NOTICE = """
import django
django.setup()
from fanarchive.core.testing import make_user
from fanarchive.engagement.notices import notify
reader = make_user("rq_reader")
notify(recipients=[reader], kind="reply", subject="A reply by RQ", body="Ahoy", url="/inbox/")
print("queued")
"""


@pytest.mark.skipif(
    not REDIS_URL, reason="set FANARCHIVE_TEST_REDIS_URL to a Redis server (.ci/run does)"
)
def test_with_redis_tasks_go_through_rq_and_its_worker(tmp_path):
    mail_dir = tmp_path / "mail"
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    env.update(
        {
            "REDIS_URL": REDIS_URL or "",
            "FANARCHIVE_DATA_DIR": str(tmp_path),
            "EMAIL_URL": f"file://{mail_dir}",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    queued = subprocess.run(
        [sys.executable, "-c", NOTICE], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert queued.returncode == 0, queued.stderr
    assert not mail_dir.exists()  # queued in Redis, not sent inline
    worked = subprocess.run(
        [sys.executable, "-m", "fanarchive.cli", "worker", "--batch"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert worked.returncode == 0, worked.stdout + worked.stderr
    assert "Running background tasks queued in RQ (Redis)." in worked.stdout
    [message] = [path.read_text() for path in mail_dir.iterdir()]
    assert "A reply by RQ" in message and "To: rq_reader@example.org" in message
