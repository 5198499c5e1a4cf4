"""Kudos through the API: the site's kudos service, its refusals as problem details."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.block_services import block_create
from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import Archive, api_as
from fanarchive.core.testing import make_user
from fanarchive.engagement.models import Kudos
from fanarchive.engagement.visitors import guest_key_of

pytestmark = pytest.mark.django_db


def url(work_id: int) -> str:
    return f"/api/v1/works/{work_id}/kudos"


def test_account_leaves_kudos_and_the_list_shows_it(archive: Archive) -> None:
    response = api_as(archive.other).post(url(archive.public.pk))
    assert response.status_code == 201, response.content
    assert response.json() == {
        "total": 1,
        "users": ["visitor"],
        "guests": 0,
        "you_left_kudos": True,
    }
    assert Kudos.objects.filter(work=archive.public, user=archive.other).count() == 1
    # Anyone reads the list; a guest has not left kudos themselves.
    listed = api_as(None).get(url(archive.public.pk))
    assert listed.status_code == 200
    assert listed.json() == {"total": 1, "users": ["visitor"], "guests": 0, "you_left_kudos": False}


def test_guest_kudos_use_the_sites_keyed_ip_hash(archive: Archive) -> None:
    guest = api_as(None)
    response = guest.post(url(archive.public.pk))
    assert response.status_code == 201, response.content
    assert response.json()["guests"] == 1
    assert response.json()["you_left_kudos"] is True
    kudos = Kudos.objects.get(work=archive.public)
    assert kudos.user is None
    assert kudos.guest_key == guest_key_of("127.0.0.1")
    # The same guest (same address) twice: refused, nothing added.
    again = guest.post(url(archive.public.pk))
    assert again.status_code == 422
    assert again.json()["errors"]["kudos"] == ["You have already left kudos here. :)"]
    assert Kudos.objects.filter(work=archive.public).count() == 1
    # Another address is another guest.
    other = Client(REMOTE_ADDR="10.0.0.9").post(url(archive.public.pk))
    assert other.status_code == 201
    assert other.json()["guests"] == 2


def test_kudos_refusals_are_problem_details(archive: Archive) -> None:
    visitor = api_as(archive.other)
    assert visitor.post(url(archive.public.pk)).status_code == 201
    twice = visitor.post(url(archive.public.pk))
    assert twice.status_code == 422
    assert twice["Content-Type"] == "application/problem+json"
    assert twice.json()["type"] == "urn:fanarchive:problem:validation-error"
    assert twice.json()["errors"] == {"kudos": ["You have already left kudos here. :)"]}

    own = api_as(archive.creator).post(url(archive.public.pk))
    assert own.status_code == 422
    assert own.json()["errors"]["kudos"] == ["You can't leave kudos on your own work."]

    blocked = make_user("blockedreader")
    block_create(user=archive.creator, blocked=blocked)
    refused = api_as(blocked).post(url(archive.public.pk))
    assert refused.status_code == 422
    assert "blocked" in refused.json()["errors"]["kudos"][0]
    assert Kudos.objects.filter(work=archive.public).count() == 1


def test_kudos_visibility(archive: Archive) -> None:
    guest, other, creator = api_as(None), api_as(archive.other), api_as(archive.creator)
    # Restricted: guests can neither read nor leave kudos (the work is for accounts).
    assert guest.get(url(archive.restricted.pk)).status_code == 401
    refused = guest.post(url(archive.restricted.pk))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert other.get(url(archive.restricted.pk)).status_code == 200
    assert other.post(url(archive.restricted.pk)).status_code == 201
    # Drafts and hidden works: not there for others; their creator is refused by the rule.
    for work in (archive.draft, archive.hidden):
        assert guest.get(url(work.pk)).status_code in {403, 404}
        assert other.post(url(work.pk)).status_code in {403, 404}
        assert creator.get(url(work.pk)).status_code == 200
    draft = creator.post(url(archive.draft.pk))
    assert draft.status_code == 422
    assert draft.json()["errors"]["kudos"] == ["You cannot leave kudos on a draft."]
    assert Kudos.objects.filter(work__in=[archive.draft, archive.hidden]).count() == 0
    assert guest.get(url(999999)).status_code == 404


def test_adult_work_takes_kudos_without_consent_as_the_site_does(archive: Archive) -> None:
    # The site's kudos button does not ask for consent, and the list is not the text.
    response = api_as(archive.other).post(url(archive.explicit.pk))
    assert response.status_code == 201
    assert api_as(None).get(url(archive.explicit.pk)).json()["users"] == ["visitor"]


def test_read_only_token_cannot_leave_kudos(archive: Archive) -> None:
    response = api_as(archive.other, TokenScope.READ).post(url(archive.public.pk))
    assert response.status_code == 403
    assert response.json()["type"] == "urn:fanarchive:problem:insufficient-scope"
    assert not Kudos.objects.exists()


def test_session_kudos_need_csrf(archive: Archive) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(archive.other)
    refused = browser.post(url(archive.public.pk))
    assert refused.status_code == 403
    assert refused.json()["type"] == "urn:fanarchive:problem:csrf-failed"
    assert not Kudos.objects.exists()
    browser.get(reverse("works:new"))
    token = browser.cookies["csrftoken"].value
    allowed = browser.post(url(archive.public.pk), headers={"X-CSRFToken": token})
    assert allowed.status_code == 201
    assert allowed.json()["users"] == ["visitor"]


def test_work_stats_show_real_counts(archive: Archive) -> None:
    api_as(archive.other).post(url(archive.public.pk))
    api_as(None).post(url(archive.public.pk))
    detail = api_as(None).get(f"/api/v1/works/{archive.public.pk}").json()
    assert detail["stats"]["kudos"] == 2
    listing = api_as(archive.other).get(f"/api/v1/users/{archive.creator.username}/works").json()
    by_id = {item["id"]: item for item in listing["items"]}
    assert by_id[archive.public.pk]["stats"]["kudos"] == 2
    assert by_id[archive.restricted.pk]["stats"]["kudos"] == 0
