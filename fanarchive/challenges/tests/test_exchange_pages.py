"""The gift exchange's pages through the test client: the moderators' matching and
assignments pages, an assignment's page, one's own dashboard; who may see each, and
bad input shown with its message, changing nothing."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from fanarchive.challenges.models import Assignment, MatchRun
from fanarchive.challenges.tests.exchange_makers import CHOIR, Exchange, make_exchange
from fanarchive.collections.models import CollectionItem
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.works.models import Gift

pytestmark = pytest.mark.django_db


def url(exchange: Exchange, name: str, *args: object) -> str:
    return reverse(f"challenges:{name}", args=[exchange.challenge.collection.name, *args])


def as_user(client, user):
    client.force_login(user)
    return client


def generated(client, exchange: Exchange, capture) -> None:
    as_user(client, exchange.owner)
    with capture(execute=True):
        response = client.post(url(exchange, "exchange_generate"), follow=True)
    assert "Matching is running" in response.content.decode()
    run_due_tasks()


def sent(client, exchange: Exchange, capture) -> dict[str, Assignment]:
    generated(client, exchange, capture)
    with capture(execute=True):
        response = client.post(url(exchange, "exchange_send"), follow=True)
    assert "3 assignments sent" in response.content.decode()
    run_due_tasks()
    names = {s.pk: n for n, s in exchange.signups.items()}
    return {names[a.recipient_id]: a for a in Assignment.objects.all()}


# -- matching page ----------------------------------------------------------------------


def test_the_matching_page_generates_and_shows_pairs_and_who_is_left_out(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange(lonely=True)
    as_user(client, exchange.owner)
    page = client.get(url(exchange, "exchange_matching")).content.decode()
    assert "Generate matches" in page and "Potential assignments" not in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url(exchange, "exchange_generate"))
    running = client.get(url(exchange, "exchange_matching")).content.decode()
    assert "Matching is running" in running
    run_due_tasks()
    page = client.get(url(exchange, "exchange_matching")).content.decode()
    assert "Potential assignments (3)" in page
    assert "3 of 4 participants matched" in page
    assert "Nobody writes for" in page and "gx_dan" in page
    assert f"No one offers anything that satisfies request 1 of gx_dan (fandom: {CHOIR})" in page
    assert "Lantern Road" in page  # a request's and an offer's tags
    assert "Send assignments" in page


def test_generating_while_sign_ups_are_open_shows_why(client):
    exchange = make_exchange(signup_open=True)
    as_user(client, exchange.owner)
    page = client.get(url(exchange, "exchange_matching")).content.decode()
    assert "Close sign-ups before generating matches" in page
    response = client.post(url(exchange, "exchange_generate"), follow=True)
    assert "Sign-ups are still open" in response.content.decode()
    assert not MatchRun.objects.exists()


@pytest.mark.parametrize(
    "name", ["exchange_matching", "exchange_assignments"], ids=["matching", "assignments"]
)
def test_moderator_pages_refuse_participants_and_send_guests_to_log_in(client, name):
    exchange = make_exchange()
    assert client.get(url(exchange, name)).status_code == 302
    as_user(client, exchange.users["alice"])
    assert client.get(url(exchange, name)).status_code == 403


def test_participants_cannot_generate_or_send(client):
    exchange = make_exchange()
    as_user(client, exchange.users["alice"])
    assert client.post(url(exchange, "exchange_generate")).status_code == 403
    assert client.post(url(exchange, "exchange_send")).status_code == 403
    assert not MatchRun.objects.exists()


def test_a_page_for_a_collection_without_an_exchange_is_404(client):
    owner = make_user("plain_owner")
    as_user(client, owner)
    assert client.get("/collections/no_such_thing/matching/").status_code == 404


def test_setting_a_recipient_the_rules_refuse_shows_the_message_then_forcing_works(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    generated(client, exchange, django_capture_on_commit_callbacks)
    s = exchange.signups
    data = {"giver": s["bob"].pk, "recipient": s["alice"].pk}
    response = client.post(url(exchange, "exchange_adjust"), data)
    assert response.status_code == 400
    assert "Assign anyway" in response.content.decode()
    assert "The assignment was not changed" in response.content.decode()
    assert Assignment.objects.get(giver=s["bob"]).recipient == s["cara"]
    response = client.post(url(exchange, "exchange_adjust"), {**data, "force": "on"}, follow=True)
    assert "gx_bob now writes for gx_alice" in response.content.decode()
    assert Assignment.objects.get(giver=s["bob"]).recipient == s["alice"]


def test_removing_a_draft_and_creating_one_for_a_pinch_hitter(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    generated(client, exchange, django_capture_on_commit_callbacks)
    draft = Assignment.objects.get(recipient=exchange.signups["bob"])
    response = client.post(url(exchange, "exchange_clear", draft.pk), follow=True)
    assert "The assignment for gx_bob was removed" in response.content.decode()
    assert "Changed by hand since matching." in response.content.decode()
    client.post(url(exchange, "exchange_for_pinch_hitter", exchange.signups["bob"].pk))
    created = Assignment.objects.get(recipient=exchange.signups["bob"])
    assert created.giver is None


def test_sending_twice_shows_the_refusal(client, django_capture_on_commit_callbacks):
    exchange = make_exchange()
    sent(client, exchange, django_capture_on_commit_callbacks)
    notices = Notice.objects.count()
    response = client.post(url(exchange, "exchange_send"), follow=True)
    assert "The assignments were already sent" in response.content.decode()
    assert Notice.objects.count() == notices


# -- assignments (moderators) ---------------------------------------------------------


def test_the_moderators_mark_a_default_and_assign_a_pinch_hitter(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    assignment = sent(client, exchange, django_capture_on_commit_callbacks)["cara"]
    page = client.get(url(exchange, "exchange_assignments")).content.decode()
    assert page.count("Mark defaulted") == 3
    client.post(url(exchange, "assignment_default", assignment.pk))
    page = client.get(url(exchange, "exchange_assignments")).content.decode()
    assert "Defaulted: needs a pinch hitter" in page and "Assign pinch hitter" in page
    assert "1 needs a pinch hitter" in page
    needing = client.get(url(exchange, "exchange_assignments"), {"show": "needs_pinch_hitter"})
    assert needing.content.decode().count('class="assignment-row') == 1
    fulfilled = client.get(url(exchange, "exchange_assignments"), {"show": "fulfilled"})
    assert "None." in fulfilled.content.decode()
    hitter = make_user("gx_hitter")
    response = client.post(
        url(exchange, "assignment_pinch_hit", assignment.pk),
        {"pinch_hitter": "gx_cara"},
        follow=True,
    )
    assert "gx_cara is the recipient" in response.content.decode()
    response = client.post(
        url(exchange, "assignment_pinch_hit", assignment.pk),
        {"pinch_hitter": "nobody_by_that_name"},
        follow=True,
    )
    assert "There is no account named nobody_by_that_name" in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.pinch_hitter is None
    response = client.post(
        url(exchange, "assignment_pinch_hit", assignment.pk),
        {"pinch_hitter": hitter.username},
        follow=True,
    )
    assert "gx_hitter now writes for gx_cara" in response.content.decode()
    assert "Pinch hit" in response.content.decode()


# -- an assignment's page, the dashboard ------------------------------------------------


def test_the_giver_sees_the_request_and_fulfils_with_a_work(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    assignment = sent(client, exchange, django_capture_on_commit_callbacks)["bob"]
    alice = exchange.users["alice"]
    work = make_work(alice, title="Lanterns for Bob")
    as_user(client, alice)
    page = client.get(url(exchange, "assignment_detail", assignment.pk)).content.decode()
    assert "Your gift for gx_bob" in page and "Lantern Road" in page
    assert "Post a new work" in page
    link = re.search(r'href="(/works/new/\?[^"]+)"', page)
    assert link is not None
    # The posting form opens with the collection, the recipient and the request's fandom.
    form = client.get(html.unescape(link.group(1))).content.decode()
    collection = exchange.challenge.collection.name
    assert f'name="collections" value="{collection}"' in form
    assert 'name="gifts" value="gx_bob"' in form
    assert 'name="fandoms" value="Lantern Road"' in form
    assert "Lanterns for Bob" in page  # in the select
    response = client.post(
        url(exchange, "assignment_fulfil", assignment.pk), {"work": work.pk}, follow=True
    )
    assert "Lanterns for Bob fulfils your assignment" in response.content.decode()
    assert CollectionItem.objects.filter(work=work).exists()
    assert Gift.objects.filter(work=work, pseud=exchange.signups["bob"].pseud).exists()
    assert not Notice.objects.filter(recipient=exchange.users["bob"], kind=NoticeKind.GIFT)


def test_fulfilling_with_someone_elses_work_shows_the_message(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    assignment = sent(client, exchange, django_capture_on_commit_callbacks)["bob"]
    other = make_work(exchange.users["cara"], title="Cara's Own")
    as_user(client, exchange.users["alice"])
    response = client.post(url(exchange, "assignment_fulfil", assignment.pk), {"work": other.pk})
    assert response.status_code == 400
    assert "Choose one of your own posted works." in response.content.decode()
    assignment.refresh_from_db()
    assert assignment.work is None and not CollectionItem.objects.filter(work=other).exists()


def test_the_recipient_and_others_cannot_open_the_assignment(
    client, django_capture_on_commit_callbacks
):
    exchange = make_exchange()
    assignment = sent(client, exchange, django_capture_on_commit_callbacks)["bob"]
    for name in ("bob", "cara"):
        as_user(client, exchange.users[name])
        response = client.get(url(exchange, "assignment_detail", assignment.pk))
        assert response.status_code == 403
        assert "gx_alice" not in response.content.decode()
    client.logout()
    assert client.get(url(exchange, "assignment_detail", assignment.pk)).status_code == 302


def test_the_giver_defaults_from_the_assignment_page(client, django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignment = sent(client, exchange, django_capture_on_commit_callbacks)["cara"]
    as_user(client, exchange.users["bob"])
    response = client.post(url(exchange, "assignment_default", assignment.pk), follow=True)
    assert "The assignment is marked defaulted" in response.content.decode()
    assert "Defaulted: needs a pinch hitter" in response.content.decode()  # the dashboard
    assert Notice.objects.filter(recipient=exchange.owner, subject__contains="defaulted").exists()
    # The page is no longer theirs once defaulted.
    assert client.get(url(exchange, "assignment_detail", assignment.pk)).status_code == 403


def test_the_dashboard_is_the_owners_only(client, django_capture_on_commit_callbacks):
    exchange = make_exchange()
    sent(client, exchange, django_capture_on_commit_callbacks)
    alice = exchange.users["alice"]
    dashboard = reverse("challenges:assignment_dashboard", args=[alice.username])
    as_user(client, alice)
    page = client.get(dashboard).content.decode()
    assert "For gx_bob" in page and "Sent" in page
    assert "gx_cara" not in page  # who writes for alice is not shown
    as_user(client, exchange.users["bob"])
    assert client.get(dashboard).status_code == 403


def test_the_assignments_page_shows_overdue(client):
    exchange = make_exchange(assignments_due_at=timezone.now() - dt.timedelta(days=1))
    Assignment.objects.create(
        challenge=exchange.challenge,
        giver=exchange.signups["alice"],
        recipient=exchange.signups["bob"],
        sent_at=timezone.now() - dt.timedelta(days=5),
    )
    as_user(client, exchange.owner)
    page = client.get(url(exchange, "exchange_assignments")).content.decode()
    assert "1 overdue" in page and "Overdue" in page
