"""The scheduled reveals: works on their date (recipients told of their gifts then, not
before), creators on theirs; each once; queued for their dates; the cron command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_tasks_db.models import DBTaskResult

from fanarchive.challenges import assignment_services, matching_services, reveal_services
from fanarchive.challenges.models import Assignment, Challenge, ChallengeKind
from fanarchive.challenges.tests.exchange_makers import Exchange, make_exchange
from fanarchive.challenges.tests.factories import make_challenge
from fanarchive.collections import item_services
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.works.models import Gift, Work
from fanarchive.works.selectors import byline_for

pytestmark = pytest.mark.django_db


def fulfilled(exchange: Exchange, capture) -> Work:
    """Match, send, and alice fulfils her assignment (for bob) with a new work."""
    with capture(execute=True):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    run_due_tasks()
    assignment_services.assignments_send(user=exchange.owner, challenge=exchange.challenge)
    assignment = Assignment.objects.get(recipient=exchange.signups["bob"])
    work = make_work(exchange.users["alice"], title="Lamps Along the Road")
    assignment_services.assignment_fulfil(
        user=exchange.users["alice"], assignment=assignment, work=work
    )
    return work


def gift_notices(user):
    return Notice.objects.filter(recipient=user, kind=NoticeKind.GIFT)


def test_nothing_is_revealed_before_its_date(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    work = fulfilled(exchange, django_capture_on_commit_callbacks)
    challenge = exchange.challenge
    assert challenge.works_reveal_at is not None
    early = challenge.works_reveal_at - dt.timedelta(minutes=1)
    assert reveal_services.reveals_due(now=early) == []
    assert Work.objects.get(pk=work.pk).unrevealed
    assert not gift_notices(exchange.users["bob"]).exists()
    challenge.refresh_from_db()
    assert challenge.works_revealed_at is None


def test_the_works_reveal_tells_recipients_and_the_author_reveal_names_creators(
    django_capture_on_commit_callbacks,
):
    exchange = make_exchange()
    work = fulfilled(exchange, django_capture_on_commit_callbacks)
    challenge = exchange.challenge
    bob = exchange.users["bob"]

    assert challenge.works_reveal_at is not None
    at_works: dt.datetime = challenge.works_reveal_at + dt.timedelta(seconds=1)
    done = reveal_services.reveals_due(now=at_works)
    assert [(r.challenge_id, r.what) for r in done] == [(challenge.pk, "works")]
    work.refresh_from_db()
    assert not work.unrevealed and work.anonymous_by_collection
    assert Work.objects.visible_to(bob).filter(pk=work.pk).exists()
    [notice] = gift_notices(bob)
    assert "Lamps Along the Road" in notice.subject + notice.body
    assert Gift.objects.get(work=work).notified
    assert "gx_alice" not in str(byline_for(work, bob))  # still anonymous
    challenge.refresh_from_db()
    assert challenge.works_revealed_at == at_works and challenge.authors_revealed_at is None

    # Once only: a second run before the author reveal does nothing.
    assert reveal_services.reveals_due(now=at_works + dt.timedelta(hours=1)) == []
    assert gift_notices(bob).count() == 1

    assert challenge.authors_reveal_at is not None
    at_authors = challenge.authors_reveal_at + dt.timedelta(seconds=1)
    done = reveal_services.reveals_due(now=at_authors)
    assert [r.what for r in done] == ["authors"]
    work.refresh_from_db()
    assert not work.anonymous_by_collection
    assert "gx_alice" in str(byline_for(work, bob))
    challenge.refresh_from_db()
    assert challenge.authors_revealed_at == at_authors
    # The recipient learns who wrote their gift, once.
    named = gift_notices(bob).filter(subject__contains="creator of your gift")
    assert named.count() == 1 and "gx_alice" in named.get().body
    assert gift_notices(bob).count() == 2


def test_both_dates_passed_reveal_both_at_once_for_both_kinds():
    owner = make_user("meme_owner")
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    meme = make_challenge(
        owner,
        ChallengeKind.PROMPT_MEME,
        works_reveal_at=past,
        authors_reveal_at=past,
        collection_fields={"unrevealed": True, "anonymous": True},
    )
    done = reveal_services.reveals_due()
    assert {(r.challenge_id, r.what) for r in done} == {
        (meme.pk, "works"),
        (meme.pk, "authors"),
    }
    meme.collection.refresh_from_db()
    assert not meme.collection.unrevealed and not meme.collection.anonymous


def test_a_reveal_by_the_moderators_buttons_is_recorded_and_not_repeated():
    owner = make_user("button_owner")
    future = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    meme = make_challenge(
        owner,
        ChallengeKind.PROMPT_MEME,
        works_reveal_at=future,
        authors_reveal_at=future,
        collection_fields={"unrevealed": True, "anonymous": True},
    )
    item_services.collection_reveal(user=owner, collection=meme.collection)
    item_services.collection_reveal_authors(user=owner, collection=meme.collection)
    meme.refresh_from_db()
    assert meme.works_revealed_at is not None and meme.authors_revealed_at is not None
    assert reveal_services.reveals_due(now=future + dt.timedelta(days=1)) == []


def test_a_challenge_without_dates_is_left_alone():
    exchange = make_exchange(works_reveal_at=None, authors_reveal_at=None)
    far = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)
    assert reveal_services.reveals_due(now=far) == []
    exchange.challenge.collection.refresh_from_db()
    assert exchange.challenge.collection.unrevealed


def test_reveals_are_queued_for_their_dates(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    challenge = exchange.challenge
    with django_capture_on_commit_callbacks(execute=True):
        reveal_services.reveals_schedule(challenge)
    queued = DBTaskResult.objects.filter(task_path__endswith="reveals_due_task")
    assert sorted(r.run_after for r in queued) == [
        challenge.works_reveal_at,
        challenge.authors_reveal_at,
    ]
    # Not due yet: the worker runs nothing, and nothing is revealed.
    assert run_due_tasks() == 0
    challenge.collection.refresh_from_db()
    assert challenge.collection.unrevealed


def test_a_passed_date_is_queued_to_run_now(django_capture_on_commit_callbacks):
    past = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    exchange = make_exchange(works_reveal_at=past, authors_reveal_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        reveal_services.reveals_schedule(exchange.challenge)
    assert run_due_tasks() == 1
    challenge = Challenge.objects.get(pk=exchange.challenge.pk)
    assert challenge.works_revealed_at is not None and challenge.authors_revealed_at is None


def test_the_command_reveals_as_of_its_clock(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    fulfilled(exchange, django_capture_on_commit_callbacks)
    challenge = exchange.challenge
    out = StringIO()
    assert challenge.works_reveal_at is not None
    call_command(
        "challenges-due", now=challenge.works_reveal_at + dt.timedelta(minutes=5), stdout=out
    )
    assert "revealed the works" in out.getvalue() and "1 reveal done" in out.getvalue()
    challenge.refresh_from_db()
    assert challenge.works_revealed_at is not None and challenge.authors_revealed_at is None
    assert gift_notices(exchange.users["bob"]).count() == 1


def test_the_command_reads_an_iso_clock_and_refuses_nonsense():
    out = StringIO()
    call_command("challenges-due", "--now", "2020-01-01T00:00", stdout=out)
    assert "0 reveals done" in out.getvalue()
    with pytest.raises(CommandError, match="--now takes a date"):
        call_command("challenges-due", "--now", "next tuesday")
