"""/api/v1: a challenge's settings, a tag set, one's sign-up (GET/PUT/DELETE with a token)
and the moderators' list of sign-ups, with the services' checks and messages."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import ApiClient, api_as
from fanarchive.challenges.models import ChallengeKind, Prompt, SignUp, TagNomination
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db

SIGNUP = {
    "requests": [
        {
            "title": "Fog over the bay",
            "description": "<p>Quiet<script>alert(1)</script></p>",
            "tags": {"fandom": ["Harbour Tales"], "character": ["Mira Vale"]},
        }
    ],
    "offers": [
        {
            "tags": {
                "fandom": [
                    "Lantern Road",
                ]
            }
        }
    ],
}


def _put(client: ApiClient, path: str, body: Any) -> Any:
    return client._send("put", path, body, {})


def test_anyone_reads_a_challenge_and_its_tag_set(user):
    challenge = make_challenge(user)
    guest = api_as(None)
    body = guest.get(f"/api/v1/challenges/{challenge.collection.name}").json()
    assert body["kind"] == "gift_exchange" and body["signups_open_now"] is True
    assert body["signup_window"] == "Sign-ups are open."
    assert [r["tag_type"] for r in body["rules"]] == ["fandom", "character"]
    assert body["rules"][0]["must_match"] == 1
    tag_set = guest.get(f"/api/v1/tag-sets/{body['tag_set']['id']}").json()
    assert {"type": "fandom", "name": "Harbour Tales"} in tag_set["tags"]
    assert tag_set["owners"] == [user.username]
    assert guest.get("/api/v1/challenges/nowhere").status_code == 404
    assert guest.get("/api/v1/tag-sets/999999").status_code == 404


def test_signing_up_reading_replacing_and_withdrawing(user, other_user):
    challenge = make_challenge(user)
    path = f"/api/v1/challenges/{challenge.collection.name}/signup"
    client = api_as(other_user)
    assert client.get(path).status_code == 404
    response = _put(client, path, SIGNUP)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["username"] == other_user.username
    assert body["requests"][0]["title"] == "Fog over the bay"
    assert "script" not in body["requests"][0]["description"]
    assert {"type": "character", "name": "Mira Vale"} in body["requests"][0]["tags"]
    assert client.get(path).json()["offers"][0]["tags"] == [
        {"type": "fandom", "name": "Lantern Road"}
    ]
    replaced = _put(client, path, {**SIGNUP, "offers": [{"tags": {"fandom": ["Harbour Tales"]}}]})
    assert replaced.json()["offers"][0]["tags"][0]["name"] == "Harbour Tales"
    assert SignUp.objects.count() == 1 and Prompt.objects.count() == 2
    assert client.delete(path).status_code == 204
    assert not SignUp.objects.exists() and not Prompt.objects.exists()


def test_bad_sign_ups_get_the_message_and_change_nothing(user, other_user):
    challenge = make_challenge(user)
    path = f"/api/v1/challenges/{challenge.collection.name}/signup"
    client = api_as(other_user)
    outside = _put(
        client,
        path,
        {**SIGNUP, "requests": [{"tags": {"fandom": ["Moon Base"]}}]},
    )
    assert outside.status_code == 422
    assert "Request 1: Fandom tags not in the challenge's tag set: Moon Base." in str(
        outside.json()
    )
    many = _put(
        client,
        path,
        {**SIGNUP, "requests": [{"tags": {"fandom": [f"Fandom {i}" for i in range(10_000)]}}]},
    )
    assert many.status_code == 422
    assert "Request 1: at most 1 Fandom tag allowed; this has 10,000." in str(many.json())
    assert not SignUp.objects.exists() and not Prompt.objects.exists()
    read_only = api_as(other_user, TokenScope.READ)
    assert _put(read_only, path, SIGNUP).status_code == 403
    assert _put(api_as(None), path, SIGNUP).status_code == 401
    challenge.signups_close_at = timezone.now() - dt.timedelta(days=1)
    challenge.save()
    closed = _put(client, path, SIGNUP)
    assert closed.status_code == 422 and "Sign-ups closed on" in closed.json()["detail"]
    assert not SignUp.objects.exists()


def test_moderators_list_every_sign_up(user, other_user):
    challenge = make_challenge(user, ChallengeKind.PROMPT_MEME)
    for username in ("ada", "bram"):
        make_signup(make_user(username), challenge, requests=[{"fandom": ["Harbour Tales"]}])
    path = f"/api/v1/challenges/{challenge.collection.name}/signups"
    body = api_as(user).get(path).json()
    assert sorted(s["username"] for s in body["items"]) == ["ada", "bram"]
    assert body["items"][0]["requests"][0]["tags"] == [{"type": "fandom", "name": "Harbour Tales"}]
    refused = api_as(other_user).get(path)
    assert refused.status_code == 403 and "Only the moderators" in refused.json()["detail"]


def test_nominating_through_the_api(user, other_user):
    challenge = make_challenge(user)
    tag_set = challenge.tag_set
    assert tag_set is not None
    tag_set.nominations_open = True
    tag_set.character_nomination_limit = 2
    tag_set.save()
    client = api_as(other_user)
    made = client.post(
        f"/api/v1/tag-sets/{tag_set.pk}/nominations",
        {"tag_type": "character", "names": ["Juno Bell", "Ezra Quill"]},
    )
    assert made.status_code == 201 and [n["name"] for n in made.json()] == [
        "Juno Bell",
        "Ezra Quill",
    ]
    over = client.post(
        f"/api/v1/tag-sets/{tag_set.pk}/nominations",
        {"tag_type": "character", "names": ["Third One"]},
    )
    assert over.status_code == 422 and "at most 2 Character tags" in str(over.json())
    assert TagNomination.objects.count() == 2
