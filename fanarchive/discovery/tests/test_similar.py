"""More like this (`discovery.similar`): the score on hand-made data, the co-kudos cache's
incremental refresh, and, through the work page and the API, that no reader is offered a
work they may not see (issue 20)."""

from __future__ import annotations

import math
import re
from typing import Any

import numpy as np
import pytest
from django.test import Client
from pyroaring import BitMap

from fanarchive.accounts.block_services import block_create
from fanarchive.api.models import TokenScope
from fanarchive.api.services import token_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery import similar
from fanarchive.discovery.services import mute_creator_add, mute_tag_add
from fanarchive.engagement.kudos_services import kudos_give
from fanarchive.engagement.models import Kudos
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag
from fanarchive.works.age_gate import ADULT_CONSENT_KEY, GUEST_CONTEXT
from fanarchive.works.collection_state_services import work_collection_state_set
from fanarchive.works.moderation_services import work_set_hidden

# -- the formula, on hand-made data ----------------------------------------------------------


def test_rare_shared_tags_count_more_than_common_ones():
    rare, common = BitMap([1, 2]), BitMap(range(1, 11))
    ids, scores = similar.tag_similarity(
        {10: rare, 20: common}, total=100, among=BitMap(range(2, 11))
    )
    found = dict(zip(ids.tolist(), scores.tolist(), strict=True))
    rare_weight, common_weight = math.log1p(100 / 2), math.log1p(100 / 10)
    assert found[2] == pytest.approx(1.0)  # shares both tags: all of the work's weight
    assert found[3] == pytest.approx(common_weight / (rare_weight + common_weight))
    assert set(found) == set(range(2, 11))  # only `among`: never the work 1 itself


def test_no_tags_no_tag_scores():
    ids, scores = similar.tag_similarity({}, total=10, among=BitMap([1, 2]))
    assert len(ids) == 0 and len(scores) == 0


def test_co_kudos_is_a_shrunk_cosine_of_readers():
    scores = similar.kudos_similarity({5: 2, 6: 1, 7: 0}, own=4, kudos={5: 4, 6: 1})
    assert scores[5] == pytest.approx(2 / (math.sqrt(4 * 4) + similar.KUDOS_SHRINK))
    assert scores[6] == pytest.approx(1 / (math.sqrt(4 * 1) + similar.KUDOS_SHRINK))
    assert 7 not in scores
    # One shared reader between two works read by no one else is a weak match, not 1.
    assert similar.kudos_similarity({8: 1}, own=1, kudos={8: 1})[8] == pytest.approx(1 / 3)


def test_combined_weights_and_ties():
    tag_ids, tag_scores = np.array([2, 3, 7, 8, 9]), np.array([1.0, 0.5, 0.25, 0.25, 0.1])
    ranked = similar.combined(tag_ids, tag_scores, {3: 0.5, 4: 0.9}, most=10)
    scores = dict(ranked)
    assert scores[2] == pytest.approx(similar.TAG_WEIGHT)
    assert scores[3] == pytest.approx(similar.TAG_WEIGHT * 0.5 + similar.KUDOS_WEIGHT * 0.5)
    assert scores[4] == pytest.approx(similar.KUDOS_WEIGHT * 0.9)
    assert [work_id for work_id, _ in ranked] == [4, 3, 2, 8, 7, 9]  # equal scores: newer first
    # The best few only; a tie at the cut still goes to the newer work.
    best = similar.combined(tag_ids, tag_scores, {3: 0.5, 4: 0.9}, most=4)
    assert [work_id for work_id, _ in best] == [4, 3, 2, 8]
    assert similar.combined(np.zeros(0, dtype=np.int64), np.zeros(0), {}, most=5) == []


# -- the co-kudos cache --------------------------------------------------------------------


