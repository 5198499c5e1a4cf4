"""Django's own `createsuperuser` and `User.objects.create_user` go through `user_create`."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import Preference, User
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db

STRONG = "a lantern over the harbour"
STORY = "Title: The Keeper\nAuthor: Wren\n\nThe lantern swung above the harbour.\n"


def createsuperuser(monkeypatch: Any, **options: str) -> None:
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command("createsuperuser", "--noinput", stdout=io.StringIO(), **options)


def test_createsuperuser_noinput_makes_a_working_account(
    monkeypatch: Any, client: Client, tmp_path: Path
) -> None:
    createsuperuser(monkeypatch, username="keeper", email="keeper@example.org")
    admin = User.objects.get(username="keeper")
    assert admin.is_staff and admin.is_superuser and admin.is_active
    assert admin.default_pseud.name == "keeper"
    assert Preference.objects.filter(user=admin).exists()

    response = client.post(reverse("accounts:login"), {"username": "keeper", "password": STRONG})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin.pk)

    (tmp_path / "keeper.txt").write_text(STORY)
    out = io.StringIO()
    call_command(
        "import", str(tmp_path), "--as", "keeper", "--fandom", "Harbour Tales", "--json",
        "--no-progress",
        stdout=out, stderr=io.StringIO(),
    )  # fmt: skip
    [report] = json.loads(out.getvalue())
    assert report["status"] == "imported"
    work = Work.objects.get(pk=report["work_id"])
    assert [p.name for p in work.pseuds.all()] == ["keeper"]


def test_createsuperuser_interactive_makes_the_same_account(monkeypatch: Any) -> None:
    answers = iter(["keeper", "keeper@example.org"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(answers))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": STRONG)
    terminal = io.StringIO()
    terminal.isatty = lambda: True  # type: ignore[method-assign]
    call_command("createsuperuser", interactive=True, stdout=io.StringIO(), stdin=terminal)
    admin = User.objects.get(username="keeper")
    assert admin.is_superuser and admin.check_password(STRONG)
    assert admin.default_pseud.name == "keeper"


def test_createsuperuser_refuses_a_name_the_archive_does_not_allow(monkeypatch: Any) -> None:
    with pytest.raises(CommandError, match="User names can only contain"):
        createsuperuser(monkeypatch, username="keeper.of.lights", email="keeper@example.org")
    with pytest.raises(CommandError, match=r"valid e-?mail"):
        createsuperuser(monkeypatch, username="keeper", email="not-an-address")
    assert not User.objects.exists()


def test_create_user_in_the_shell_gets_pseud_and_preferences() -> None:
    user = User.objects.create_user("shell_made", "shell@example.org", STRONG)
    assert not user.is_staff and user.check_password(STRONG)
    assert user.default_pseud.name == "shell_made"
    assert Preference.objects.filter(user=user).exists()
    nobody = User.objects.create_user("no_password", "np@example.org")
    assert not nobody.has_usable_password()


def test_create_user_keeps_the_rules_of_sign_up() -> None:
    User.objects.create_user("taken", "taken@example.org", STRONG)
    with pytest.raises(ValidationError):
        User.objects.create_user("TAKEN", "other@example.org", STRONG)
    with pytest.raises(TypeError, match="first_name"):
        User.objects.create_user("named", "named@example.org", STRONG, first_name="Wren")
    with pytest.raises(ValueError, match="is_staff=True"):
        User.objects.create_superuser("boss", "boss@example.org", STRONG, is_staff=False)
    assert list(User.objects.values_list("username", flat=True)) == ["taken"]
