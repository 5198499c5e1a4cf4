"""The set-up services: a collection's owner makes it a challenge, its moderators edit
the settings and rules; every setting is checked and bad input changes nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanarchive.challenges import setup_services
from fanarchive.challenges.models import Challenge, ChallengeKind, TagRule
from fanarchive.challenges.setup_selectors import challenge_by_name, signup_window, tag_rules
from fanarchive.challenges.setup_services import (
    ChallengeSettings,
    TagRuleInput,
    challenge_create,
    challenge_delete,
    challenge_signups_set_open,
    challenge_update,
    default_settings,
    settings_of,
)
from fanarchive.challenges.tests.factories import make_tag_set
from fanarchive.collections.models import ParticipantRole
from fanarchive.collections.services import collection_participant_add
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def test_an_exchange_makes_its_collection_unrevealed_and_anonymous(user):
    collection = make_collection(user, name="Tide_Swap")
    challenge = challenge_create(user=user, collection=collection, kind=ChallengeKind.GIFT_EXCHANGE)
    collection.refresh_from_db()
    assert collection.unrevealed and collection.anonymous
    assert challenge_by_name("tide_swap") == challenge
    assert [(r.tag_type, r.must_match) for r in tag_rules(challenge)] == [
        ("fandom", 1),
        ("character", 0),
    ]
    with pytest.raises(ValidationError, match="already has a challenge"):
        challenge_create(user=user, collection=collection, kind=ChallengeKind.PROMPT_MEME)


def test_a_prompt_meme_keeps_its_collection_as_it_is_and_takes_no_offers(user):
    collection = make_collection(user)
    challenge = challenge_create(user=user, collection=collection, kind=ChallengeKind.PROMPT_MEME)
    collection.refresh_from_db()
    assert not collection.unrevealed and not collection.anonymous
    assert challenge.offers_allowed == 0 and challenge.requests_allowed == 3
    kept = challenge_create(
        user=user,
        collection=make_collection(user),
        kind=ChallengeKind.GIFT_EXCHANGE,
        unrevealed_and_anonymous=False,
    )
    assert not kept.collection.unrevealed


def test_only_owners_set_up_and_moderators_edit(user, other_user):
    collection = make_collection(user)
    with pytest.raises(PermissionDenied):
        challenge_create(user=other_user, collection=collection, kind=ChallengeKind.PROMPT_MEME)
    assert not Challenge.objects.exists()
    challenge = challenge_create(user=user, collection=collection, kind=ChallengeKind.PROMPT_MEME)
    data = replace(settings_of(challenge), signup_open=True)
    with pytest.raises(PermissionDenied):
        challenge_update(user=other_user, challenge=challenge, data=data)
    collection_participant_add(
        user=user,
        collection=collection,
        pseud=other_user.default_pseud,
        role=ParticipantRole.MODERATOR,
    )
    assert challenge_update(user=other_user, challenge=challenge, data=data).signup_open
    with pytest.raises(PermissionDenied):
        challenge_delete(user=other_user, challenge=challenge)
    challenge_delete(user=user, challenge=challenge)
    assert not Challenge.objects.exists()


def test_settings_and_rules_are_saved(user):
    tag_set = make_tag_set(user)
    challenge = challenge_create(user=user, collection=make_collection(user), kind="gift_exchange")
    data = ChallengeSettings(
        tag_set=tag_set,
        signup_instructions="<p>Be kind<script>x()</script></p>",
        signup_open=True,
        signups_open_at=NOW,
        signups_close_at=NOW + dt.timedelta(days=7),
        requests_required=1,
        requests_allowed=3,
        offers_required=1,
        offers_allowed=2,
        assignments_due_at=NOW + dt.timedelta(days=30),
        works_reveal_at=NOW + dt.timedelta(days=40),
        authors_reveal_at=NOW + dt.timedelta(days=41),
        rules={
            "fandom": TagRuleInput(1, 2, 1, 3, allow_any=True, must_match=1),
            "freeform": TagRuleInput(0, 5, 0, 5, restrict_to_tag_set=False),
        },
    )
    challenge = challenge_update(user=user, challenge=challenge, data=data)
    assert challenge.tag_set == tag_set and "script" not in challenge.signup_instructions
    assert set(TagRule.objects.filter(challenge=challenge).values_list("tag_type", flat=True)) == {
        "fandom",
        "freeform",
    }
    assert settings_of(challenge).rules["fandom"] == TagRuleInput(1, 2, 1, 3, True, 1, True)
    assert signup_window(challenge).is_open
    closed = challenge_signups_set_open(user=user, challenge=challenge, is_open=False)
    assert closed.signup_open is False
    assert signup_window(closed).message == "Sign-ups are closed."


def test_saving_reveal_dates_schedules_the_reveals(user, monkeypatch):
    scheduled: list[Challenge] = []
    monkeypatch.setattr(setup_services, "reveals_schedule", scheduled.append)
    challenge = challenge_create(user=user, collection=make_collection(user), kind="prompt_meme")
    challenge_update(user=user, challenge=challenge, data=settings_of(challenge))
    assert scheduled == []
    later = replace(settings_of(challenge), works_reveal_at=NOW + dt.timedelta(days=2))
    challenge_update(user=user, challenge=challenge, data=later)
    assert [c.pk for c in scheduled] == [challenge.pk]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"requests_required": 3, "requests_allowed": 2},
            "requests_allowed",
            "is more than the number allowed",
        ),
        ({"requests_allowed": 51}, "requests_allowed", "at most 50 allowed"),
        (
            {"requests_required": 0, "requests_allowed": 0},
            "requests_allowed",
            "at least one request",
        ),
        ({"offers_required": 0, "offers_allowed": 0}, "offers_allowed", "needs at least one offer"),
        (
            {"signups_open_at": NOW, "signups_close_at": NOW},
            "signups_close_at",
            "must close after they open",
        ),
        (
            {
                "works_reveal_at": NOW + dt.timedelta(days=2),
                "authors_reveal_at": NOW + dt.timedelta(days=1),
            },
            "authors_reveal_at",
            "Creators cannot be revealed before their works.",
        ),
        ({"authors_reveal_at": NOW}, "works_reveal_at", "Set the works' reveal date too"),
        (
            {
                "signups_close_at": NOW + dt.timedelta(days=2),
                "assignments_due_at": NOW + dt.timedelta(days=1),
            },
            "assignments_due_at",
            "due after sign-ups close",
        ),
        ({"signup_instructions": "x" * 6000}, "signup_instructions", "at most 5,000 characters"),
        (
            {"rules": {"fandom": TagRuleInput(2, 1)}},
            "rules",
            "Fandom tags in requests: the number required (2)",
        ),
        ({"rules": {"fandom": TagRuleInput(0, 51, 0, 1)}}, "rules", "at most 50 allowed"),
        (
            {"rules": {"fandom": TagRuleInput(0, 1, 0, 1, must_match=2)}},
            "rules",
            "must match (2) cannot be more",
        ),
        (
            {"rules": {"fandom": TagRuleInput(0, 1, 0, 0, must_match=1)}},
            "rules",
            "offers must be allowed",
        ),
        ({"rules": {"spaceship": TagRuleInput(0, 1)}}, "rules", "no tag type called spaceship"),
        ({"claims_per_prompt": -1}, "claims_per_prompt", "cannot be negative"),
    ],
)
def test_bad_settings_are_refused_and_change_nothing(user, changes, field, message):
    challenge = challenge_create(user=user, collection=make_collection(user), kind="gift_exchange")
    before = settings_of(challenge)
    with pytest.raises(ValidationError) as caught:
        challenge_update(user=user, challenge=challenge, data=replace(before, **changes))
    assert message in " ".join(caught.value.message_dict[field])
    challenge.refresh_from_db()
    assert settings_of(challenge) == before


def test_a_tag_set_must_be_ones_own(user, other_user):
    challenge = challenge_create(user=user, collection=make_collection(user), kind="prompt_meme")
    theirs = make_tag_set(other_user)
    with pytest.raises(ValidationError, match="only use a tag set you own"):
        challenge_update(
            user=user, challenge=challenge, data=replace(settings_of(challenge), tag_set=theirs)
        )
    challenge.refresh_from_db()
    assert challenge.tag_set is None


def test_the_window_in_words(user):
    challenge = challenge_create(
        user=user,
        collection=make_collection(user),
        kind="prompt_meme",
        data=replace(
            default_settings("prompt_meme"),
            signup_open=True,
            signups_open_at=dt.datetime(2099, 3, 1, 12, 0, tzinfo=dt.UTC),
        ),
    )
    window = signup_window(challenge)
    assert not window.is_open and window.message == "Sign-ups open on 1 March 2099, 12:00 UTC."
    assert make_user("guest") is not None
