"""Deployments differ only by environment variables: check each switch does what it says."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.env import ConfigError, parse_email_url

REPO = Path(__file__).resolve().parents[3]

SETTINGS_PROBE = """
import json
from django.conf import settings
import django
django.setup()
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "init": db.get("OPTIONS", {}).get("init_command", ""),
    "cache": settings.CACHES["default"]["BACKEND"], "session": settings.SESSION_ENGINE,
    "email": settings.EMAIL_BACKEND, "debug": settings.DEBUG,
    "secure_cookie": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "confirm": settings.EMAIL_CONFIRMATION_REQUIRED,
}))
"""


def settings_under(tmp_path: Path, **env: str) -> dict:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FANARCHIVE_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    }
    clean.update(
        {"FANARCHIVE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=REPO,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_default_is_sqlite_in_wal_mode_under_the_data_dir(tmp_path):
    found = settings_under(tmp_path)
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "fanarchive.sqlite3")
    assert "journal_mode=WAL" in found["init"]
    assert found["cache"].endswith("DatabaseCache")
    assert found["email"].endswith("console.EmailBackend")
    assert found["debug"] is False and found["confirm"] is False
    # A secret key was generated and kept, private to the owner.
    key = tmp_path / "secret_key"
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600"


def test_database_redis_and_email_urls_switch_integrations_on(tmp_path):
    found = settings_under(
        tmp_path,
        DATABASE_URL="postgres://fan:pw@db.example.org:5432/archive",
        REDIS_URL="redis://127.0.0.1:6379/3",
        EMAIL_URL="smtp://mailer:pw@mail.example.org:587",
    )
    assert found["engine"] == "django.db.backends.postgresql" and found["name"] == "archive"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["confirm"] is True


def test_https_makes_cookies_secure(tmp_path):
    assert settings_under(tmp_path, FANARCHIVE_HTTPS="true")["secure_cookie"] is True
    assert settings_under(tmp_path)["secure_cookie"] is False


def test_bad_flag_value_is_refused_with_its_name(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        settings_under(tmp_path, FANARCHIVE_HTTPS="maybe")
    assert "FANARCHIVE_HTTPS must be true or false" in excinfo.value.stderr


@pytest.mark.parametrize(
    ("url", "backend", "host", "port", "tls", "ssl"),
    [
        ("smtp://u:p%40ss@mail.example.org:2525", "smtp", "mail.example.org", 2525, True, False),
        ("smtp://mail.example.org?tls=false", "smtp", "mail.example.org", 587, False, False),
        ("smtps://u:p@mail.example.org", "smtp", "mail.example.org", 465, False, True),
    ],
)
def test_email_url(url, backend, host, port, tls, ssl):
    config = parse_email_url(url)
    assert backend in config.backend
    assert (config.host, config.port, config.use_tls, config.use_ssl) == (host, port, tls, ssl)


def test_email_url_password_is_unquoted():
    assert parse_email_url("smtp://u:p%40ss@h:25").password == "p@ss"


def test_email_url_file_and_console():
    assert parse_email_url("file:///tmp/mail").file_path == "/tmp/mail"
    assert "console" in parse_email_url(None).backend


def test_unknown_email_scheme_is_refused():
    with pytest.raises(ConfigError, match="EMAIL_URL scheme"):
        parse_email_url("pigeon://coop")
