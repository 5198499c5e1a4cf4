"""The prompt meme's pages through the test client: the list and its filters, a prompt's
page, claiming and dropping, one's claims and filling them; anonymous prompters named to
nobody but themselves and the moderators; unrevealed fills hidden; a fixed query count."""

from __future__ import annotations

import html
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fanarchive.challenges import claim_services
from fanarchive.challenges.models import Claim
from fanarchive.challenges.tests.prompt_makers import make_meme, post_prompt
from fanarchive.collections import item_services
from fanarchive.collections.models import CollectionItem
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create

pytestmark = pytest.mark.django_db


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _list(meme, user=None, **params):
    return _client(user).get(f"/collections/{meme.collection.name}/prompts/", params)


def _titles(response) -> list[str]:
    return [card.prompt.title for card in response.context["cards"]]


@pytest.fixture
def mod():
    return make_user("meme_keeper")


@pytest.fixture
def meme(mod):
    return make_meme(mod)


def test_the_list_shows_each_prompt_as_a_blurb(meme):
    prompter = make_user("lamp_lighter")
    post_prompt(
        prompter,
        meme,
        title="Lanterns at sea",
        characters=["Mira Vale"],
        description="<p>Mira keeps the lamps lit.</p>",
    )
    response = _list(meme)
    assert response.status_code == 200
    text = response.content.decode()
    for shown in ("Lanterns at sea", "Harbour Tales", "Mira Vale", "Mira keeps the lamps lit."):
        assert shown in text
    assert "lamp_lighter" in text and 'Claims: <span class="claims-count">0</span>' in text
    assert '<label for="id_tag">Tag</label>' in text
    assert "Log in</a> to claim prompts." in text


def test_an_anonymous_prompter_is_named_only_to_themselves_and_the_moderators(meme, mod):
    prompter = make_user("hidden_quill")
    prompt = post_prompt(prompter, meme, title="Unsigned wish", anonymous=True)
    pages = (
        f"/collections/{meme.collection.name}/prompts/",
        f"/collections/{meme.collection.name}/prompts/{prompt.pk}/",
    )
    for viewer in (None, make_user("curious_reader")):
        for page in pages:
            text = _client(viewer).get(page).content.decode()
            assert "Unsigned wish" in text and "Anonymous" in text
            assert "hidden_quill" not in text, (viewer, page)
    for viewer in (prompter, mod):
        for page in pages:
            text = _client(viewer).get(page).content.decode()
            assert "hidden_quill" in text and "(posted anonymously)" in text


def test_the_tag_filter_finds_any_type_and_synonyms(meme):
    post_prompt(make_user("p_one"), meme, title="Mira alone", characters=["Mira Vale"])
    post_prompt(make_user("p_two"), meme, title="Tobin alone", characters=["Tobin Reed"])
    post_prompt(make_user("p_three"), meme, title="Other fandom", fandom="Lantern Road")
    assert set(_titles(_list(meme, tag="mira vale"))) == {"Mira alone"}
    assert set(_titles(_list(meme, tag="Lantern Road"))) == {"Other fandom"}
    assert set(_titles(_list(meme, tag="Harbour Tales"))) == {"Mira alone", "Tobin alone"}
    assert _titles(_list(meme, tag="Nobody Here")) == []
    Tag.objects.filter(name="Mira Vale").update(canonical=True)
    [synonym] = tags_find_or_create(tag_type=TagType.CHARACTER, names=["Mira V."])
    Tag.objects.filter(pk=synonym.pk).update(synonym_of=Tag.objects.get(name="Mira Vale"))
    assert set(_titles(_list(meme, tag="Mira V."))) == {"Mira alone"}


