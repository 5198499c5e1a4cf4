"""What the adult-content interstitial and the API's problem say under each age-gate policy,
the country header's trust, and the ways out the interstitial offers (the every-surface
modes test, test_age_gate_modes, checks what each surface shows)."""

from __future__ import annotations

import ipaddress

import pytest
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from django.urls import reverse

from fanarchive.accounts.age_services import adult_confirm, age_verification_set
from fanarchive.accounts.models import User
from fanarchive.accounts.moderators import MODERATORS_GROUP
from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.works.age_gate import AgeGateContext, Reason, age_gate_context, country_of
from fanarchive.works.selectors import adult_access

pytestmark = [pytest.mark.django_db, pytest.mark.guest_page_cache]

PROXY = "10.1.2.3"


@pytest.fixture
def gate(settings):
    settings.TRUSTED_PROXIES = (ipaddress.ip_network("10.0.0.0/8"),)
    settings.COUNTRY_HEADER = "CF-IPCountry"
    settings.AGE_GATE_COUNTRIES = frozenset({"GB", "AU"})
    settings.API_RATE_LIMIT_REQUESTS = 1_000_000
    return settings


@pytest.fixture
def work(user):
    return make_work(user, rating=EXPLICIT, texts=["The storm broke over the lighthouse."])


def text_shown(response) -> bool:
    return b"The storm broke over the lighthouse." in response.content


# -- the country header -----------------------------------------------------------------------


def test_the_country_is_believed_only_from_a_trusted_proxy(gate):
    factory = RequestFactory()
    trusted = factory.get("/", REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="gb")
    assert country_of(trusted) == "GB"
    assert country_of(factory.get("/", REMOTE_ADDR="203.0.113.9", HTTP_CF_IPCOUNTRY="GB")) == ""
    assert country_of(factory.get("/", REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="XX1")) == ""
    assert country_of(factory.get("/", REMOTE_ADDR=PROXY)) == ""
    gate.COUNTRY_HEADER = ""
    assert country_of(trusted) == ""


def test_the_context_is_built_once_from_the_request(gate, user):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="AU")
    request.user = user
    request.session = {"adult_consent": True}  # type: ignore[assignment]
    assert age_gate_context(request) == AgeGateContext(user, session_consented=True, country="AU")
    assert not age_gate_context(request, consented=False).session_consented


# -- the interstitial, per policy --------------------------------------------------------------


def test_interstitial_asks_and_yes_continue_holds_for_the_session(gate, client, work):
    gate.AGE_GATE = "interstitial"
    asked = client.get(work.get_absolute_url())
    assert asked.status_code == 200 and not text_shown(asked)
    assert b"Yes, continue" in asked.content
    assert text_shown(client.get(f"{work.get_absolute_url()}?view_adult=true"))
    assert text_shown(client.get(work.get_absolute_url()))


def test_adults_sends_guests_to_log_in_and_readers_to_confirm(gate, client, work, other_user):
    gate.AGE_GATE = "adults"
    url = work.get_absolute_url()
    guest = client.get(f"{url}?view_adult=true")
    assert guest.status_code == 403 and not text_shown(guest)
    page = guest.content.decode()
    assert "Yes, continue" not in page
    assert f"{reverse('accounts:login')}?next=" in page and "confirmed that they are 18" in page
    assert not text_shown(client.get(url)), "no session consent in this mode"
    client.force_login(other_user)
    unconfirmed = client.get(url).content.decode()
    assert f"{reverse('age:confirm')}?next=" in unconfirmed
    assert "Confirm that I am 18 or over" in unconfirmed
    # Confirming, through the page the interstitial links to, opens the work.
    done = client.post(reverse("age:confirm"), {"adult": "on", "next": url})
    assert done["Location"] == url
    assert text_shown(client.get(url))


def test_verified_sends_readers_to_get_verified(gate, client, work, other_user):
    gate.AGE_GATE = "verified"
    url = work.get_absolute_url()
    client.force_login(other_user)
    adult_confirm(user=other_user, owner=other_user)  # confirming is not enough here
    refused = client.get(url)
    assert refused.status_code == 403 and not text_shown(refused)
    assert reverse("age:verify") in refused.content.decode()
    assert b"age-verified" in refused.content
    age_verification_set(
        actor=make_user("archivist", is_staff=True), user=other_user, verified=True
    )
    assert text_shown(client.get(url))


