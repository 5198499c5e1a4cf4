"""Wrangler assignments on Django's admin pages: added through `wrangler_set`, deleted
(one, or several with the bulk action) through `wrangler_unassign`, each logged; an
assignment is never edited in place."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.models import TagType, WranglerAssignment, WranglingAction, WranglingLog
from fanarchive.tags.selectors import WRANGLERS_GROUP
from fanarchive.tags.tests.conftest import tag
from fanarchive.wrangling.services import tag_set_canonical
from fanarchive.wrangling.wrangler_services import wrangler_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client: Client):
    admin_user = make_user("tag_keeper", is_staff=True, is_superuser=True)
    make_work(make_user(), fandoms=["Harbour Tales", "Skyward Lanterns"])
    fandoms = [tag("Harbour Tales", TagType.FANDOM), tag("Skyward Lanterns", TagType.FANDOM)]
    for fandom in fandoms:
        tag_set_canonical(user=admin_user, tag=fandom, canonical=True)
    wrangler = make_user("careful_wrangler")
    wrangler_set(user=admin_user, wrangler=wrangler, fandoms=fandoms)
    client.force_login(admin_user)
    return client, wrangler


def test_deleting_assignments_in_the_admin_is_logged_and_keeps_the_wrangler(setup):
    client, wrangler = setup
    first, second = WranglerAssignment.objects.order_by("pk")
    response = client.post(f"/admin/tags/wranglerassignment/{first.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    response = client.post(
        "/admin/tags/wranglerassignment/",
        {"action": "delete_selected", "_selected_action": [second.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not WranglerAssignment.objects.exists()
    unassigned = WranglingLog.objects.filter(action=WranglingAction.UNASSIGN)
    assert sorted(log.tag_name for log in unassigned) == ["Harbour Tales", "Skyward Lanterns"]
    assert wrangler.groups.filter(name=WRANGLERS_GROUP).exists()


def test_an_assignment_is_not_edited_in_place(setup):
    client, _ = setup
    assignment = WranglerAssignment.objects.get(fandom__name="Harbour Tales")
    page = client.get(f"/admin/tags/wranglerassignment/{assignment.pk}/change/")
    assert page.status_code == 200 and 'name="fandom"' not in page.content.decode()
