"""The gift exchange after sign-up: generating matches, adjusting the drafts, sending,
defaults, pinch hits, fulfilling with a work, overdue assignments and withdrawals; each
refusal with its message, changing nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from fanarchive.challenges import assignment_selectors, assignment_services, matching_services
from fanarchive.challenges.models import Assignment, MatchRun
from fanarchive.challenges.tests.exchange_makers import (
    CHOIR,
    HARBOUR,
    LANTERN,
    Exchange,
    make_exchange,
    wish,
)
from fanarchive.challenges.tests.factories import make_signup
from fanarchive.collections import services as collection_services
from fanarchive.collections.models import CollectionItem, ParticipantRole
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.works.models import Gift, Work

pytestmark = pytest.mark.django_db


def generate(exchange: Exchange, capture) -> MatchRun:
    """Ask for matching as a moderator, then run the queued task as the worker would."""
    with capture(execute=True):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    assert run_due_tasks() >= 1
    return MatchRun.objects.get(challenge=exchange.challenge)


def drafts(exchange: Exchange) -> dict[str, str]:
    """giver name -> recipient name of the drafts."""
    names = {s.pk: name for name, s in exchange.signups.items()}
    return {
        names[a.giver_id]: names[a.recipient_id]
        for a in Assignment.objects.filter(challenge=exchange.challenge, sent_at=None)
        if a.giver_id is not None
    }


def sent(exchange: Exchange, capture) -> dict[str, Assignment]:
    """Generate and send; recipient name -> their assignment."""
    generate(exchange, capture)
    with capture(execute=True):
        assignment_services.assignments_send(user=exchange.owner, challenge=exchange.challenge)
    assert run_due_tasks() >= 1  # the givers' notices
    names = {s.pk: name for name, s in exchange.signups.items()}
    return {
        names[a.recipient_id]: a
        for a in Assignment.objects.filter(challenge=exchange.challenge).select_related(
            "challenge__collection", "giver__user", "recipient__pseud"
        )
    }


def collection_notices(user, text: str = ""):
    return Notice.objects.filter(recipient=user, kind=NoticeKind.COLLECTION, subject__contains=text)


# -- generating --------------------------------------------------------------------------


def test_generating_stores_the_ring_as_drafts_with_a_report(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    run = generate(exchange, django_capture_on_commit_callbacks)
    assert drafts(exchange) == {"alice": "bob", "bob": "cara", "cara": "alice"}
    assert run.report["state"] == "done"
    assert run.report["pairs"] == 3 and run.report["signups"] == 3
    assert run.report["unmatched_givers"] == [] and run.report["unmatched_recipients"] == []
    first = Assignment.objects.get(giver=exchange.signups["alice"])
    assert first.request is not None and first.offer is not None
    assert first.request.signup == exchange.signups["bob"]
    assert first.offer.signup == exchange.signups["alice"]
    assert first.quality == 1  # one fandom shared


def test_generating_leaves_the_fewest_out_and_says_why_in_words(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange(lonely=True)
    run = generate(exchange, django_capture_on_commit_callbacks)
    assert run.report["pairs"] == 3  # four people, one request nobody offers: 3 at best
    [lonely] = run.report["unmatched_recipients"]
    assert lonely["signup"] == exchange.signups["dan"].pk
    assert any(CHOIR in reason and "No one offers" in reason for reason in lonely["reasons"])
    [idle] = run.report["unmatched_givers"]
    assert idle["reasons"] and idle["signup"] in {
        exchange.signups["cara"].pk,
        exchange.signups["dan"].pk,
    }


def test_a_request_for_generation_shows_as_running_until_the_worker_runs_it(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    with django_capture_on_commit_callbacks(execute=True):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    assert assignment_selectors.matching_running(exchange.challenge)
    with pytest.raises(ValidationError, match="already running"):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    run_due_tasks()
    assert not assignment_selectors.matching_running(exchange.challenge)
    assert len(drafts(exchange)) == 3


def test_generating_again_replaces_the_drafts(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    assignment_services.draft_clear(
        user=exchange.owner, assignment=Assignment.objects.filter(sent_at=None)[0]
    )
    generate(exchange, django_capture_on_commit_callbacks)
    assert Assignment.objects.filter(challenge=exchange.challenge).count() == 3


def test_generating_while_sign_ups_are_open_is_refused_and_changes_nothing():
    exchange = make_exchange(signup_open=True)
    with pytest.raises(ValidationError, match="Sign-ups are still open"):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    assert not MatchRun.objects.exists() and not Assignment.objects.exists()


def test_only_moderators_generate_matches():
    exchange = make_exchange()
    with pytest.raises(PermissionDenied, match="Only the moderators"):
        matching_services.matches_generate(
            user=exchange.users["alice"], challenge=exchange.challenge
        )
    assert not MatchRun.objects.exists()


def test_generating_after_sending_is_refused(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    sent(exchange, django_capture_on_commit_callbacks)
    exchange.challenge.refresh_from_db()
    with pytest.raises(ValidationError, match="already sent"):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    assert Assignment.objects.filter(sent_at__isnull=False).count() == 3


# -- adjusting ----------------------------------------------------------------------------


def test_a_moderator_sets_a_recipient_the_rules_allow(django_capture_on_commit_callbacks):
    exchange = make_exchange(lonely=True)
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    # Both cara and dan offer Harbour Tales, which alice requests.
    before_giver_of_alice = Assignment.objects.get(recipient=s["alice"]).giver_id
    other = s["dan"] if before_giver_of_alice == s["cara"].pk else s["cara"]
    assignment_services.draft_recipient_set(user=exchange.owner, giver=other, recipient=s["alice"])
    assert Assignment.objects.get(recipient=s["alice"]).giver == other
    assert not Assignment.objects.filter(giver_id=before_giver_of_alice).exists()


def test_a_pair_the_rules_refuse_needs_forcing(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    before = drafts(exchange)
    with pytest.raises(ValidationError, match="Assign anyway"):
        assignment_services.draft_recipient_set(
            user=exchange.owner, giver=s["bob"], recipient=s["alice"]
        )
    assert drafts(exchange) == before
    forced = assignment_services.draft_recipient_set(
        user=exchange.owner, giver=s["bob"], recipient=s["alice"], force=True
    )
    assert forced.request is not None
    assert forced.quality == 0 and forced.request.signup == s["alice"]
    assert drafts(exchange) == {"alice": "bob", "bob": "alice"}


def test_nobody_is_assigned_to_themselves_even_by_force(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    before = drafts(exchange)
    alice = exchange.signups["alice"]
    with pytest.raises(ValidationError, match="cannot write for themselves"):
        assignment_services.draft_recipient_set(
            user=exchange.owner, giver=alice, recipient=alice, force=True
        )
    assert drafts(exchange) == before


def test_swapping_two_drafts(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    challenge = exchange.challenge
    # A second pair who each want what the other offers, like alice and bob's fandoms.
    for name, (request, offer) in {"dora": (LANTERN, HARBOUR), "eli": (HARBOUR, LANTERN)}.items():
        user = make_user(f"gx_{name}")
        exchange.users[name] = user
        exchange.signups[name] = make_signup(
            user, challenge, requests=[wish(request)], offers=[wish(offer)]
        )
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    first = Assignment.objects.get(giver=s["alice"])
    recipient_of_first = first.recipient_id
    second = Assignment.objects.get(giver=s["eli"])
    recipient_of_second = second.recipient_id
    one, other = assignment_services.draft_swap(user=exchange.owner, first=first, second=second)
    assert (one.giver, one.recipient_id) == (s["alice"], recipient_of_second)
    assert (other.giver, other.recipient_id) == (s["eli"], recipient_of_first)
    assert Assignment.objects.filter(challenge=challenge).count() == 5


def test_a_swap_that_would_have_someone_write_for_themselves_is_refused(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    first = Assignment.objects.get(giver=s["alice"])  # alice -> bob
    second = Assignment.objects.get(giver=s["bob"])  # bob -> cara: bob would get bob
    with pytest.raises(ValidationError, match="cannot write for themselves"):
        assignment_services.draft_swap(user=exchange.owner, first=first, second=second, force=True)
    assert drafts(exchange) == {"alice": "bob", "bob": "cara", "cara": "alice"}


def test_clearing_a_draft_and_creating_one_for_a_pinch_hitter(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    assignment_services.draft_clear(
        user=exchange.owner, assignment=Assignment.objects.get(recipient=s["bob"])
    )
    review = assignment_selectors.draft_review(exchange.challenge)
    assert [u.signup for u in review.without_giver] == [s["bob"]]
    assert [u.signup for u in review.without_recipient] == [s["alice"]]
    created = assignment_services.assignment_for_pinch_hitter(
        user=exchange.owner, recipient=s["bob"]
    )
    assert created.giver is None and created.sent_at is None
    assert created.request is not None and created.request.signup == s["bob"]
    with pytest.raises(ValidationError, match="already writes for"):
        assignment_services.assignment_for_pinch_hitter(user=exchange.owner, recipient=s["bob"])
    assert Assignment.objects.filter(recipient=s["bob"]).count() == 1


def test_only_moderators_adjust(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    with pytest.raises(PermissionDenied):
        assignment_services.draft_recipient_set(
            user=exchange.users["bob"], giver=s["bob"], recipient=s["alice"], force=True
        )
    assert drafts(exchange) == {"alice": "bob", "bob": "cara", "cara": "alice"}


# -- sending --------------------------------------------------------------------------


def test_sending_tells_each_giver_the_request_and_the_due_date(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    assert all(a.sent_at is not None for a in assignments.values())
    exchange.challenge.refresh_from_db()
    assert exchange.challenge.assignments_sent_at is not None
    [notice] = collection_notices(exchange.users["alice"], "Your assignment")
    assert "gx_bob" in notice.body  # alice writes for bob
    assert "Harbour Tales" not in notice.body and "Lantern Road" in notice.body
    assert "It is due on" in notice.body
    assert notice.url == assignment_services.assignment_url(assignments["bob"])
    # Recipients learn nothing of who writes for them.
    assert "gx_alice" not in "".join(
        n.body for n in Notice.objects.filter(recipient=exchange.users["bob"])
    )


def test_the_givers_notices_are_sent_once_however_often_the_task_runs(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    sent(exchange, django_capture_on_commit_callbacks)
    assert assignment_services.assignments_sent_notify(exchange.challenge) == 0
    for user in (exchange.users[name] for name in ("alice", "bob", "cara")):
        assert collection_notices(user, "Your assignment").count() == 1


def test_a_moderator_who_takes_part_is_told_of_their_own_assignment(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    alice = exchange.users["alice"]
    collection_services.collection_participant_add(
        user=exchange.owner,
        collection=exchange.challenge.collection,
        pseud=alice.default_pseud,
        role=ParticipantRole.MODERATOR,
    )
    exchange.owner = alice  # alice generates and sends, and writes for bob
    sent(exchange, django_capture_on_commit_callbacks)
    assert collection_notices(exchange.users["alice"], "Your assignment").count() == 1


def test_sending_twice_is_refused_and_tells_nobody_again(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    sent(exchange, django_capture_on_commit_callbacks)
    exchange.challenge.refresh_from_db()
    count = Notice.objects.count()
    with pytest.raises(ValidationError, match="already sent"):
        assignment_services.assignments_send(user=exchange.owner, challenge=exchange.challenge)
    assert Notice.objects.count() == count


def test_sending_nothing_is_refused():
    exchange = make_exchange()
    with pytest.raises(ValidationError, match="generate matches first"):
        assignment_services.assignments_send(user=exchange.owner, challenge=exchange.challenge)
    exchange.challenge.refresh_from_db()
    assert exchange.challenge.assignments_sent_at is None


def test_drafts_cannot_change_after_sending(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    with pytest.raises(ValidationError, match="already sent"):
        assignment_services.draft_recipient_set(
            user=exchange.owner, giver=s["bob"], recipient=s["alice"], force=True
        )
    assert Assignment.objects.get(pk=assignments["alice"].pk).giver == s["cara"]


# -- defaults and pinch hits ---------------------------------------------------------


def test_the_giver_defaults_and_the_moderators_are_told(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]  # bob writes
    assignment_services.assignment_default(user=exchange.users["bob"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.defaulted_at is not None
    assert assignment_selectors.needs_pinch_hitter(assignment)
    [notice] = collection_notices(exchange.owner, "was defaulted")
    assert "gx_bob" in notice.body and "pinch hitter" in notice.body


def test_someone_else_cannot_default_an_assignment(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]
    with pytest.raises(PermissionDenied):
        assignment_services.assignment_default(user=exchange.users["cara"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.defaulted_at is None


def test_a_moderator_marks_a_default_and_assigns_a_pinch_hitter(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]
    hitter = make_user("gx_hitter")
    with pytest.raises(ValidationError, match="still has a writer"):
        assignment_services.assignment_pinch_hit(
            user=exchange.owner, assignment=assignment, pinch_hitter=hitter
        )
    assignment_services.assignment_default(user=exchange.owner, assignment=assignment)
    with pytest.raises(ValidationError, match="already defaulted"):
        assignment_services.assignment_default(user=exchange.owner, assignment=assignment)
    assignment_services.assignment_pinch_hit(
        user=exchange.owner, assignment=assignment, pinch_hitter=hitter
    )
    assignment.refresh_from_db()
    assert assignment.pinch_hitter == hitter and assignment.pinch_hit_at is not None
    assert assignment_selectors.current_writer(assignment) == hitter
    [notice] = collection_notices(hitter, "pinch-hit assignment")
    assert "gx_cara" in notice.body and "The Clockmakers" in notice.body
    assert list(assignment_selectors.assignments_of(hitter)) == [assignment]
    assert assignment not in assignment_selectors.assignments_of(exchange.users["bob"])


def test_the_recipient_cannot_pinch_hit_their_own_gift(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]
    assignment_services.assignment_default(user=exchange.owner, assignment=assignment)
    with pytest.raises(ValidationError, match="is the recipient"):
        assignment_services.assignment_pinch_hit(
            user=exchange.owner, assignment=assignment, pinch_hitter=exchange.users["cara"]
        )
    assignment.refresh_from_db()
    assert assignment.pinch_hitter is None


def test_only_moderators_assign_pinch_hitters(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]
    assignment_services.assignment_default(user=exchange.users["bob"], assignment=assignment)
    with pytest.raises(PermissionDenied):
        assignment_services.assignment_pinch_hit(
            user=exchange.users["alice"],
            assignment=assignment,
            pinch_hitter=exchange.users["alice"],
        )
    assignment.refresh_from_db()
    assert assignment.pinch_hitter is None


def test_a_pinch_hitter_who_defaults_frees_it_for_another(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["cara"]
    assignment_services.assignment_default(user=exchange.users["bob"], assignment=assignment)
    hitter = make_user("gx_hitter")
    assignment_services.assignment_pinch_hit(
        user=exchange.owner, assignment=assignment, pinch_hitter=hitter
    )
    assignment_services.assignment_default(user=hitter, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.pinch_hitter is None and assignment_selectors.needs_pinch_hitter(assignment)


# -- fulfilling ---------------------------------------------------------------------------


def test_fulfilling_adds_the_work_to_the_collection_as_a_gift_told_only_at_the_reveal(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["bob"]  # alice writes
    work = make_work(exchange.users["alice"], title="Lanterns on the Road")
    assignment_services.assignment_fulfil(
        user=exchange.users["alice"], assignment=assignment, work=work
    )
    assignment.refresh_from_db()
    assert assignment.work == work and assignment.fulfilled_at is not None
    collection = exchange.challenge.collection
    assert CollectionItem.objects.filter(collection=collection, work=work).exists()
    gift = Gift.objects.get(work=work)
    assert gift.pseud == exchange.signups["bob"].pseud and not gift.notified
    assert Work.objects.get(pk=work.pk).unrevealed
    bob = exchange.users["bob"]
    assert not Notice.objects.filter(recipient=bob, kind=NoticeKind.GIFT).exists()
    assert not Work.objects.visible_to(bob).filter(pk=work.pk).exists()
    assert assignment_selectors.status_of(assignment) == "Fulfilled"


def test_fulfilling_keeps_the_works_other_gifts(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["bob"]
    work = make_work(exchange.users["alice"], title="Two Lanterns")
    Gift.objects.create(work=work, recipient_name="A friend offline", position=0)
    assignment_services.assignment_fulfil(
        user=exchange.users["alice"], assignment=assignment, work=work
    )
    names = {(g.pseud_id, g.recipient_name) for g in Gift.objects.filter(work=work)}
    assert names == {(None, "A friend offline"), (exchange.signups["bob"].pseud_id, "")}


def test_fulfilling_with_someone_elses_work_is_refused(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["bob"]
    other = make_work(exchange.users["cara"], title="Not Alice's")
    with pytest.raises(ValidationError, match="your own work"):
        assignment_services.assignment_fulfil(
            user=exchange.users["alice"], assignment=assignment, work=other
        )
    assignment.refresh_from_db()
    assert assignment.work is None
    assert not CollectionItem.objects.filter(work=other).exists()
    assert not Gift.objects.filter(work=other).exists()


def test_fulfilling_with_a_draft_is_refused(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["bob"]
    draft = make_work(exchange.users["alice"], title="Unfinished", post=False)
    with pytest.raises(ValidationError, match="Post the work first"):
        assignment_services.assignment_fulfil(
            user=exchange.users["alice"], assignment=assignment, work=draft
        )
    assignment.refresh_from_db()
    assert assignment.fulfilled_at is None


def test_only_the_writer_fulfils(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(exchange, django_capture_on_commit_callbacks)["bob"]
    work = make_work(exchange.users["cara"], title="Cara's")
    with pytest.raises(PermissionDenied, match="Only the writer"):
        assignment_services.assignment_fulfil(
            user=exchange.users["cara"], assignment=assignment, work=work
        )
    assignment.refresh_from_db()
    assert assignment.work is None


def test_a_work_fulfils_one_assignment_only(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    work = make_work(exchange.users["alice"], title="Once Only")
    assignment_services.assignment_fulfil(
        user=exchange.users["alice"], assignment=assignments["bob"], work=work
    )
    with pytest.raises(ValidationError, match="already fulfilled"):
        assignment_services.assignment_fulfil(
            user=exchange.users["alice"], assignment=assignments["bob"], work=work
        )


# -- overdue, withdrawal --------------------------------------------------------------


def test_overdue_lists_sent_unfulfilled_assignments_past_the_due_date(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    work = make_work(exchange.users["alice"], title="On Time")
    assignment_services.assignment_fulfil(
        user=exchange.users["alice"], assignment=assignments["bob"], work=work
    )
    challenge = exchange.challenge
    challenge.refresh_from_db()
    assert assignment_selectors.overdue_assignments(challenge) == []
    assert challenge.assignments_due_at is not None
    later = challenge.assignments_due_at + dt.timedelta(hours=1)
    overdue = assignment_selectors.overdue_assignments(challenge, now=later)
    assert {a.pk for a in overdue} == {assignments["cara"].pk, assignments["alice"].pk}
    assert assignment_selectors.status_of(overdue[0], later) == "Overdue"


def test_a_withdrawal_removes_drafts(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    generate(exchange, django_capture_on_commit_callbacks)
    bob = exchange.signups["bob"]
    assignment_services.assignments_signup_withdrawn(bob)
    bob.delete()
    assert drafts(exchange) == {"cara": "alice"}


def test_a_giver_who_withdraws_after_sending_leaves_it_for_a_pinch_hitter(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    bob = exchange.signups["bob"]
    assignment_services.assignments_signup_withdrawn(bob)
    bob.delete()
    left = Assignment.objects.get(pk=assignments["cara"].pk)  # bob wrote for cara
    assert left.giver is None and left.giver_withdrew_at is not None
    assert assignment_selectors.status_of(left) == "Giver withdrew: needs a pinch hitter"
    assert assignment_selectors.needs_pinch_hitter(left)
    # Alice wrote for bob: her assignment goes, and she is told.
    assert not Assignment.objects.filter(pk=assignments["bob"].pk).exists()
    assert collection_notices(exchange.users["alice"], "is cancelled").count() == 1


def test_time_is_checked_against_the_due_date():
    exchange = make_exchange(assignments_due_at=timezone.now() - dt.timedelta(days=1))
    assignment = Assignment.objects.create(
        challenge=exchange.challenge,
        giver=exchange.signups["alice"],
        recipient=exchange.signups["bob"],
        sent_at=timezone.now() - dt.timedelta(days=3),
    )
    assert assignment_selectors.is_overdue(assignment)
    assert assignment_selectors.status_of(assignment) == "Overdue"
