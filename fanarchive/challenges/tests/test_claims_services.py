"""The claim services: claiming a prompt, dropping a claim, filling it with a work; each
refusal with its message, changing nothing."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.accounts.models import Preference
from fanarchive.challenges import claim_services
from fanarchive.challenges.models import Claim
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.challenges.tests.prompt_makers import make_meme, post_prompt
from fanarchive.collections import item_services
from fanarchive.collections.models import CollectionItem
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.tags.models import TagType
from fanarchive.works.models import Gift, Work

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod():
    return make_user("meme_mod")


@pytest.fixture
def prompter():
    return make_user("prompt_poster")


@pytest.fixture
def writer():
    return make_user("fill_writer")


def _fill_notices(user):
    return Notice.objects.filter(
        recipient=user, kind=NoticeKind.COLLECTION, subject__contains="was filled"
    )


# -- claiming --------------------------------------------------------------------------


def test_claiming_records_the_claim_under_the_default_pseud(mod, prompter, writer):
    meme = make_meme(mod)
    prompt = post_prompt(prompter, meme, title="Lighthouse at dusk")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    assert claim.prompt == prompt and claim.challenge == meme
    assert claim.pseud == writer.default_pseud and claim.work is None


def test_a_prompter_may_claim_their_own_prompt(mod, prompter):
    prompt = post_prompt(prompter, make_meme(mod), title="Own idea")
    claim_services.prompt_claim(user=prompter, prompt=prompt)
    assert Claim.objects.filter(prompt=prompt, user=prompter).count() == 1


def test_claiming_twice_is_refused_and_changes_nothing(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Twice")
    claim_services.prompt_claim(user=writer, prompt=prompt)
    with pytest.raises(ValidationError, match=re.escape("You have already claimed this prompt.")):
        claim_services.prompt_claim(user=writer, prompt=prompt)
    assert Claim.objects.filter(prompt=prompt).count() == 1


@pytest.mark.parametrize(("limit", "noun"), [(1, "claim"), (2, "claims")])
def test_a_prompt_at_its_limit_refuses_more_claims(mod, prompter, limit, noun):
    prompt = post_prompt(prompter, make_meme(mod, claims_per_prompt=limit), title="Popular")
    for number in range(limit):
        claim_services.prompt_claim(user=make_user(f"early_{number}"), prompt=prompt)
    late = make_user("late_writer")
    with pytest.raises(ValidationError) as raised:
        claim_services.prompt_claim(user=late, prompt=prompt)
    assert raised.value.messages == [f"This prompt has reached its limit of {limit} {noun}."]
    assert Claim.objects.filter(prompt=prompt).count() == limit
    assert not Claim.objects.filter(user=late).exists()


def test_no_claims_while_claims_are_closed(mod, prompter, writer):
    meme = make_meme(mod, claims_open=False)
    prompt = post_prompt(prompter, meme, title="Closed")
    with pytest.raises(
        ValidationError, match=re.escape(f"Claims are closed in {meme.collection.title}.")
    ):
        claim_services.prompt_claim(user=writer, prompt=prompt)
    assert not Claim.objects.exists()


def test_guests_and_suspended_accounts_cannot_claim(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Guarded")
    with pytest.raises(PermissionDenied, match=re.escape("Please log in to claim a prompt.")):
        claim_services.prompt_claim(user=AnonymousUser(), prompt=prompt)  # type: ignore[arg-type]
    writer.suspended_permanently = True
    writer.save(update_fields=["suspended_permanently"])
    with pytest.raises(
        PermissionDenied, match=re.escape("A suspended account cannot claim a prompt.")
    ):
        claim_services.prompt_claim(user=writer, prompt=prompt)
    assert not Claim.objects.exists()


def test_a_gift_exchange_request_cannot_be_claimed(mod, prompter, writer):
    exchange = make_challenge(mod)
    signup = make_signup(
        prompter, exchange, requests=[{TagType.FANDOM: ["Harbour Tales"]}], offers=[]
    )
    with pytest.raises(
        ValidationError, match=re.escape("Only a prompt meme's prompts can be claimed.")
    ):
        claim_services.prompt_claim(user=writer, prompt=signup.prompts.get())
    assert not Claim.objects.exists()


# -- dropping --------------------------------------------------------------------------


def test_the_claimant_drops_an_unfilled_claim(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Dropped")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    claim_services.claim_drop(user=writer, claim=claim)
    assert not Claim.objects.exists()
    with pytest.raises(ValidationError, match=re.escape("This claim was already dropped.")):
        claim_services.claim_drop(user=writer, claim=claim)


def test_others_cannot_drop_a_claim_and_a_filled_one_stays(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Kept")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    with pytest.raises(PermissionDenied, match="Only the writer who claimed this prompt"):
        claim_services.claim_drop(user=prompter, claim=claim)
    claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer))
    with pytest.raises(
        ValidationError, match=re.escape("This claim is filled, so it cannot be dropped.")
    ):
        claim_services.claim_drop(user=writer, claim=claim)
    assert Claim.objects.filter(pk=claim.pk, work__isnull=False).exists()


def test_a_moderator_removes_a_claim_and_the_claimant_is_told(mod, prompter, writer):
    meme = make_meme(mod)
    prompt = post_prompt(prompter, meme, title="Removed")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    claim_services.claim_drop(user=mod, claim=claim)
    assert not Claim.objects.exists()
    notice = Notice.objects.get(recipient=writer, kind=NoticeKind.COLLECTION)
    assert notice.subject == f"Your claim in {meme.collection.title} was removed"
    assert notice.url == f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"


# -- filling ---------------------------------------------------------------------------


def test_a_fill_joins_the_collection_is_a_gift_and_tells_the_prompter(mod, prompter, writer):
    meme = make_meme(mod)
    prompt = post_prompt(prompter, meme, title="Harbour storm")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer, title="After the Storm")
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    claim.refresh_from_db()
    assert claim.work == work and claim.filled_at is not None
    assert CollectionItem.objects.filter(collection=meme.collection, work=work).exists()
    assert list(work.gifts.values_list("pseud", flat=True)) == [prompter.default_pseud.pk]
    assert Notice.objects.filter(recipient=prompter, kind=NoticeKind.GIFT, work=work).exists()
    notice = _fill_notices(prompter).get()
    assert notice.work == work and "After the Storm" in notice.body
    assert writer.username not in notice.body


def test_a_fill_of_an_anonymous_prompt_is_no_gift_but_the_prompter_is_told(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Secret wish", anonymous=True)
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer)
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert not work.gifts.exists()
    assert _fill_notices(prompter).count() == 1


def test_a_fill_keeps_the_works_other_gifts(mod, prompter, writer):
    friend = make_user("old_friend")
    prompt = post_prompt(prompter, make_meme(mod), title="Two gifts")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer)
    Gift.objects.create(work=work, pseud=friend.default_pseud, position=0, notified=True)
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert set(work.gifts.values_list("pseud", flat=True)) == {
        friend.default_pseud.pk,
        prompter.default_pseud.pk,
    }


def test_a_prompter_who_refuses_gifts_gets_no_gift_but_the_fill_stands(mod, prompter, writer):
    Preference.objects.update_or_create(user=prompter, defaults={"refuse_gifts": True})
    prompt = post_prompt(prompter, make_meme(mod), title="No gifts please")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer)
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert not work.gifts.exists()
    assert Claim.objects.get(pk=claim.pk).work == work


def test_filling_ones_own_prompt_makes_no_gift_to_oneself(mod, prompter):
    prompt = post_prompt(prompter, make_meme(mod), title="Self")
    claim = claim_services.prompt_claim(user=prompter, prompt=prompt)
    work = make_work(prompter)
    claim_services.claim_fill(user=prompter, claim=claim, work=work)
    assert not work.gifts.exists() and Claim.objects.get(pk=claim.pk).work == work


def test_a_work_already_in_the_collection_fills_the_claim(mod, prompter, writer):
    meme = make_meme(mod)
    prompt = post_prompt(prompter, meme, title="Already in")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer)
    item_services.collection_item_add(user=writer, collection=meme.collection, work=work)
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert CollectionItem.objects.filter(work=work).count() == 1
    assert Claim.objects.get(pk=claim.pk).work == work


def _assert_unfilled(claim: Claim, work: Work) -> None:
    claim.refresh_from_db()
    assert claim.work is None and claim.filled_at is None
    assert not CollectionItem.objects.filter(work=work).exists()
    assert not work.gifts.exists()
    assert not Notice.objects.filter(work=work).exists()


def test_filling_with_someone_elses_work_is_refused(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Theirs")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    stranger_work = make_work(make_user("stranger"))
    with pytest.raises(ValidationError) as raised:
        claim_services.claim_fill(user=writer, claim=claim, work=stranger_work)
    assert raised.value.message_dict == {
        "work": ["You can only fill a claim with a work of your own."]
    }
    _assert_unfilled(claim, stranger_work)


def test_filling_with_a_draft_is_refused(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Draft")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    draft = make_work(writer, post=False)
    with pytest.raises(ValidationError, match="a draft cannot fill a claim"):
        claim_services.claim_fill(user=writer, claim=claim, work=draft)
    _assert_unfilled(claim, draft)


def test_filling_someone_elses_claim_is_refused(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Not yours")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(prompter)
    with pytest.raises(PermissionDenied, match="Only the writer who claimed this prompt"):
        claim_services.claim_fill(user=prompter, claim=claim, work=work)
    _assert_unfilled(claim, work)


def test_filling_a_dropped_claim_is_refused(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Gone")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    claim_services.claim_drop(user=writer, claim=claim)
    work = make_work(writer)
    with pytest.raises(ValidationError, match="This claim was dropped, so it cannot be filled"):
        claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert not Claim.objects.exists()
    assert not CollectionItem.objects.filter(work=work).exists()


def test_filling_a_filled_claim_again_is_refused(mod, prompter, writer):
    prompt = post_prompt(prompter, make_meme(mod), title="Once")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    first = make_work(writer, title="First Fill")
    claim_services.claim_fill(user=writer, claim=claim, work=first)
    second = make_work(writer)
    with pytest.raises(
        ValidationError, match=re.escape("This claim is already filled by First Fill.")
    ):
        claim_services.claim_fill(user=writer, claim=claim, work=second)
    assert Claim.objects.get(pk=claim.pk).work == first
    assert not CollectionItem.objects.filter(work=second).exists()


def test_a_closed_collection_refuses_the_fill_with_its_message(mod, prompter, writer):
    meme = make_meme(mod)
    prompt = post_prompt(prompter, meme, title="Closed doors")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    meme.collection.closed = True
    meme.collection.save(update_fields=["closed"])
    work = make_work(writer)
    with pytest.raises(
        ValidationError,
        match=re.escape(f"{meme.collection.title} is closed: no new works can be added."),
    ):
        claim_services.claim_fill(user=writer, claim=claim, work=work)
    _assert_unfilled(claim, work)


def test_an_unrevealed_fill_tells_the_prompter_only_at_the_reveal(mod, prompter, writer):
    meme = make_meme(mod, collection_fields={"unrevealed": True})
    plain = post_prompt(prompter, meme, title="Plain")
    hidden_prompter = make_user("quiet_prompter")
    secret = post_prompt(hidden_prompter, meme, title="Hushed", anonymous=True)
    plain_work, secret_work = make_work(writer), make_work(writer)
    for prompt, work in ((plain, plain_work), (secret, secret_work)):
        claim = claim_services.prompt_claim(user=writer, prompt=prompt)
        claim_services.claim_fill(user=writer, claim=claim, work=work)
    assert not Notice.objects.filter(recipient__in=[prompter, hidden_prompter]).exists()
    # The moderators' reveal button: the gift's notice comes from the collection's reveal,
    # the fill's from the challenges' reveal listener.
    item_services.collection_reveal(user=mod, collection=meme.collection)
    assert Notice.objects.filter(recipient=prompter, kind=NoticeKind.GIFT).count() == 1
    assert _fill_notices(prompter).count() == 1
    assert _fill_notices(hidden_prompter).count() == 1
    assert not Notice.objects.filter(recipient=hidden_prompter, kind=NoticeKind.GIFT).exists()
