"""What the wrangling app installs: the wrangler assignments' admin page and the
`wrangler` command, both through `wrangler_set`; and the tag pages' URL names."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from fanarchive.core.testing import make_user
from fanarchive.tags.models import Tag, TagType, WranglerAssignment, WranglingAction, WranglingLog
from fanarchive.tags.selectors import is_wrangler
from fanarchive.tags.services import tags_find_or_create
from fanarchive.wrangling.services import tag_set_canonical

pytestmark = pytest.mark.django_db


def _canonical_fandom(name: str) -> Tag:
    admin = make_user(f"{name.lower()}_admin", is_staff=True)
    (fandom,) = tags_find_or_create(tag_type=TagType.FANDOM, names=[name])
    return tag_set_canonical(user=admin, tag=fandom, canonical=True)


def test_an_assignment_saved_in_the_admin_goes_through_the_service(client: Client) -> None:
    fandom = _canonical_fandom("Lanterns")
    wrangler = make_user("new_wrangler")
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    assert client.get(reverse("admin:tags_wranglerassignment_changelist")).status_code == 200
    response = client.post(
        reverse("admin:tags_wranglerassignment_add"),
        {"user": wrangler.pk, "fandom": fandom.pk},
    )
    assert response.status_code == 302
    assert is_wrangler(wrangler)
    assert WranglerAssignment.objects.filter(user=wrangler, fandom=fandom).exists()
    assert WranglingLog.objects.filter(action=WranglingAction.ASSIGN, tag=fandom).exists()


def test_the_wrangler_command_appoints_and_removes() -> None:
    fandom = _canonical_fandom("Harbours")
    wrangler = make_user("cli_wrangler")
    out = StringIO()
    call_command("wrangler", "cli_wrangler", "--fandom", "harbours", stdout=out)
    assert "is a wrangler (Harbours)" in out.getvalue()
    assert WranglerAssignment.objects.filter(user=wrangler, fandom=fandom).exists()
    call_command("wrangler", "cli_wrangler", "--remove", stdout=out)
    assert not is_wrangler(wrangler)
    with pytest.raises(CommandError):
        call_command("wrangler", "cli_wrangler", "--fandom", "No Such Fandom")


def test_the_tags_recount_command_runs() -> None:
    out = StringIO()
    call_command("tags_recount", stdout=out)
    assert f"Recounted the uses of {Tag.objects.count()} tags." in out.getvalue()


def test_the_wrangling_urls_keep_their_paths() -> None:
    assert reverse("wrangling:home") == "/wrangling/"
    assert reverse("wrangling:queue") == "/wrangling/queue/"
    assert reverse("wrangling:mass") == "/wrangling/mass/"
    assert reverse("wrangling:suggestion") == "/wrangling/suggestions/"
    assert reverse("wrangling:log") == "/wrangling/log/"
    assert reverse("wrangling:autocomplete") == "/tags/autocomplete/"
    assert reverse("wrangling:tag_edit", args=[7]) == "/tags/7/edit/"
