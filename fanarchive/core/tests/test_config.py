"""Deployments differ only by environment variables: check each switch does what it says."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from config.env import (
    ConfigError,
    parse_build_processes,
    parse_email_url,
    parse_networks,
    parse_seconds,
    parse_seconds_or_off,
)

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
    "options": db.get("OPTIONS", {}),
    "conn_max_age": db.get("CONN_MAX_AGE", 0),
    "cache": settings.CACHES["default"]["BACKEND"], "session": settings.SESSION_ENGINE,
    "email": settings.EMAIL_BACKEND, "debug": settings.DEBUG,
    "secure_cookie": getattr(settings, "SESSION_COOKIE_SECURE", False),
    "confirm": settings.EMAIL_CONFIRMATION_REQUIRED,
    "email_timeout": getattr(settings, "EMAIL_TIMEOUT", None),
    "trusted_proxies": [str(network) for network in getattr(settings, "TRUSTED_PROXIES", ())],
    "task_lease": getattr(settings, "TASK_LEASE", None) and settings.TASK_LEASE.total_seconds(),
}))
"""


def probe_environment(tmp_path: Path, **env: str) -> dict[str, str]:
    """This environment without the deployment's variables, with the data dir in tmp_path."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("FANARCHIVE_", "DATABASE_URL", "REDIS_URL", "EMAIL_URL"))
    }
    clean.update(
        {"FANARCHIVE_DATA_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings"}
    )
    clean.update(env)
    return clean


def settings_under(tmp_path: Path, **env: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SETTINGS_PROBE],
        cwd=REPO,
        env=probe_environment(tmp_path, **env),
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_default_is_sqlite_in_wal_mode_under_the_data_dir(tmp_path):
    found = settings_under(tmp_path)
    assert found["task_lease"] == 600
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(tmp_path / "fanarchive.sqlite3")
    assert "journal_mode=WAL" in found["init"]
    assert found["conn_max_age"] == 60  # kept between requests, as PostgreSQL's are
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
    assert found["conn_max_age"] == 60
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["session"] == "django.contrib.sessions.backends.cached_db"
    assert found["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["confirm"] is True


def test_a_sqlite_database_url_gets_the_same_sqlite_settings_as_the_default(tmp_path):
    default = settings_under(tmp_path)
    elsewhere = tmp_path / "elsewhere" / "archive.sqlite3"
    named = settings_under(tmp_path, DATABASE_URL=f"sqlite:///{elsewhere}")
    assert named["engine"] == "django.db.backends.sqlite3"
    assert named["name"] == str(elsewhere)
    assert named["options"] == default["options"]
    assert named["conn_max_age"] == default["conn_max_age"] == 60
    assert named["options"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in named["options"]["init_command"]


# Another connection holds the write lock (as the task worker does when it claims a
# task) while a reader signs up; the sign-up must wait its turn, not fail.
WRITER_HOLDING_THE_LOCK = """
import sqlite3, threading, time
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()
path = settings.DATABASES["default"]["NAME"]
holding = threading.Event()


def writer():
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE IF NOT EXISTS lock_probe (n integer)")
    other.execute("INSERT INTO lock_probe VALUES (1)")
    holding.set()
    time.sleep(1.0)
    other.execute("COMMIT")
    other.close()


