"""/api/v1/challenges/{name}/prompts: reading prompts (filters, pages, the anonymous
prompter hidden, unrevealed fills hidden) and claiming, dropping and filling with a token."""

from __future__ import annotations

import pytest

from fanarchive.api.models import TokenScope
from fanarchive.api.tests.conftest import api_as
from fanarchive.challenges import claim_services
from fanarchive.challenges.models import Claim
from fanarchive.challenges.tests.prompt_makers import make_meme, post_prompt
from fanarchive.collections import item_services
from fanarchive.collections.models import CollectionItem
from fanarchive.core.testing import make_user, make_work

pytestmark = pytest.mark.django_db


@pytest.fixture
def mod():
    return make_user("api_meme_mod")


@pytest.fixture
def meme(mod):
    return make_meme(mod)


def _base(meme) -> str:
    return f"/api/v1/challenges/{meme.collection.name}/prompts"


def test_guests_read_prompts_with_tags_claims_and_fills(meme):
    prompter = make_user("api_prompter")
    writer = make_user("api_writer")
    prompt = post_prompt(prompter, meme, title="Salt and lamps", characters=["Wren Hollis"])
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    work = make_work(writer, title="Lamps Lit")
    claim_services.claim_fill(user=writer, claim=claim, work=work)
    body = api_as(None).get(_base(meme)).json()
    [item] = body["items"]
    assert body["next"] is None
    assert item["title"] == "Salt and lamps" and item["prompter"] == "api_prompter"
    assert item["prompter_username"] == "api_prompter" and item["anonymous"] is False
    assert {"name": "Wren Hollis", "type": "character"} in item["tags"]
    assert item["claims_count"] == 1 and item["claims"][0]["claimant_username"] == "api_writer"
    assert item["fills"] == [{"work_id": work.pk, "title": "Lamps Lit", "byline": "api_writer"}]
    detail = api_as(None).get(f"{_base(meme)}/{prompt.pk}").json()
    assert detail == item
    assert api_as(None).get(f"{_base(meme)}/999999").status_code == 404
    assert api_as(None).get("/api/v1/challenges/no_such_meme/prompts").status_code == 404


def test_filters_and_keyset_pages(meme):
    writer = make_user("page_writer")
    for number in range(3):
        post_prompt(make_user(f"pager_{number}"), meme, title=f"Prompt {number}")
    post_prompt(make_user("pager_lark"), meme, title="Lark", characters=["Ada Lark"])
    claimed = post_prompt(make_user("pager_claimed"), meme, title="Claimed one")
    claim = claim_services.prompt_claim(user=writer, prompt=claimed)
    claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer))
    guest = api_as(None)
    assert [p["title"] for p in guest.get(_base(meme), {"tag": "ada lark"}).json()["items"]] == [
        "Lark"
    ]
    unfilled = guest.get(_base(meme), {"unfilled": "true"}).json()["items"]
    assert "Claimed one" not in {p["title"] for p in unfilled} and len(unfilled) == 4
    seen: list[str] = []
    cursor = None
    while True:
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = guest.get(_base(meme), params).json()
        seen.extend(p["title"] for p in page["items"])
        cursor = page["next"]
        if cursor is None:
            break
    assert seen == ["Claimed one", "Lark", "Prompt 2", "Prompt 1", "Prompt 0"]


def test_an_anonymous_prompter_is_never_named_to_others(meme, mod):
    prompter = make_user("masked_prompter")
    prompt = post_prompt(prompter, meme, title="Masked", anonymous=True)
    for caller in (None, make_user("api_onlooker")):
        for url in (_base(meme), f"{_base(meme)}/{prompt.pk}"):
            response = api_as(caller).get(url)
            assert response.status_code == 200
            assert "masked_prompter" not in response.content.decode()
        detail = api_as(caller).get(f"{_base(meme)}/{prompt.pk}").json()
        assert detail["prompter"] == "Anonymous" and detail["prompter_username"] is None
    for caller in (prompter, mod):
        detail = api_as(caller).get(f"{_base(meme)}/{prompt.pk}").json()
        assert detail["prompter_username"] == "masked_prompter"