@pytest.mark.django_db
def test_co_readers_are_cached_and_refreshed_by_new_kudos(django_assert_max_num_queries):
    here, there, elsewhere = make_work(), make_work(), make_work()
    fan, guest_key = make_user(), "a" * 64
    kudos_give(work=here, user=fan)
    kudos_give(work=there, user=fan)
    kudos_give(work=here, user=None, guest_key=guest_key)
    kudos_give(work=elsewhere, user=None, guest_key=guest_key)
    # Guests carry no identity across works: `elsewhere` shares only a guest.
    assert similar.co_readers(here.pk) == {there.pk: 1}
    with django_assert_max_num_queries(3):  # the state, new kudos (none), the cached list
        assert similar.co_readers(here.pk) == {there.pk: 1}
    # The fan's kudos on `elsewhere` makes `here`'s cached list stale: it is recomputed.
    kudos_give(work=elsewhere, user=fan)
    second = make_user()
    kudos_give(work=here, user=second)
    kudos_give(work=there, user=second)
    assert similar.co_readers(here.pk) == {there.pk: 2, elsewhere.pk: 1}
    assert similar.co_readers(elsewhere.pk) == {here.pk: 1, there.pk: 1}


@pytest.mark.django_db
def test_too_many_new_kudos_start_a_new_generation(monkeypatch):
    here, there = make_work(), make_work()
    first = make_user()
    kudos_give(work=here, user=first)
    kudos_give(work=there, user=first)
    assert similar.co_readers(here.pk) == {there.pk: 1}
    generation = similar.refresh()["generation"]
    monkeypatch.setattr(similar, "REFRESH_MOST", 1)
    for _ in range(2):
        fan = make_user()
        kudos_give(work=here, user=fan)
        kudos_give(work=there, user=fan)
    assert similar.refresh()["generation"] != generation  # every cached list dropped at once
    assert similar.co_readers(here.pk) == {there.pk: 3}


# -- nobody is offered a work they may not see -----------------------------------------------

SHARED: dict[str, Any] = {
    "fandoms": ["Harbour Tales"],
    "freeforms": ["Lantern Keepers", "Found Family"],
}


def _section(html: str) -> str:
    match = re.search(r'<section class="similar-works".*?</section>', html, re.S)
    return match.group(0) if match else ""