def test_unfilled_and_unclaimed_filters_and_the_sort(meme):
    writer = make_user("busy_writer")
    post_prompt(make_user("p_a"), meme, title="Open")
    claimed = post_prompt(make_user("p_b"), meme, title="Claimed")
    filled = post_prompt(make_user("p_c"), meme, title="Filled")
    claim_services.prompt_claim(user=writer, prompt=claimed)
    claim = claim_services.prompt_claim(user=writer, prompt=filled)
    claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer))
    assert set(_titles(_list(meme, unfilled="on"))) == {"Open", "Claimed"}
    assert _titles(_list(meme, unclaimed="on")) == ["Open"]
    assert _titles(_list(meme)) == ["Filled", "Claimed", "Open"]
    assert _titles(_list(meme, sort="oldest")) == ["Open", "Claimed", "Filled"]
    # A bad sort is no filter, not an error.
    assert _list(meme, sort="sideways").status_code == 200


def test_a_collection_without_a_prompt_meme_has_no_prompts(mod):
    plain = make_collection(mod)
    assert _client().get(f"/collections/{plain.name}/prompts/").status_code == 404


def test_claiming_and_dropping_through_the_buttons(meme):
    writer = make_user("button_writer")
    prompt = post_prompt(make_user("p_d"), meme, title="Press me")
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    client = _client(writer)
    assert "Claim</button>" in client.get(url).content.decode()
    response = client.post(url + "claim/", {"next": url}, follow=True)
    assert "You claimed this prompt." in response.content.decode()
    assert "Drop my claim</button>" in response.content.decode()
    assert "button_writer" in response.content.decode()
    response = client.post(url + "unclaim/", follow=True)
    assert "The claim was dropped." in response.content.decode()
    assert not Claim.objects.exists()


def test_claiming_a_prompt_at_its_limit_says_why_and_changes_nothing(mod):
    meme = make_meme(mod, claims_per_prompt=1)
    prompt = post_prompt(make_user("p_e"), meme, title="Just one")
    first = make_user("first_writer")
    claim_services.prompt_claim(user=first, prompt=prompt)
    late = make_user("late_writer")
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    page = _client(late).get(url).content.decode()
    assert "This prompt has reached its limit of 1 claim." in page
    assert "Claim</button>" not in page
    response = _client(late).post(url + "claim/", follow=True)
    assert "This prompt has reached its limit of 1 claim." in response.content.decode()
    assert list(Claim.objects.values_list("user", flat=True)) == [first.pk]


def test_claims_closed_and_guests(mod):
    meme = make_meme(mod, claims_open=False)
    prompt = post_prompt(make_user("p_f"), meme, title="Shut")
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    response = _client(make_user("eager")).post(url + "claim/", follow=True)
    assert f"Claims are closed in {meme.collection.title}." in response.content.decode()
    guest = _client().post(url + "claim/")
    assert guest.status_code == 302 and guest["Location"].startswith("/login/")
    assert not Claim.objects.exists()


def test_a_moderator_removes_a_claim_from_the_prompt_page(meme, mod):
    writer = make_user("removed_writer")
    prompt = post_prompt(make_user("p_g"), meme, title="Moderated")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    page = _client(mod).get(url).content.decode()
    assert "Remove claim</button>" in page
    assert "Remove claim</button>" not in _client(make_user("bystander")).get(url).content.decode()
    _client(mod).post(url + "unclaim/", {"claim": claim.pk})
    assert not Claim.objects.exists()


def test_my_claims_page_fills_a_claim_with_ones_own_work(meme):
    prompter = make_user("p_h")
    writer = make_user("claims_writer")
    prompt = post_prompt(prompter, meme, title="Fill me")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    mine = make_work(writer, title="My Own Tale")
    theirs = make_work(prompter, title="Not My Tale")
    client = _client(writer)
    page = client.get("/users/claims_writer/claims/").content.decode()
    assert "Fill me" in page and "My Own Tale" in page and "Not My Tale" not in page
    assert "Fill with one of your works" in page
    # "Post a new work for this prompt" opens the form with the collection and the prompter
    # as the recipient (the prompt is not anonymous).
    link = re.search(r'href="(/works/new/\?[^"]+)"', page)
    assert link is not None
    form = client.get(html.unescape(link.group(1))).content.decode()
    assert f'name="collections" value="{meme.collection.name}"' in form
    assert 'name="gifts" value="p_h"' in form
    bad = client.post(
        f"/users/claims_writer/claims/{claim.pk}/fill/", {f"claim{claim.pk}-work": theirs.pk}
    )
    assert bad.status_code == 400
    assert "Choose one of your posted works." in bad.content.decode()
    claim.refresh_from_db()
    assert claim.work is None and not CollectionItem.objects.exists()
    done = client.post(
        f"/users/claims_writer/claims/{claim.pk}/fill/",
        {f"claim{claim.pk}-work": mine.pk},
        follow=True,
    )
    assert "Your claim is filled with My Own Tale." in done.content.decode()
    prompt_page = _client().get(f"/collections/{meme.collection.name}/prompts/{prompt.pk}/")
    assert "My Own Tale" in prompt_page.content.decode()