def test_unrevealed_fills_do_not_show(mod):
    meme = make_meme(mod, collection_fields={"unrevealed": True})
    writer = make_user("veiled_writer")
    prompt = post_prompt(make_user("veil_prompter"), meme, title="Veiled")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer, title="Veil Tale"))
    for caller in (None, writer, mod):
        response = api_as(caller).get(f"{_base(meme)}/{prompt.pk}")
        assert response.json()["fills"] == [] and "Veil Tale" not in response.content.decode()
    item_services.collection_reveal(user=mod, collection=meme.collection)
    assert api_as(None).get(f"{_base(meme)}/{prompt.pk}").json()["fills"][0]["title"] == (
        "Veil Tale"
    )


def test_claiming_dropping_and_filling_with_a_token(meme):
    writer = make_user("token_writer")
    prompt = post_prompt(make_user("token_prompter"), meme, title="Tokened")
    client = api_as(writer)
    claimed = client.post(f"{_base(meme)}/{prompt.pk}/claim")
    assert claimed.status_code == 201, claimed.content
    assert (
        claimed.json()["work_id"] is None and claimed.json()["collection"] == meme.collection.name
    )
    again = client.post(f"{_base(meme)}/{prompt.pk}/claim")
    assert again.status_code == 422
    assert again.json()["detail"] == "You have already claimed this prompt."
    work = make_work(writer, title="Token Tale")
    filled = client.post(f"{_base(meme)}/{prompt.pk}/claim/fill", {"work_id": work.pk})
    assert filled.status_code == 200, filled.content
    assert filled.json()["work_id"] == work.pk and filled.json()["filled_at"]
    assert CollectionItem.objects.filter(work=work, collection=meme.collection).exists()
    dropped = client.delete(f"{_base(meme)}/{prompt.pk}/claim")
    assert dropped.status_code == 422
    assert dropped.json()["detail"] == "This claim is filled, so it cannot be dropped."
    other = post_prompt(make_user("token_prompter2"), meme, title="Dropped")
    client.post(f"{_base(meme)}/{other.pk}/claim")
    assert client.delete(f"{_base(meme)}/{other.pk}/claim").status_code == 204
    assert not Claim.objects.filter(prompt=other).exists()
    assert client.delete(f"{_base(meme)}/{other.pk}/claim").status_code == 404


def test_bad_claims_and_fills_change_nothing(mod):
    meme = make_meme(mod, claims_per_prompt=1)
    prompt = post_prompt(make_user("limit_prompter"), meme, title="Only one")
    first = make_user("first_claimer")
    api_as(first).post(f"{_base(meme)}/{prompt.pk}/claim")
    late = api_as(make_user("late_claimer")).post(f"{_base(meme)}/{prompt.pk}/claim")
    assert late.status_code == 422
    assert late.json()["detail"] == "This prompt has reached its limit of 1 claim."
    assert api_as(None).post(f"{_base(meme)}/{prompt.pk}/claim").status_code == 401
    reader = api_as(make_user("read_only"), scope=TokenScope.READ)
    assert reader.post(f"{_base(meme)}/{prompt.pk}/claim").status_code == 403
    someone_else = make_work(make_user("other_author"))
    response = api_as(first).post(
        f"{_base(meme)}/{prompt.pk}/claim/fill", {"work_id": someone_else.pk}
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "work": ["You can only fill a claim with a work of your own."]
    }
    assert [(c.user_id, c.work_id) for c in Claim.objects.all()] == [(first.pk, None)]
    assert not CollectionItem.objects.exists()
    meme.collection.closed = True
    meme.collection.save(update_fields=["closed"])
    own = make_work(first)
    closed = api_as(first).post(f"{_base(meme)}/{prompt.pk}/claim/fill", {"work_id": own.pk})
    assert closed.status_code == 422
    assert (
        closed.json()["detail"] == f"{meme.collection.title} is closed: no new works can be added."
    )
    assert Claim.objects.get().work is None and not CollectionItem.objects.exists()