thread = threading.Thread(target=writer)
thread.start()
holding.wait()
response = Client().post("/signup/", {
    "username": "harbour_reader", "email": "harbour_reader@example.org",
    "password1": "lantern-light-over-water", "password2": "lantern-light-over-water",
    "terms": "on",
})
thread.join()
print("status", response.status_code)
"""


def test_a_request_waits_for_another_writer_on_a_sqlite_database_url(tmp_path):
    database = tmp_path / "elsewhere.sqlite3"
    env = probe_environment(tmp_path, DATABASE_URL=f"sqlite:///{database}")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "-v0"],
        cwd=REPO,
        env=env,
        check=True,
        capture_output=True,
    )
    result = subprocess.run(
        [sys.executable, "-c", WRITER_HOLDING_THE_LOCK],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert "database is locked" not in result.stderr
    assert result.returncode == 0, result.stderr
    assert "status 302" in result.stdout, result.stdout + result.stderr


def test_https_makes_cookies_secure(tmp_path):
    assert settings_under(tmp_path, FANARCHIVE_HTTPS="true")["secure_cookie"] is True
    assert settings_under(tmp_path)["secure_cookie"] is False


def test_bad_flag_value_is_refused_with_its_name(tmp_path):
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        settings_under(tmp_path, FANARCHIVE_HTTPS="maybe")
    assert "FANARCHIVE_HTTPS must be true or false" in excinfo.value.stderr


def test_mail_servers_get_a_timeout_that_can_be_changed(tmp_path):
    assert settings_under(tmp_path)["email_timeout"] == 20
    assert settings_under(tmp_path, FANARCHIVE_EMAIL_TIMEOUT="7.5")["email_timeout"] == 7.5
    with pytest.raises(subprocess.CalledProcessError) as excinfo:
        settings_under(tmp_path, FANARCHIVE_EMAIL_TIMEOUT="soon")
    assert "FANARCHIVE_EMAIL_TIMEOUT must be a positive number of seconds" in (excinfo.value.stderr)


@pytest.mark.parametrize("bad", ["soon", "0", "-3", "inf", "nan", "1e999"])
def test_a_number_of_seconds_must_be_positive_and_finite(bad):
    with pytest.raises(ConfigError, match="FANARCHIVE_TASK_LEASE must be a positive number"):
        parse_seconds("FANARCHIVE_TASK_LEASE", bad, 600.0)
    assert parse_seconds("FANARCHIVE_TASK_LEASE", " ", 600.0) == 600.0
    assert parse_seconds("FANARCHIVE_TASK_LEASE", "0.25", 600.0) == 0.25


SEND_A_MAIL = """
import time
import django
django.setup()
from django.core.mail import send_mail
started = time.monotonic()
try:
    send_mail("A stalled mail", "Ahoy", None, ["harbour_reader@example.org"])
except OSError as error:
    print("gave up:", error, "after", round(time.monotonic() - started, 1), "s")
"""


def test_a_mail_server_that_accepts_and_never_answers_is_given_up_on(tmp_path):
    # Listening, never accepting: the kernel completes the connection, and the client
    # then waits for a greeting that never comes.
    with socket.socket() as stalled:
        stalled.bind(("127.0.0.1", 0))
        stalled.listen(8)
        port = stalled.getsockname()[1]
        env = probe_environment(
            tmp_path,
            EMAIL_URL=f"smtp://127.0.0.1:{port}?tls=false",
            FANARCHIVE_EMAIL_TIMEOUT="0.5",
        )
        started = time.monotonic()
        try:
            result = subprocess.run(
                [sys.executable, "-c", SEND_A_MAIL],
                cwd=REPO,
                env=env,
                capture_output=True,
                text=True,
                timeout=20,
            )
        except subprocess.TimeoutExpired:
            pytest.fail("sending mail to a stalled server never gave up")
    assert result.returncode == 0, result.stderr
    assert "gave up:" in result.stdout and "timed out" in result.stdout, result.stdout
    assert time.monotonic() - started < 15


def test_trusted_proxies_and_the_task_lease_are_read(tmp_path):
    assert settings_under(tmp_path)["trusted_proxies"] == []
    found = settings_under(
        tmp_path,
        FANARCHIVE_TRUSTED_PROXIES="10.0.0.1, 172.16.0.0/12,::1",
        FANARCHIVE_TASK_LEASE="900",
    )
    assert found["trusted_proxies"] == ["10.0.0.1/32", "172.16.0.0/12", "::1/128"]
    assert found["task_lease"] == 900


def test_a_proxy_must_be_an_address_or_a_network():
    with pytest.raises(ConfigError, match="must list IP addresses or networks") as excinfo:
        parse_networks("FANARCHIVE_TRUSTED_PROXIES", "10.0.0.1,proxy.example.org")
    assert "'proxy.example.org'" in str(excinfo.value)
    assert parse_networks("FANARCHIVE_TRUSTED_PROXIES", " , ") == ()


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


def test_the_guest_page_cache_takes_seconds_or_zero_for_off():
    name = "FANARCHIVE_GUEST_PAGE_CACHE_SECONDS"
    assert parse_seconds_or_off(name, None, 300.0) == 300.0
    assert parse_seconds_or_off(name, "0", 300.0) == 0.0
    assert parse_seconds_or_off(name, "60", 300.0) == 60.0
    with pytest.raises(ConfigError, match=f"{name} must be a positive number"):
        parse_seconds_or_off(name, "-5", 300.0)


def test_index_build_processes_default_to_the_cpus_and_refuse_words():
    assert parse_build_processes(None) == min(os.cpu_count() or 1, 4)
    assert parse_build_processes("3") == 3
    assert parse_build_processes("0") == 1
    with pytest.raises(ConfigError, match="FANARCHIVE_INDEX_BUILD_PROCESSES must be a whole"):
        parse_build_processes("many")
