"""Kudos: one per account or guest per work; the refusals; the no-JavaScript button."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from fanarchive.accounts.block_services import block_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import Kudos
from fanarchive.engagement.tests.conftest import notified
from fanarchive.engagement.visitors import guest_key_of
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def refusal(**kwargs) -> str:
    with pytest.raises(ValidationError) as excinfo:
        kudos_give(**kwargs)
    return " ".join(excinfo.value.messages)


def test_one_kudos_per_account(work, reader, notify):
    kudos_give(work=work, user=reader)
    assert "already left kudos" in refusal(work=work, user=reader)
    assert Kudos.objects.filter(work=work).count() == 1
    assert notified(notify) == [("kudos", {"writer"})]


def test_one_kudos_per_guest_by_keyed_hash_of_the_address(work):
    key = guest_key_of("203.0.113.7")
    kudos_give(work=work, user=None, guest_key=key)
    assert "already left kudos" in refusal(work=work, user=None, guest_key=key)
    kudos_give(work=work, user=None, guest_key=guest_key_of("203.0.113.8"))
    stored = list(Kudos.objects.filter(work=work).values_list("guest_key", flat=True))
    assert len(stored) == 2
    assert all(k is not None and len(k) == 64 and "203.0.113" not in k for k in stored)


def test_creators_cannot_give_kudos_to_their_own_work(work, user):
    assert "your own work" in refusal(work=work, user=user)
    assert not Kudos.objects.exists()


def test_guests_cannot_give_kudos_on_restricted_works(user):
    work = make_work(user, restricted=True)
    assert "Only registered users" in refusal(
        work=work, user=None, guest_key=guest_key_of("198.51.100.1")
    )
    assert not Kudos.objects.exists()


def test_blocked_users_cannot_give_kudos(work, user, reader):
    block_create(user=user, blocked=reader)
    assert "blocked" in refusal(work=work, user=reader)
    assert not Kudos.objects.exists()


def test_no_kudos_on_drafts_or_hidden_works(user, reader):
    draft = make_work(user, post=False)
    assert "draft" in refusal(work=draft, user=reader)
    hidden = make_work(user)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    hidden.refresh_from_db()
    assert "hidden" in refusal(work=hidden, user=reader)
    assert not Kudos.objects.exists()


# -- through the site ------------------------------------------------------------------


def test_kudos_button_without_javascript(client: Client, work, reader):
    client.force_login(reader)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "data-kudos-form" in page and "/kudos/" in page
    response = client.post(f"/works/{work.pk}/kudos/", {"next": work.get_absolute_url()})
    assert response.status_code == 302
    assert response["Location"] == f"{work.get_absolute_url()}#kudos"
    page = client.get(response["Location"]).content.decode()
    assert "Thank you for leaving kudos!" in page
    assert "harbour_reader</a> left kudos on this work!" in page
    assert "You have left kudos on this work." in page and "data-kudos-form" not in page
    again = client.post(f"/works/{work.pk}/kudos/", follow=True).content.decode()
    assert "You have already left kudos here. :)" in again
    assert Kudos.objects.filter(work=work).count() == 1


def test_kudos_fragment_for_javascript(client: Client, work, reader):
    client.force_login(reader)
    response = client.post(f"/works/{work.pk}/kudos/", headers={"X-Requested-With": "fetch"})
    assert response.status_code == 200
    assert "harbour_reader</a> left kudos on this work!" in response.content.decode()
    again = client.post(f"/works/{work.pk}/kudos/", headers={"X-Requested-With": "fetch"})
    assert again.status_code == 400
    assert "already left kudos" in again.content.decode()


def test_guest_kudos_through_the_site_and_the_list_names_guests(client: Client, work, reader):
    kudos_give(work=work, user=reader)
    client.post(f"/works/{work.pk}/kudos/", REMOTE_ADDR="192.0.2.10")
    client.post(f"/works/{work.pk}/kudos/", REMOTE_ADDR="192.0.2.11")
    client.post(f"/works/{work.pk}/kudos/", REMOTE_ADDR="192.0.2.11")
    assert Kudos.objects.filter(work=work, user=None).count() == 2
    page = client.get(work.get_absolute_url()).content.decode()
    assert "harbour_reader</a> as well as 2 guests left kudos on this work!" in page


def test_creator_sees_no_button_and_guest_on_restricted_is_sent_to_log_in(client: Client, user):
    work = make_work(user, restricted=True)
    client.force_login(user)
    assert "data-kudos-form" not in client.get(work.get_absolute_url()).content.decode()
    refused = client.post(f"/works/{work.pk}/kudos/", follow=True).content.decode()
    assert "You can&#x27;t leave kudos on your own work." in refused
    client.logout()
    response = client.post(f"/works/{work.pk}/kudos/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert not Kudos.objects.exists()


def test_blocked_user_is_refused_through_the_site(client: Client, work, user, reader):
    block_create(user=user, blocked=reader)
    client.force_login(reader)
    page = client.post(f"/works/{work.pk}/kudos/", follow=True).content.decode()
    assert "you have been blocked" in page
    assert not Kudos.objects.exists()


def test_drafts_are_not_found(client: Client, user, reader):
    draft = make_work(user, post=False)
    client.force_login(reader)
    assert client.post(f"/works/{draft.pk}/kudos/").status_code == 404


def test_adult_works_show_the_button_only_with_the_text(client: Client):
    work = make_work(make_user("adult_writer"), rating=EXPLICIT)
    gate = client.get(work.get_absolute_url()).content.decode()
    assert "data-kudos-form" not in gate and "comment-form" not in gate
    shown = client.get(work.get_absolute_url() + "?view_adult=true").content.decode()
    assert "data-kudos-form" in shown
