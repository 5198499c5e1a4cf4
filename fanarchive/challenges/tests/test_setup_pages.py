"""The set-up pages through the real stack: tag sets, nominations, a challenge's settings,
the collection page's challenge section, sign-ups (form, view, withdraw, moderators' list)."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.accounts.models import User
from fanarchive.challenges.models import (
    Challenge,
    ChallengeKind,
    NominationStatus,
    Prompt,
    SignUp,
    TagNomination,
    TagSet,
)
from fanarchive.challenges.tests.factories import make_challenge, make_signup, make_tag_set
from fanarchive.collections.models import Collection, CollectionParticipant
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user
from fanarchive.tags.models import TagType

pytestmark = pytest.mark.django_db


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


def test_an_owner_makes_a_tag_set_and_adds_and_removes_tags(client, user):
    client.force_login(user)
    response = client.post(
        "/tag-sets/new/",
        {
            "title": "Harbour Tags",
            "description": "<p>Boats<script>alert(1)</script></p>",
            "fandom_nomination_limit": "2",
        },
    )
    tag_set = TagSet.objects.get()
    assert response["Location"] == f"/tag-sets/{tag_set.pk}/edit/"
    assert "script" not in tag_set.description and tag_set.fandom_nomination_limit == 2
    edit = f"/tag-sets/{tag_set.pk}/edit/"
    client.post(
        edit, {"action": "add", "tag_type": "fandom", "names": "Harbour Tales, Lantern Road"}
    )
    client.post(edit, {"action": "add", "tag_type": "character", "names": "Mira Vale"})
    page = _page(client, f"/tag-sets/{tag_set.pk}/")
    assert "Harbour Tales" in page and "Lantern Road" in page and "Mira Vale" in page
    assert "Fandom (2)" in page and "Character (1)" in page
    lantern = tag_set.tags.get(name="Lantern Road")
    client.post(edit, {"action": "remove", "remove": [str(lantern.pk)]})
    assert set(tag_set.tags.values_list("name", flat=True)) == {"Harbour Tales", "Mira Vale"}


def test_adding_a_bad_tag_name_says_why_and_adds_nothing(client, user):
    tag_set = make_tag_set(user, tags={})
    client.force_login(user)
    response = client.post(
        f"/tag-sets/{tag_set.pk}/edit/",
        {"action": "add", "tag_type": "fandom", "names": "Good Name, Bad<Name"},
    )
    assert response.status_code == 400
    assert "cannot contain &lt;" in response.content.decode()
    assert not tag_set.tags.exists()


def test_only_owners_edit_a_tag_set(client, user, other_user):
    tag_set = make_tag_set(user)
    client.force_login(other_user)
    assert client.get(f"/tag-sets/{tag_set.pk}/edit/").status_code == 403
    assert client.get(f"/tag-sets/{tag_set.pk}/nominations/").status_code == 403
    assert _page(client, "/tag-sets/").count(tag_set.title) == 1


def test_nominating_and_reviewing(client, user, other_user):
    tag_set = make_tag_set(user, tags={})
    tag_set.nominations_open = True
    tag_set.fandom_nomination_limit = 1
    tag_set.save()
    client.force_login(other_user)
    nominate = f"/tag-sets/{tag_set.pk}/nominate/"
    client.post(nominate, {"tag_type": "fandom", "names": "Saltmarsh Choir"})
    response = client.post(nominate, {"tag_type": "fandom", "names": "Lantern Road"})
    assert response.status_code == 400 and "at most 1 Fandom tag" in response.content.decode()
    assert TagNomination.objects.count() == 1
    client.force_login(user)
    nomination = TagNomination.objects.get()
    assert "Approve Saltmarsh Choir" in _page(client, f"/tag-sets/{tag_set.pk}/nominations/")
    client.post(
        f"/tag-sets/{tag_set.pk}/nominations/",
        {"nomination": nomination.pk, "decision": "approve"},
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED
    assert tag_set.tags.filter(name="Saltmarsh Choir", type=TagType.FANDOM).exists()


def test_an_owner_sets_up_a_gift_exchange_and_edits_its_settings(client, user):
    collection = make_collection(user, name="Tide_Swap", title="Tide Swap")
    tag_set = make_tag_set(user)
    client.force_login(user)
    assert "Set up a challenge" in _page(client, "/collections/Tide_Swap/")
    response = client.post(
        "/collections/Tide_Swap/challenge/new/",
        {"kind": "gift_exchange", "unrevealed_and_anonymous": "on"},
    )
    assert response["Location"] == "/collections/Tide_Swap/challenge/edit/"
    collection.refresh_from_db()
    assert collection.unrevealed and collection.anonymous
    page = _page(client, "/collections/Tide_Swap/challenge/edit/")
    assert "Fandoms that must match" in page and "Offers allowed" in page
    response = client.post(
        "/collections/Tide_Swap/challenge/edit/",
        {
            "tag_set": tag_set.pk,
            "signup_open": "on",
            "signups_close_at": "2099-01-01T12:00",
            "requests_required": "1",
            "requests_allowed": "2",
            "offers_required": "1",
            "offers_allowed": "2",
            "fandom_request_required": "1",
            "fandom_request_allowed": "1",
            "fandom_offer_required": "1",
            "fandom_offer_allowed": "2",
            "fandom_must_match": "1",
            "fandom_restrict_to_tag_set": "on",
            "works_reveal_at": "2099-02-01T12:00",
            "authors_reveal_at": "2099-02-02T12:00",
        },
    )
    assert response.status_code == 302
    challenge = Challenge.objects.get()
    assert challenge.tag_set == tag_set and challenge.requests_allowed == 2
    assert [r.tag_type for r in challenge.tag_rules.all()] == ["fandom"]
    page = _page(client, "/collections/Tide_Swap/")
    assert "Gift exchange" in page and "/collections/Tide_Swap/matching/" in page
    assert "Sign-ups are open until 1 January 2099" in page


def test_bad_settings_are_refused_and_nothing_changes(client, user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    client.force_login(user)
    response = client.post(
        f"/collections/{name}/challenge/edit/",
        {
            "requests_required": "3",
            "requests_allowed": "2",
            "offers_required": "1",
            "offers_allowed": "1",
            "signups_open_at": "2099-01-02T00:00",
            "signups_close_at": "2099-01-01T00:00",
            "fandom_request_allowed": "1",
            "fandom_must_match": "2",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Sign-ups must close after they open." in page
    assert "the number required (3) is more than the number allowed (2)" in page
    assert "the number that must match (2)" in page
    challenge.refresh_from_db()
    assert challenge.requests_allowed == 1 and challenge.signups_close_at is None


def test_a_participant_signs_up_edits_views_and_withdraws(client, user, other_user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    client.force_login(other_user)
    page = _page(client, f"/collections/{name}/")
    assert f'href="/collections/{name}/signup/"' in page
    page = _page(client, f"/collections/{name}/signup/")
    assert "Request 1: Fandoms" in page and "Offer 1: Characters" in page
    assert '<option value="Harbour Tales">' in page
    data = {
        "request-0-title": "A lighthouse story",
        "request-0-tags-fandom": "Harbour Tales",
        "request-0-tags-character": "Mira Vale, Tobin Reed",
        "request-0-description": "<p>Storms<script>alert(1)</script></p>",
        "offer-0-tags-fandom": "Lantern Road",
    }
    response = client.post(f"/collections/{name}/signup/", data)
    signup = SignUp.objects.get(user=other_user)
    assert response["Location"] == f"/collections/{name}/signups/{signup.pk}/"
    request = signup.prompts.get(role="request")
    assert "script" not in request.description and "Storms" in request.description
    assert sorted(t.name for t in request.tags.all()) == [
        "Harbour Tales",
        "Mira Vale",
        "Tobin Reed",
    ]
    assert CollectionParticipant.objects.filter(
        collection=challenge.collection, pseud__user=other_user, role="member"
    ).exists()
    page = _page(client, f"/collections/{name}/signups/{signup.pk}/")
    assert "A lighthouse story" in page and "Mira Vale, Tobin Reed" in page
    edit = _page(client, f"/collections/{name}/signup/")
    assert 'value="Harbour Tales"' in edit and "Update sign-up" in edit
    client.post(f"/collections/{name}/signup/", {**data, "request-0-tags-character": "Ada Lark"})
    assert [t.name for t in Prompt.objects.get(pk=request.pk).tags.filter(type="character")] == [
        "Ada Lark"
    ]
    assert "Yes, withdraw my sign-up" in _page(client, f"/collections/{name}/signup/withdraw/")
    client.post(f"/collections/{name}/signup/withdraw/")
    assert not SignUp.objects.filter(user=other_user).exists()


def test_a_sign_up_outside_the_tag_set_is_refused_with_the_names(client, user, other_user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    client.force_login(other_user)
    response = client.post(
        f"/collections/{name}/signup/",
        {"request-0-tags-fandom": "Moon Base", "offer-0-tags-fandom": "Harbour Tales"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Request 1: Fandom tags not in the challenge&#x27;s tag set: Moon Base." in page
    assert not SignUp.objects.exists() and not Prompt.objects.exists()


def test_closed_sign_ups_show_no_form(client, user, other_user):
    challenge = make_challenge(user, signup_open=False)
    client.force_login(other_user)
    page = _page(client, f"/collections/{challenge.collection.name}/signup/")
    assert "Sign-ups are closed." in page and '<form method="post" novalidate' not in page


def test_moderators_see_every_sign_up_and_the_summary(client, user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    for username in ("ada", "bram", "cleo"):
        make_signup(
            make_user(username),
            challenge,
            requests=[{"fandom": ["Harbour Tales"]}],
            offers=[{"fandom": ["Lantern Road"]}],
        )
    client.force_login(user)
    page = _page(client, f"/collections/{name}/signups/")
    assert "Sign-ups for" in page and "(3)" in page
    assert "<td>Harbour Tales</td><td>3</td><td>0</td>" in page
    assert "<td>Lantern Road</td><td>0</td><td>3</td>" in page
    bram = SignUp.objects.get(user__username="bram")
    client.post(f"/collections/{name}/signups/{bram.pk}/remove/")
    assert SignUp.objects.count() == 2


def test_other_people_cannot_see_the_sign_ups(client, user, other_user):
    challenge = make_challenge(user)
    signup = make_signup(make_user("dara"), challenge, requests=[{"fandom": ["Harbour Tales"]}])
    name = challenge.collection.name
    client.force_login(other_user)
    assert client.get(f"/collections/{name}/signups/").status_code == 403
    assert client.get(f"/collections/{name}/signups/{signup.pk}/").status_code == 404
    assert client.get(f"/collections/{name}/challenge/edit/").status_code == 403
    assert client.get(f"/collections/{name}/challenge/new/").status_code == 403


def test_a_prompt_meme_sign_up_with_an_anonymous_prompt(client, user, other_user: User):
    challenge = make_challenge(
        user,
        ChallengeKind.PROMPT_MEME,
        requests_allowed=2,
        rules={"fandom": {"request_required": 1, "request_allowed": 1}},
    )
    name = challenge.collection.name
    client.force_login(other_user)
    page = _page(client, f"/collections/{name}/signup/")
    assert "Prompt 2: post anonymously" in page and "Offer 1" not in page
    client.post(
        f"/collections/{name}/signup/",
        {
            "request-0-title": "Fog",
            "request-0-tags-fandom": "Harbour Tales",
            "request-0-anonymous": "on",
        },
    )
    prompt = Prompt.objects.get()
    assert prompt.anonymous and prompt.title == "Fog"
    page = _page(client, f"/collections/{name}/")
    assert (
        "/collections/" + name + "/prompts/" in page
        and f"/users/{other_user.username}/claims/" in page
    )
    assert Collection.objects.filter(pk=challenge.collection_id, unrevealed=False).exists()


def test_guests_are_asked_to_log_in(client, user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    page = _page(client, f"/collections/{name}/")
    assert "Log in to sign up" in page
    response = client.post(
        f"/collections/{name}/signup/", {"request-0-tags-fandom": "Harbour Tales"}
    )
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not SignUp.objects.exists()


def test_ten_thousand_tag_names_get_a_clear_message(client, user, other_user):
    challenge = make_challenge(user)
    client.force_login(other_user)
    names = ", ".join(f"Fandom {i}" for i in range(10_000))
    response = client.post(
        f"/collections/{challenge.collection.name}/signup/",
        {"request-0-tags-fandom": names, "offer-0-tags-fandom": "Harbour Tales"},
    )
    assert response.status_code == 400
    assert "Request 1: at most 1 Fandom tag allowed; this has 10,000." in response.content.decode()
    assert not SignUp.objects.exists()


def test_after_close_a_participant_cannot_withdraw_but_a_moderator_edits(client, user, other_user):
    challenge = make_challenge(user)
    name = challenge.collection.name
    signup = make_signup(
        other_user,
        challenge,
        requests=[{"fandom": ["Harbour Tales"]}],
        offers=[{"fandom": ["Lantern Road"]}],
    )
    challenge.signup_open = False
    challenge.save()
    client.force_login(other_user)
    response = client.post(f"/collections/{name}/signup/withdraw/", follow=True)
    assert "Sign-ups are closed." in response.content.decode()
    assert SignUp.objects.filter(pk=signup.pk).exists()
    client.force_login(user)
    page = _page(client, f"/collections/{name}/signups/{signup.pk}/edit/")
    assert f"Sign-up of {other_user.default_pseud.byline}" in page
    client.post(
        f"/collections/{name}/signups/{signup.pk}/edit/",
        {"request-0-tags-fandom": "Lantern Road", "offer-0-tags-fandom": "Harbour Tales"},
    )
    request = Prompt.objects.get(signup=signup, role="request")
    assert [t.name for t in request.tags.all()] == ["Lantern Road"]
    assert SignUp.objects.get(pk=signup.pk).user == other_user