def test_countries_refuses_listed_countries_and_offers_no_way_round(gate, work):
    gate.AGE_GATE = "countries"
    url = work.get_absolute_url()
    from_gb = Client(REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="GB")
    refused = from_gb.get(f"{url}?view_adult=true")
    assert refused.status_code == 451 and not text_shown(refused)
    assert b"not available in your country" in refused.content
    assert b"Yes, continue" not in refused.content
    assert not text_shown(from_gb.get(reverse("formats:download", args=[work.pk, "txt"])))
    from_fr = Client(REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="FR")
    assert b"Yes, continue" in from_fr.get(url).content
    assert text_shown(from_fr.get(f"{url}?view_adult=true"))
    spoofed = Client(REMOTE_ADDR="203.0.113.9", HTTP_CF_IPCOUNTRY="GB")
    assert text_shown(spoofed.get(f"{url}?view_adult=true"))


def test_creators_and_admins_are_never_refused(gate, work, user):
    admin = make_user("archivist", is_staff=True)
    for mode in ("adults", "verified", "countries"):
        gate.AGE_GATE = mode
        for account in (user, admin):
            client = Client(REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="GB")
            client.force_login(account)
            assert text_shown(client.get(work.get_absolute_url())), (mode, account)


def test_moderators_are_not_refused_where_a_policy_refuses(gate, other_user):
    gate.AGE_GATE = "verified"
    viewer = AgeGateContext(other_user)
    assert not adult_access(viewer).allowed
    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    other_user.groups.add(moderators)
    moderator = AgeGateContext(User.objects.get(pk=other_user.pk))
    assert adult_access(moderator).allowed
    gate.AGE_GATE = "interstitial"  # the question is everyone's to answer
    assert not adult_access(moderator).allowed


# -- the API -----------------------------------------------------------------------------------


def chapters_of(api, work, **params):
    return api.get(f"/api/v1/works/{work.pk}/chapters", params or None)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("interstitial", Reason.CONSENT),
        ("adults", Reason.CONFIRMATION),
        ("verified", Reason.VERIFICATION),
    ],
)
def test_the_api_problem_says_what_would_allow_the_text(gate, work, other_user, mode, reason):
    gate.AGE_GATE = mode
    for api in (api_as(None), api_as(other_user)):
        refused = chapters_of(api, work)
        assert refused.status_code == 403
        body = refused.json()
        assert body["type"] == "urn:fanarchive:problem:adult-consent-required"
        assert body["reason"] == reason
    detail = api_as(other_user).get(f"/api/v1/works/{work.pk}").json()
    assert detail["text_requires_consent"] is True and detail["notes"] is None
    adult_param = chapters_of(api_as(other_user), work, adult="true")
    assert adult_param.status_code == (200 if mode == "interstitial" else 403)


def test_with_a_token_the_accounts_confirmation_or_verification_decides(gate, work, other_user):
    api = api_as(other_user)
    gate.AGE_GATE = "adults"
    adult_confirm(user=other_user, owner=other_user)
    assert chapters_of(api, work).status_code == 200
    gate.AGE_GATE = "verified"
    assert chapters_of(api, work).json()["reason"] == Reason.VERIFICATION
    age_verification_set(
        actor=make_user("archivist", is_staff=True), user=other_user, verified=True
    )
    assert chapters_of(api, work).status_code == 200
    listing = api.get("/api/v1/works").json()["items"]
    assert [w["text_requires_consent"] for w in listing if w["id"] == work.pk] == [False]


def test_the_api_refuses_listed_countries_with_their_reason(gate, work):
    gate.AGE_GATE = "countries"
    from_au = Client(REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="AU")
    refused = from_au.get(f"/api/v1/works/{work.pk}/chapters?adult=true")
    assert refused.status_code == 403 and refused.json()["reason"] == Reason.COUNTRY
    from_nz = Client(REMOTE_ADDR=PROXY, HTTP_CF_IPCOUNTRY="NZ")
    assert from_nz.get(f"/api/v1/works/{work.pk}/chapters?adult=true").status_code == 200