def _offered_on_page(client: Client, work_id: int) -> set[int]:
    response = client.get(f"/works/{work_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    return {int(i) for i in re.findall(r'id="work_(\d+)"', _section(html))}


def _offered_by_api(work_id: int, token: str | None = None, adult: bool = False) -> set[int]:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    query: dict[str, str] = {"limit": "20", **({"adult": "true"} if adult else {})}
    response = Client().get(f"/api/v1/works/{work_id}/similar", query, headers=headers)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.django_db
def test_recommendations_never_include_a_work_the_reader_may_not_see(monkeypatch):
    monkeypatch.setattr(similar, "SHOWN", 20)
    writer, muted_writer, blocked_writer = make_user(), make_user(), make_user()
    secret_writer = make_user("secretwriter")
    moderator = make_user(is_staff=True)
    fans = [make_user() for _ in range(3)]
    work = make_work(writer, title="The Harbour Light", **SHARED)
    kinds = {
        "plain": make_work(writer, **SHARED),
        "restricted": make_work(writer, restricted=True, **SHARED),
        "adult": make_work(writer, rating=EXPLICIT, **SHARED),
        "muted_tag": make_work(
            writer, fandoms=SHARED["fandoms"], freeforms=[*SHARED["freeforms"], "Coffee Shop"]
        ),
        "muted_creator": make_work(muted_writer, **SHARED),
        "blocked_creator": make_work(blocked_writer, **SHARED),
        "anonymous": make_work(secret_writer, anonymous=True, **SHARED),
        "hidden": make_work(writer, **SHARED),
        "unrevealed": make_work(writer, **SHARED),
        "draft": make_work(writer, post=False, **SHARED),
    }
    for fan in fans:
        kudos_give(work=work, user=fan)
        for name, other in kinds.items():
            if name == "draft":  # a draft takes no kudos; rows written as if it had some
                Kudos.objects.create(work=other, user=fan)
            else:
                kudos_give(work=other, user=fan)
    work_set_hidden(user=moderator, work=kinds["hidden"], hidden=True)
    work_collection_state_set(work_id=kinds["unrevealed"].pk, unrevealed=True, anonymous=False)
    # Both signals really do link every one of them to the work.
    assert set(similar.co_readers(work.pk)) == {w.pk for w in kinds.values()}

    picky = make_user()
    mute_tag_add(user=picky, owner=picky, tag_id=Tag.objects.get(name="Coffee Shop").pk)
    mute_creator_add(user=picky, owner=picky, username=muted_writer.username)
    block_create(user=picky, blocked=blocked_writer)
    open_reader = make_user()

    def ids(*names: str) -> set[int]:
        return {kinds[name].pk for name in names}

    everyone = ids("plain", "muted_tag", "muted_creator", "blocked_creator", "anonymous")
    accounts = everyone | ids("restricted")
    for_picky = ids("plain", "restricted", "anonymous")

    # Guests: never restricted works, nor adult ones without "Yes, continue".
    guest = Client()
    assert _offered_on_page(guest, work.pk) == everyone
    assert _offered_by_api(work.pk) == everyone
    assert _offered_by_api(work.pk, adult=True) == everyone | ids("adult")
    # The picky reader's mutes and blocks hold; adult works once they agree.
    picky_client = Client()
    picky_client.force_login(picky)
    assert _offered_on_page(picky_client, work.pk) == for_picky
    session = picky_client.session
    session[ADULT_CONSENT_KEY] = True
    session.save()
    assert _offered_on_page(picky_client, work.pk) == for_picky | ids("adult")
    picky_token = token_create(user=picky, owner=picky, name="t", scope=TokenScope.READ)[1]
    assert _offered_by_api(work.pk, picky_token) == for_picky
    assert _offered_by_api(work.pk, picky_token, adult=True) == for_picky | ids("adult")
    # A reader who muted nothing sees what their account may.
    open_token = token_create(user=open_reader, owner=open_reader, name="t", scope=TokenScope.READ)[
        1
    ]
    assert _offered_by_api(work.pk, open_token, adult=True) == accounts | ids("adult")
    # The anonymous work's blurb names no one.
    html = guest.get(f"/works/{work.pk}/").content.decode()
    assert f'id="work_{kinds["anonymous"].pk}"' in _section(html)
    assert "secretwriter" not in html
    # Its creators' own works are no exception: the draft, hidden and unrevealed stay out.
    writer_client = Client()
    writer_client.force_login(writer)
    assert not _offered_on_page(writer_client, work.pk) & ids("draft", "hidden", "unrevealed")


@pytest.mark.django_db
def test_a_work_the_reader_may_not_see_has_no_list(client: Client):
    work = make_work(restricted=True)
    assert client.get(f"/api/v1/works/{work.pk}/similar").status_code == 401  # as /works/{id}
    assert client.get(f"/api/v1/works/{work.pk}/similar", {"limit": 0}).status_code == 422
    assert client.get(f"/api/v1/works/{work.pk}/similar", {"limit": 10**9}).status_code == 422
    assert client.get(f"/api/v1/works/{work.pk}/similar", {"limit": "five"}).status_code == 422
    assert client.get("/api/v1/works/99999999999999999999/similar").status_code in {404, 422}
    assert client.get("/api/v1/works/99999/similar").status_code == 404


@pytest.mark.django_db
def test_the_list_is_best_first_and_without_the_work():
    work = make_work(freeforms=["Lantern Keepers", "Tide Charts"])
    close = make_work(freeforms=["Lantern Keepers", "Tide Charts"])
    far = make_work(freeforms=["Found Family"])
    co_read = make_work(fandoms=["Another Shore"], characters=["Odd One"], freeforms=["Kites"])
    for _ in range(2):
        fan = make_user()
        kudos_give(work=work, user=fan)
        kudos_give(work=co_read, user=fan)
    found = similar.similar_works(user=make_user(), work_id=work.pk, reader=GUEST_CONTEXT)
    # Every tag shared (0.4) beats two shared readers of two works read by two (0.6 * 0.5),
    # which beats sharing only the common fandom and character.
    assert [w.pk for w in found] == [close.pk, co_read.pk, far.pk]
