"""Personal access tokens: the service, the account page, and /api/v1/tokens."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from fanarchive.api.models import ApiToken, TokenScope
from fanarchive.api.selectors import token_for_secret
from fanarchive.api.services import TOKENS_MAX, token_create, token_digest, token_revoke
from fanarchive.api.tests.conftest import ApiClient, api_as
from fanarchive.core.testing import make_user

pytestmark = pytest.mark.django_db


def test_token_is_stored_hashed_and_found_by_its_secret() -> None:
    user = make_user("tokenkeeper")
    token, secret = token_create(user=user, owner=user, name="  my   reader ", scope="read")
    assert secret.startswith(f"fa_{token.prefix}_")
    assert token.name == "my reader"
    assert token.digest == token_digest(secret)
    assert secret not in token.digest
    assert not ApiToken.objects.filter(digest__contains=secret[10:]).exists()
    assert token_for_secret(secret) == token
    assert token_for_secret(secret + "x") is None
    assert token_for_secret(f"fa_{token.prefix}_wrong") is None
    assert token_for_secret("nonsense") is None


def test_token_create_validates_and_checks_the_owner() -> None:
    user, other = make_user("tk1"), make_user("tk2")
    with pytest.raises(ValidationError) as error:
        token_create(user=user, owner=user, name=" ", scope="admin")
    assert set(error.value.message_dict) == {"name", "scope"}
    with pytest.raises(PermissionDenied):
        token_create(user=user, owner=other, name="x", scope="read")
    for n in range(TOKENS_MAX):
        token_create(user=user, owner=user, name=f"t{n}", scope="read")
    with pytest.raises(ValidationError):
        token_create(user=user, owner=user, name="one too many", scope="read")
    assert ApiToken.objects.filter(user=user).count() == TOKENS_MAX


def test_revoked_tokens_stop_working() -> None:
    user, other = make_user("tk3"), make_user("tk4")
    token, secret = token_create(user=user, owner=user, name="x", scope="read")
    api = ApiClient(secret)
    assert api.get("/api/v1/me").status_code == 200
    with pytest.raises(PermissionDenied):
        token_revoke(user=other, token=token)
    token_revoke(user=user, token=token)
    response = api.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["detail"] == "This token is unknown or was revoked."
    # Even on endpoints guests may use: a bad token is an error, not a guest.
    assert api.get("/api/v1/works").status_code == 401
    assert ApiClient("not-a-token").get("/api/v1/works").status_code == 401


def test_inactive_accounts_tokens_are_refused() -> None:
    user = make_user("tk5")
    _, secret = token_create(user=user, owner=user, name="x", scope="read")
    user.is_active = False
    user.save()
    assert ApiClient(secret).get("/api/v1/me").status_code == 401


def test_account_page_makes_a_token_shown_once(client: Client) -> None:
    user = make_user("pagekeeper")
    client.force_login(user)
    url = reverse("api:tokens", args=["pagekeeper"])
    page = client.get(url)
    assert page.status_code == 200
    assert "You have no tokens." in page.content.decode()
    made = client.post(url, {"name": "e-reader", "scope": "write"})
    assert made.status_code == 200
    assert made["Cache-Control"] == "no-store"
    html = made.content.decode()
    secret = re.search(r'<code class="token-secret">(fa_[^<]+)</code>', html)
    assert secret is not None
    token = ApiToken.objects.get(user=user)
    assert token.scope == TokenScope.WRITE
    assert ApiClient(secret.group(1)).get("/api/v1/me").json()["scope"] == "write"
    again = client.get(url).content.decode()
    assert secret.group(1) not in again
    assert "e-reader" in again
    bad = client.post(url, {"name": "", "scope": "read"})
    assert "Please name the token" in bad.content.decode()
    assert ApiToken.objects.filter(user=user).count() == 1
    revoke = client.post(reverse("api:token_revoke", args=["pagekeeper", token.pk]))
    assert revoke.status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()


def test_account_page_is_the_owners_only(client: Client) -> None:
    owner, other = make_user("pageowner"), make_user("pageother")
    token, _ = token_create(user=owner, owner=owner, name="x", scope="read")
    assert client.get(reverse("api:tokens", args=["pageowner"])).status_code == 302
    client.force_login(other)
    assert client.get(reverse("api:tokens", args=["pageowner"])).status_code == 403
    revoke = client.post(reverse("api:token_revoke", args=["pageowner", token.pk]))
    assert revoke.status_code == 403
    assert client.post(reverse("api:token_revoke", args=["pageother", token.pk])).status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_account_page_forms_need_csrf() -> None:
    user = make_user("csrfkeeper")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    url = reverse("api:tokens", args=["csrfkeeper"])
    assert browser.post(url, {"name": "x", "scope": "read"}).status_code == 403
    assert not ApiToken.objects.exists()
    assert 'name="csrfmiddlewaretoken"' in browser.get(url).content.decode()


def test_profile_links_to_the_tokens_page(client: Client) -> None:
    user = make_user("linkkeeper")
    client.force_login(user)
    page = client.get(reverse("accounts:profile", args=["linkkeeper"])).content.decode()
    assert reverse("api:tokens", args=["linkkeeper"]) in page


def test_tokens_endpoint_lists_and_revokes() -> None:
    user, other = make_user("apitk1"), make_user("apitk2")
    api = api_as(user)
    listed = api.get("/api/v1/tokens").json()
    assert [t["scope"] for t in listed] == ["write"]
    assert "digest" not in listed[0]
    extra, _ = token_create(user=user, owner=user, name="old", scope="read")
    foreign, _ = token_create(user=other, owner=other, name="theirs", scope="read")
    assert api.delete(f"/api/v1/tokens/{foreign.pk}").status_code == 404
    assert api.delete(f"/api/v1/tokens/{extra.pk}").status_code == 204
    assert not ApiToken.objects.filter(pk=extra.pk).exists()
    reader = api_as(user, TokenScope.READ)
    assert reader.delete(f"/api/v1/tokens/{listed[0]['id']}").status_code == 403
