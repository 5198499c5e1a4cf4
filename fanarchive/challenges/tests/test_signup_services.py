"""The sign-up services and selectors: every check says which prompt and tag type, and
a refused sign-up changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.challenges.models import Challenge, ChallengeKind, Prompt, PromptTag, SignUp
from fanarchive.challenges.signup_selectors import (
    signup_of,
    signup_summary,
    signups_for_moderators,
)
from fanarchive.challenges.signup_services import PromptInput, signup_save, signup_withdraw
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.collections.models import CollectionParticipant
from fanarchive.core.testing import make_user
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create

pytestmark = pytest.mark.django_db

HARBOUR = PromptInput(tags={"fandom": ["Harbour Tales"]})
LANTERN = PromptInput(tags={"fandom": ["Lantern Road"]})


def _refused(user: User, challenge: Challenge, requests, offers, message: str) -> None:
    before = (SignUp.objects.count(), Prompt.objects.count(), PromptTag.objects.count())
    with pytest.raises(ValidationError) as caught:
        signup_save(user=user, challenge=challenge, requests=requests, offers=offers)
    assert message in " ".join(caught.value.messages)
    assert (SignUp.objects.count(), Prompt.objects.count(), PromptTag.objects.count()) == before


def test_a_sign_up_is_saved_with_its_tags_and_makes_a_member(user, other_user):
    challenge = make_challenge(user)
    signup = signup_save(
        user=other_user,
        challenge=challenge,
        requests=[
            PromptInput(
                title="Storm",
                description="<p>Rain<script>alert(1)</script></p>",
                url="https://example.org/prompt",
                tags={"fandom": ["harbour tales"], "character": ["Mira Vale", "Ada Lark"]},
            )
        ],
        offers=[LANTERN, PromptInput()],  # a spare empty block is dropped
    )
    request = signup.prompts.get(role="request")
    assert request.title == "Storm" and "script" not in request.description
    assert sorted(t.name for t in request.tags.all()) == ["Ada Lark", "Harbour Tales", "Mira Vale"]
    assert signup.prompts.filter(role="offer").count() == 1
    assert CollectionParticipant.objects.filter(
        collection=challenge.collection, pseud__user=other_user, role="member"
    ).exists()


def test_saving_again_replaces_the_prompts_in_place(user, other_user):
    challenge = make_challenge(user, requests_allowed=2)
    first = signup_save(
        user=other_user, challenge=challenge, requests=[HARBOUR, HARBOUR], offers=[LANTERN]
    )
    request_id = first.prompts.get(role="request", position=0).pk
    again = signup_save(user=other_user, challenge=challenge, requests=[LANTERN], offers=[HARBOUR])
    assert again.pk == first.pk and SignUp.objects.count() == 1
    kept = Prompt.objects.get(pk=request_id)
    assert [t.name for t in kept.tags.all()] == ["Lantern Road"]
    assert Prompt.objects.filter(signup=again).count() == 2


@pytest.mark.parametrize(
    ("requests", "offers", "message"),
    [
        (
            [PromptInput(tags={"fandom": ["Moon Base", "Harbour Tales"]})],
            [LANTERN],
            "Request 1: at most 1 Fandom tag allowed; this has 2.",
        ),
        (
            [PromptInput(tags={"fandom": ["Moon Base"]})],
            [LANTERN],
            "not in the challenge's tag set: Moon Base.",
        ),
        (
            [PromptInput(title="No fandom")],
            [LANTERN],
            "Request 1: please give at least 1 Fandom tag; this has 0.",
        ),
        ([HARBOUR], [], "Please give at least 1 offer; you gave 0."),
        ([HARBOUR, HARBOUR], [LANTERN], "You can give at most 1 request; you gave 2."),
        (
            [HARBOUR],
            [PromptInput(tags={"fandom": ["Lantern Road"], "character": ["A", "B", "C"]})],
            "Offer 1: at most 2 Character tags allowed; this has 3.",
        ),
        (
            [PromptInput(tags={"fandom": ["Harbour Tales"], "relationship": ["Mira/Ada"]})],
            [LANTERN],
            "Request 1: Relationship tags are not used in this challenge.",
        ),
        (
            [PromptInput(any_types=["fandom"])],
            [LANTERN],
            'Request 1: "any" is not allowed for Fandom',
        ),
        (
            [PromptInput(tags={"fandom": ["Harbour Tales"]}, url="javascript:alert(1)")],
            [LANTERN],
            "is not a web address",
        ),
        (
            [PromptInput(tags={"fandom": ["Harbour Tales"]}, title="x" * 300)],
            [LANTERN],
            "a title can be at most 255",
        ),
        (
            [PromptInput(tags={"fandom": ["Harbour Tales"]}, description="x" * 6000)],
            [LANTERN],
            "a description can be at most 5,000 characters; this has 6,000.",
        ),
        (
            [PromptInput(tags={"fandom": [f"F{i}" for i in range(10_000)]})],
            [LANTERN],
            "Request 1: at most 1 Fandom tag allowed; this has 10,000.",
        ),
        ([HARBOUR] * 10_000, [LANTERN], "You can give at most 1 request; you gave 10,000."),
        (
            [PromptInput(tags={"fandom": ["Harbour Tales"]}, anonymous=True)],
            [LANTERN],
            "does not take anonymous prompts",
        ),
    ],
)
def test_bad_sign_ups_are_refused_with_a_clear_message(user, other_user, requests, offers, message):
    challenge = make_challenge(user)
    _refused(other_user, challenge, requests, offers, message)


def test_every_problem_is_said_at_once(user, other_user):
    challenge = make_challenge(user)
    with pytest.raises(ValidationError) as caught:
        signup_save(
            user=other_user,
            challenge=challenge,
            requests=[PromptInput(tags={"fandom": ["Moon Base"]})],
            offers=[PromptInput(tags={"fandom": ["Sun Base"]})],
        )
    messages = caught.value.messages
    assert any("Request 1" in m and "Moon Base" in m for m in messages)
    assert any("Offer 1" in m and "Sun Base" in m for m in messages)


def test_the_window_opens_and_closes(user, other_user):
    later = timezone.now() + dt.timedelta(days=3)
    challenge = make_challenge(user, signups_open_at=later)
    _refused(other_user, challenge, [HARBOUR], [LANTERN], "Sign-ups open on")
    challenge.signups_open_at = None
    challenge.signups_close_at = timezone.now() - dt.timedelta(hours=1)
    challenge.save()
    _refused(other_user, challenge, [HARBOUR], [LANTERN], "Sign-ups closed on")
    challenge.signups_close_at = None
    challenge.signup_open = False
    challenge.save()
    _refused(other_user, challenge, [HARBOUR], [LANTERN], "Sign-ups are closed.")


def test_after_close_only_moderators_edit_or_remove(user, other_user):
    challenge = make_challenge(user)
    signup = signup_save(user=other_user, challenge=challenge, requests=[HARBOUR], offers=[LANTERN])
    challenge.signup_open = False
    challenge.save()
    with pytest.raises(ValidationError, match=r"Sign-ups are closed\."):
        signup_withdraw(user=other_user, signup=signup)
    with pytest.raises(ValidationError, match=r"Sign-ups are closed\."):
        signup_save(user=other_user, challenge=challenge, requests=[LANTERN], offers=[LANTERN])
    edited = signup_save(
        user=user, challenge=challenge, requests=[LANTERN], offers=[HARBOUR], signup=signup
    )
    assert edited.user == other_user
    assert [t.name for t in edited.prompts.get(role="request").tags.all()] == ["Lantern Road"]
    signup_withdraw(user=user, signup=signup)
    assert not SignUp.objects.exists()


def test_others_cannot_edit_or_withdraw_a_sign_up(user, other_user):
    challenge = make_challenge(user)
    signup = make_signup(other_user, challenge, requests=[{"fandom": ["Harbour Tales"]}])
    stranger = make_user("stranger")
    with pytest.raises(PermissionDenied):
        signup_withdraw(user=stranger, signup=signup)
    with pytest.raises(PermissionDenied):
        signup_save(
            user=stranger, challenge=challenge, requests=[HARBOUR], offers=[LANTERN], signup=signup
        )
    assert SignUp.objects.filter(pk=signup.pk).exists()


def test_suspended_accounts_cannot_sign_up(user, other_user):
    challenge = make_challenge(user)
    other_user.suspended_permanently = True
    other_user.save()
    with pytest.raises(PermissionDenied, match="suspended"):
        signup_save(user=other_user, challenge=challenge, requests=[HARBOUR], offers=[LANTERN])
    assert not SignUp.objects.exists()


def test_any_where_allowed_and_tags_outside_a_set_where_not_restricted(user, other_user):
    challenge = make_challenge(
        user,
        rules={
            "fandom": {
                "request_required": 1,
                "request_allowed": 1,
                "offer_required": 1,
                "offer_allowed": 1,
                "allow_any": True,
                "must_match": 1,
            },
            "freeform": {"request_allowed": 3, "offer_allowed": 3, "restrict_to_tag_set": False},
        },
    )
    signup = signup_save(
        user=other_user,
        challenge=challenge,
        requests=[PromptInput(any_types=["fandom"], tags={"freeform": ["Brand New Trope"]})],
        offers=[LANTERN],
    )
    request = signup.prompts.get(role="request")
    assert request.any_types == ["fandom"]
    assert Tag.objects.filter(type=TagType.FREEFORM, name="Brand New Trope").exists()
    _refused(
        make_user("third"),
        challenge,
        [PromptInput(any_types=["fandom"], tags={"fandom": ["Harbour Tales"]})],
        [LANTERN],
        'choose either "any" or some Fandom tags',
    )


def test_restricted_without_a_tag_set_takes_only_known_tags(user, other_user):
    challenge = make_challenge(user, tag_set=None)
    tags_find_or_create(tag_type=TagType.FANDOM, names=["Harbour Tales", "Lantern Road"])
    _refused(
        other_user,
        challenge,
        [PromptInput(tags={"fandom": ["Nowhere Known"]})],
        [LANTERN],
        "there are no Fandom tags named Nowhere Known",
    )
    signup_save(user=other_user, challenge=challenge, requests=[HARBOUR], offers=[LANTERN])
    assert not Tag.objects.filter(name="Nowhere Known").exists()


def test_fixed_types_take_the_archives_fixed_tags(user, other_user):
    rating = Tag.objects.filter(type=TagType.RATING).order_by("sort_order").first()
    assert rating is not None
    challenge = make_challenge(
        user,
        rules={
            "fandom": {
                "request_required": 1,
                "request_allowed": 1,
                "offer_required": 1,
                "offer_allowed": 1,
            },
            "rating": {"request_allowed": 1, "offer_allowed": 1, "restrict_to_tag_set": False},
        },
    )
    _refused(
        other_user,
        challenge,
        [PromptInput(tags={"fandom": ["Harbour Tales"], "rating": ["Very Spicy"]})],
        [LANTERN],
        "Very Spicy is not a Rating of this archive.",
    )
    signup = signup_save(
        user=other_user,
        challenge=challenge,
        requests=[PromptInput(tags={"fandom": ["Harbour Tales"], "rating": [rating.name]})],
        offers=[LANTERN],
    )
    assert rating in signup.prompts.get(role="request").tags.all()


def test_a_prompt_meme_takes_anonymous_prompts_and_no_offers(user, other_user):
    challenge = make_challenge(
        user,
        ChallengeKind.PROMPT_MEME,
        requests_allowed=3,
        rules={"fandom": {"request_required": 1, "request_allowed": 1}},
    )
    signup = signup_save(
        user=other_user,
        challenge=challenge,
        requests=[PromptInput(tags={"fandom": ["Harbour Tales"]}, anonymous=True), HARBOUR],
    )
    assert [p.anonymous for p in signup.prompts.order_by("position")] == [True, False]
    _refused(make_user("third"), challenge, [HARBOUR], [LANTERN], "This challenge takes no offers.")
    _refused(
        make_user("fourth"),
        challenge,
        [PromptInput(title="Fog")],
        [],
        "Prompt 1: please give at least 1 Fandom tag",
    )


def test_the_moderators_list_takes_a_fixed_number_of_queries(user):
    challenge = make_challenge(user)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            for signup in signups_for_moderators(challenge):
                for prompt in signup.prompts.all():
                    list(prompt.tags.all())
        return len(queries)

    make_signup(make_user("one"), challenge, requests=[{"fandom": ["Harbour Tales"]}])
    few = count()
    for name in ("two", "three", "four", "five"):
        make_signup(
            make_user(name),
            challenge,
            requests=[{"fandom": ["Harbour Tales"], "character": ["Mira Vale"]}],
            offers=[{"fandom": ["Lantern Road"]}],
        )
    assert count() == few


def test_the_summary_counts_requests_and_offers_per_fandom(user):
    challenge = make_challenge(user)
    make_signup(
        make_user("one"),
        challenge,
        requests=[{"fandom": ["Harbour Tales"]}],
        offers=[{"fandom": ["Lantern Road"]}],
    )
    make_signup(
        make_user("two"),
        challenge,
        requests=[{"fandom": ["Harbour Tales"]}],
        offers=[{"fandom": ["Harbour Tales"]}],
    )
    rows = [(r.tag.name, r.requests, r.offers) for r in signup_summary(challenge)]
    assert rows == [("Harbour Tales", 2, 1), ("Lantern Road", 0, 1)]


def test_signup_of_is_ones_own(user, other_user):
    challenge = make_challenge(user)
    signup = make_signup(other_user, challenge, requests=[{"fandom": ["Harbour Tales"]}])
    assert signup_of(other_user, challenge) == signup
    assert signup_of(user, challenge) is None
