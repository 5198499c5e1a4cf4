"""`fanarchive createadmin`."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from fanarchive.accounts.models import Preference, Pseud, User

pytestmark = pytest.mark.django_db

STRONG = "a lantern over the harbour"
ROOT = Path(__file__).resolve().parents[3]


def createadmin(*args: str) -> str:
    out = io.StringIO()
    call_command("createadmin", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_createadmin_makes_an_active_staff_superuser_with_pseud_and_preferences() -> None:
    output = createadmin("--username", "boss", "--email", "boss@example.org", "--password", STRONG)
    assert "Created the admin account boss" in output
    admin = User.objects.get(username="boss")
    assert admin.is_active and admin.is_staff and admin.is_superuser
    assert admin.check_password(STRONG)
    assert admin.default_pseud.name == "boss"
    assert Preference.objects.filter(user=admin).exists()


def test_createadmin_reads_the_password_from_the_environment(monkeypatch: Any) -> None:
    monkeypatch.setenv("FANARCHIVE_ADMIN_PASSWORD", STRONG)
    createadmin("--username", "boss", "--email", "boss@example.org")
    assert User.objects.get(username="boss").check_password(STRONG)


def test_createadmin_prompts_for_the_password_twice_in_a_terminal(monkeypatch: Any) -> None:
    monkeypatch.delenv("FANARCHIVE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter([STRONG, STRONG])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    createadmin("--username", "boss", "--email", "boss@example.org")
    assert User.objects.get(username="boss").check_password(STRONG)


def test_createadmin_refuses_prompted_passwords_that_differ(monkeypatch: Any) -> None:
    monkeypatch.delenv("FANARCHIVE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    answers = iter([STRONG, STRONG + "!"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    with pytest.raises(CommandError, match="do not match"):
        createadmin("--username", "boss", "--email", "boss@example.org")
    assert not User.objects.exists()


def test_createadmin_without_a_password_and_no_terminal_fails(monkeypatch: Any) -> None:
    monkeypatch.delenv("FANARCHIVE_ADMIN_PASSWORD", raising=False)
    monkeypatch.setattr(sys.stdin, "isatty", lambda: False)
    with pytest.raises(CommandError, match="FANARCHIVE_ADMIN_PASSWORD"):
        createadmin("--username", "boss", "--email", "boss@example.org")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--username", "b!", "--email", "boss@example.org"], "--username: User names must be"),
        (["--username", "boss", "--email", "not-an-address"], "--email: Enter a valid e-mail"),
        (
            ["--username", "boss", "--email", "boss@example.org", "--password", "short"],
            "--password: This password is too short",
        ),
    ],
)
def test_createadmin_says_which_field_is_wrong_and_creates_nothing(
    args: list[str], expected: str
) -> None:
    if "--password" not in args:
        args = [*args, "--password", STRONG]
    with pytest.raises(CommandError) as excinfo:
        createadmin(*args)
    assert expected in str(excinfo.value)
    assert not User.objects.exists()
    assert not Pseud.objects.exists()


def test_createadmin_refuses_a_taken_name(user: User) -> None:
    with pytest.raises(CommandError, match="already taken"):
        createadmin("--username", "Writer", "--email", "boss@example.org", "--password", STRONG)
    assert User.objects.count() == 1


def test_createadmin_from_the_command_line_exits_non_zero_on_bad_input(tmp_path: Path) -> None:
    """The real `fanarchive` entry point: errors go to stderr with a non-zero exit status."""
    env = {"FANARCHIVE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    cli = [str(Path(sys.executable).with_name("fanarchive"))]
    if not Path(cli[0]).exists():
        cli = [sys.executable, "-m", "fanarchive.cli"]
    migrate = subprocess.run(
        [*cli, "migrate", "-v0"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stderr
    bad = subprocess.run(
        [*cli, "createadmin", "--username", "x", "--email", "nope", "--password", STRONG],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert bad.returncode != 0
    assert "--username: User names must be 3 to 40 characters long." in bad.stderr
    assert "--email: Enter a valid e-mail address." in bad.stderr
    good = subprocess.run(
        [*cli, "createadmin", "--username", "boss", "--email", "boss@example.org"],
        cwd=ROOT,
        env={**env, "FANARCHIVE_ADMIN_PASSWORD": STRONG},
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    assert good.returncode == 0, good.stderr
    assert "Created the admin account boss" in good.stdout