def test_a_closed_collection_refuses_the_fill_on_the_claims_page(meme):
    writer = make_user("closed_writer")
    claim = claim_services.prompt_claim(
        user=writer, prompt=post_prompt(make_user("p_i"), meme, title="Too late")
    )
    work = make_work(writer)
    meme.collection.closed = True
    meme.collection.save(update_fields=["closed"])
    response = _client(writer).post(
        f"/users/closed_writer/claims/{claim.pk}/fill/", {f"claim{claim.pk}-work": work.pk}
    )
    assert response.status_code == 400
    assert "is closed: no new works can be added." in response.content.decode()
    claim.refresh_from_db()
    assert claim.work is None and not CollectionItem.objects.exists()


def test_someone_elses_claims_page_is_forbidden():
    make_user("owner_of_claims")
    response = _client(make_user("snooper")).get("/users/owner_of_claims/claims/")
    assert response.status_code == 403


def test_an_unrevealed_fill_stays_hidden_until_the_reveal(mod):
    meme = make_meme(mod, collection_fields={"unrevealed": True})
    prompter = make_user("p_j")
    writer = make_user("secret_writer")
    prompt = post_prompt(prompter, meme, title="Hidden fill")
    claim = claim_services.prompt_claim(user=writer, prompt=prompt)
    claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer, title="Veiled Tale"))
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    for viewer in (None, prompter, make_user("reader_x"), mod, writer):
        text = _client(viewer).get(url).content.decode()
        assert "Veiled Tale" not in text, viewer
        assert "Veiled Tale" not in _list(meme, viewer).content.decode()
    meme.collection.unrevealed = False
    meme.collection.save(update_fields=["unrevealed"])
    item_services.collection_reveal(user=mod, collection=meme.collection)
    assert "Veiled Tale" in _client().get(url).content.decode()


def _list_queries(meme, client: Client) -> int:
    url = f"/collections/{meme.collection.name}/prompts/"
    client.get(url)  # the login's session is written on the first request
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_for_more_prompts(meme):
    viewer = _client(make_user("counting_reader"))
    writer = make_user("counting_writer")

    def add(number: int) -> None:
        prompt = post_prompt(
            make_user(f"counted_{number}"), meme, title=f"P{number}", characters=["Ada Lark"]
        )
        claim = claim_services.prompt_claim(user=writer, prompt=prompt)
        claim_services.prompt_claim(user=make_user(f"also_{number}"), prompt=prompt)
        claim_services.claim_fill(user=writer, claim=claim, work=make_work(writer))

    add(0)
    few = _list_queries(meme, viewer)
    for number in range(1, 6):
        add(number)
    assert _list_queries(meme, viewer) == few
    assert few <= 20


def test_in_an_anonymous_collection_claimants_are_hidden_from_others(mod):
    meme = make_meme(mod, collection_fields={"anonymous": True})
    writer = make_user("masked_claimer")
    prompt = post_prompt(make_user("p_k"), meme, title="Masked claim")
    claim_services.prompt_claim(user=writer, prompt=prompt)
    url = f"/collections/{meme.collection.name}/prompts/{prompt.pk}/"
    for viewer in (None, make_user("peeking_reader")):
        text = _client(viewer).get(url).content.decode()
        assert "masked_claimer" not in text and "Anonymous claimed it" in text
    for viewer in (writer, mod):
        assert "masked_claimer</a> claimed it" in _client(viewer).get(url).content.decode()
