"""/api/v1: one's own assignments (read; fulfil and default with a read-write token) and
the moderators' list; recipients never learn who writes for them."""

from __future__ import annotations

import pytest

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import api_as
from fanarchive.challenges import assignment_services, matching_services
from fanarchive.challenges.models import Assignment
from fanarchive.challenges.tests.exchange_makers import Exchange, make_exchange
from fanarchive.collections.models import CollectionItem
from fanarchive.core.testing import make_work, run_due_tasks

pytestmark = pytest.mark.django_db


def sent(exchange: Exchange, capture) -> dict[str, Assignment]:
    with capture(execute=True):
        matching_services.matches_generate(user=exchange.owner, challenge=exchange.challenge)
    run_due_tasks()
    assignment_services.assignments_send(user=exchange.owner, challenge=exchange.challenge)
    names = {s.pk: n for n, s in exchange.signups.items()}
    return {names[a.recipient_id]: a for a in Assignment.objects.all()}


def test_my_assignments_lists_what_i_write_with_the_request(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    response = api_as(exchange.users["alice"], TokenScope.READ).get("/api/v1/users/me/assignments")
    assert response.status_code == 200
    [mine] = response.json()
    assert mine["id"] == assignments["bob"].pk and mine["recipient"] == "gx_bob"
    assert mine["status"] == "Sent" and mine["due_at"] is not None
    assert {"type": "fandom", "name": "Lantern Road"} in mine["request"]["tags"]
    assert "giver" not in mine
    # Who writes for alice (cara) appears nowhere in alice's answer.
    assert "gx_cara" not in response.content.decode()


def test_guests_have_no_assignments():
    response = api_as(None).get("/api/v1/users/me/assignments")
    assert response.status_code == 401


def test_fulfilling_and_defaulting_with_a_write_token(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    alice = api_as(exchange.users["alice"])
    work = make_work(exchange.users["alice"], title="Lanterns by Token")
    path = f"/api/v1/users/me/assignments/{assignments['bob'].pk}/fulfil"
    response = alice.post(path, {"work_id": work.pk})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "Fulfilled" and response.json()["work_id"] == work.pk
    assert CollectionItem.objects.filter(work=work).exists()

    bob = api_as(exchange.users["bob"])
    response = bob.post(f"/api/v1/users/me/assignments/{assignments['cara'].pk}/default")
    assert response.status_code == 200
    assert response.json()["status"] == "Defaulted: needs a pinch hitter"


def test_a_read_token_cannot_fulfil(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    work = make_work(exchange.users["alice"], title="Read Only")
    reader = api_as(exchange.users["alice"], TokenScope.READ)
    path = f"/api/v1/users/me/assignments/{assignments['bob'].pk}/fulfil"
    assert reader.post(path, {"work_id": work.pk}).status_code == 403
    assert Assignment.objects.get(pk=assignments["bob"].pk).work is None


def test_fulfilling_with_someone_elses_work_is_refused(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    other = make_work(exchange.users["cara"], title="Not Yours")
    path = f"/api/v1/users/me/assignments/{assignments['bob'].pk}/fulfil"
    response = api_as(exchange.users["alice"]).post(path, {"work_id": other.pk})
    assert response.status_code == 422
    assert "your own work" in response.content.decode()
    assert Assignment.objects.get(pk=assignments["bob"].pk).work is None


def test_someone_elses_assignment_is_404(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    assignments = sent(exchange, django_capture_on_commit_callbacks)
    path = f"/api/v1/users/me/assignments/{assignments['bob'].pk}/default"
    assert api_as(exchange.users["bob"]).post(path).status_code == 404
    assert Assignment.objects.get(pk=assignments["bob"].pk).defaulted_at is None


def test_the_moderators_list_every_assignment(django_capture_on_commit_callbacks):
    exchange = make_exchange()
    sent(exchange, django_capture_on_commit_callbacks)
    name = exchange.challenge.collection.name
    response = api_as(exchange.owner, TokenScope.READ).get(f"/api/v1/challenges/{name}/assignments")
    assert response.status_code == 200
    rows = response.json()
    assert {(r["giver"], r["recipient"]) for r in rows} == {
        ("gx_alice", "gx_bob"),
        ("gx_bob", "gx_cara"),
        ("gx_cara", "gx_alice"),
    }
    assert all(r["writer"] and r["quality"] == 1 and not r["overdue"] for r in rows)
    participant = api_as(exchange.users["alice"], TokenScope.READ)
    assert participant.get(f"/api/v1/challenges/{name}/assignments").status_code == 403
    assert api_as(exchange.owner).get("/api/v1/challenges/nothing/assignments").status_code == 404
