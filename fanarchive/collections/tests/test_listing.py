"""A collection's works page (the `/works/` listing scoped to it), bookmarks and feed, and
posting or editing a work into collections, through the real stack."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fanarchive.api.tests.conftest import api_as
from fanarchive.collections import item_services
from fanarchive.collections.models import CollectionItem
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import Bookmark
from fanarchive.works.models import Gift, Work
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db


def _works_url(collection):
    return reverse("collection_listing:works", args=[collection.name])


def test_the_works_page_lists_only_the_collections_works_with_facets(client, user, other_user):
    fest = make_collection(user)
    inside = make_work(other_user, title="Inside Lantern", collections=[fest.name])
    make_work(other_user, title="Elsewhere Lantern", fandoms=["Other Shores"])
    make_work(
        other_user, title="Inside Skyward", fandoms=["Skyward"], collections=[fest.name.upper()]
    )
    page = client.get(_works_url(fest)).content.decode()
    assert "2 Works in" in page and fest.title in page
    assert "Inside Lantern" in page and "Inside Skyward" in page
    assert "Elsewhere Lantern" not in page
    # Facet counts count the collection's works only.
    assert "Other Shores" not in page and "Skyward" in page
    # Every filter of /works/ applies inside the collection.
    skyward = inside.tags.get(name="Harbour Tales")
    filtered = client.get(_works_url(fest), {"exclude": skyward.pk}).content.decode()
    assert "1 Work in" in filtered and "Inside Skyward" in filtered
    assert "Inside Lantern" not in filtered
    assert CollectionItem.objects.filter(collection=fest).count() == 2


def test_a_parent_lists_its_sub_collections_works(client, user, other_user):
    parent = make_collection(user)
    child = make_collection(user, parent=parent)
    make_work(other_user, title="Child Lantern", collections=[child.name])
    assert "Child Lantern" in client.get(_works_url(parent)).content.decode()
    assert "Child Lantern" in client.get(_works_url(child)).content.decode()


def test_an_unknown_collection_is_404(client):
    assert client.get("/collections/no_such_fest/works/").status_code == 404
    assert client.get("/collections/no_such_fest/bookmarks/").status_code == 404
    assert client.get("/collections/no_such_fest/works/feed/").status_code == 404


def test_counts_never_reveal_an_unrevealed_work(client, user, other_user):
    exchange = make_collection(user, unrevealed=True)
    open_fest = make_collection(user)
    make_work(
        other_user,
        title="Secret Lantern",
        fandoms=["Hidden Shores"],
        collections=[exchange.name, open_fest.name],
    )
    make_work(other_user, title="Plain Lantern", collections=[open_fest.name])
    for viewer in (None, make_user("nosy_reader"), other_user):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        for url in (_works_url(exchange), _works_url(open_fest), "/works/"):
            page = client.get(url).content.decode()
            assert "Secret Lantern" not in page and "Hidden Shores" not in page
        feed = client.get(reverse("collection_listing:works_feed", args=[open_fest.name]))
        assert b"Secret Lantern" not in feed.content and b"Plain Lantern" in feed.content
    assert "0 Works in" in client.get(_works_url(exchange)).content.decode()


def test_the_feed_is_the_collections_newest_works(client, user, other_user):
    fest = make_collection(user)
    make_work(other_user, title="Feed Lantern", collections=[fest.name])
    make_work(other_user, title="Stray Lantern")
    response = client.get(reverse("collection_listing:works_feed", args=[fest.name]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "Feed Lantern" in body and "Stray Lantern" not in body and fest.title in body
    bad = client.get(
        reverse("collection_listing:works_feed", args=[fest.name]), {"words_from": "x"}
    )
    assert bad.status_code == 400


def test_the_bookmarks_page_lists_visible_bookmarks_of_the_collection(client, user, other_user):
    fest = make_collection(user)
    shown = make_work(other_user, title="Bookmarked Lantern")
    hidden = make_work(other_user, title="Restricted Lantern", restricted=True)
    for work in (shown, hidden):
        bookmark = Bookmark.objects.create(
            user=user, pseud=user.default_pseud, work=work, notes="Lovely."
        )
        item_services.collection_bookmark_add(user=user, collection=fest, bookmark=bookmark)
    url = reverse("collection_listing:bookmarks", args=[fest.name])
    page = client.get(url).content.decode()
    assert "1 Bookmark in" in page and "Bookmarked Lantern" in page
    assert "Restricted Lantern" not in page
    client.force_login(make_user("member_reader"))
    assert "Restricted Lantern" in client.get(url).content.decode()


# -- posting and editing into collections -------------------------------------------------


def test_the_posting_form_adds_the_work_to_collections(user_client, user):
    fest = make_collection(user)
    response = user_client.post(
        reverse("works:new"), post_data(collections=f"{fest.name}, {fest.name}")
    )
    work = Work.objects.get()
    assert response.status_code == 302
    assert list(CollectionItem.objects.filter(work=work).values_list("collection", flat=True)) == [
        fest.pk
    ]
    assert "The Eighth Boat" in user_client.get(_works_url(fest)).content.decode()


@pytest.mark.parametrize("closed", [True, False])
def test_a_closed_or_unknown_collection_refuses_the_post_and_keeps_nothing(
    user_client, user, closed
):
    fest = make_collection(user, closed=True)
    named = fest.name if closed else "no_such_fest"
    response = user_client.post(reverse("works:new"), post_data(collections=named))
    assert response.status_code == 200
    page = response.content.decode()
    assert ("is closed" in page) if closed else ("There is no collection" in page)
    assert not Work.objects.exists() and not CollectionItem.objects.exists()


def test_too_many_collections_are_refused(user_client):
    names = ", ".join(f"fest_{n}" for n in range(30))
    response = user_client.post(reverse("works:new"), post_data(collections=names))
    assert "at most 20 collections" in response.content.decode()
    assert not Work.objects.exists()


def test_editing_adds_keeps_and_removes_collections(user_client, user):
    first, second, third = make_collection(user), make_collection(user), make_collection(user)
    work = make_work(user, collections=[first.name, second.name])
    edit = reverse("works:edit", args=[work.pk])
    form = user_client.get(edit).content.decode()
    assert first.name in form and second.name in form
    data = post_data(collections=f"{second.name}, {third.name}")
    for key in ("chapter_title", "text", "text_format", "post"):
        data.pop(key)
    data["expected_chapters"] = "1"
    response = user_client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    names = set(CollectionItem.objects.filter(work=work).values_list("collection__name", flat=True))
    assert names == {second.name, third.name}


def test_a_gift_in_an_unrevealed_collection_is_not_announced_at_posting(user, other_user):
    exchange = make_collection(user, unrevealed=True)
    work = make_work(other_user, gifts=[user.default_pseud.name], collections=[exchange.name])
    work.refresh_from_db()
    assert work.unrevealed
    assert not Gift.objects.get(work=work).notified


def test_the_api_takes_collections(user):
    fest = make_collection(user)
    closed = make_collection(user, closed=True)
    api = api_as(user)
    body = {
        "title": "API Lantern",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Harbour Tales"],
        "chapters": [{"text": "The lantern swung all night long.", "text_format": "plain"}],
    }
    refused = api.post("/api/v1/works", {**body, "collections": [closed.name]})
    assert refused.status_code in (400, 422) and "is closed" in refused.content.decode()
    assert not Work.objects.exists()
    made = api.post("/api/v1/works", {**body, "collections": [fest.name]})
    assert made.status_code == 201
    work = Work.objects.get()
    assert CollectionItem.objects.filter(work=work, collection=fest).exists()
    patched = api.patch(f"/api/v1/works/{work.pk}", {"title": "API Lantern Again"})
    assert patched.status_code == 200
    assert CollectionItem.objects.filter(work=work).exists()  # not sent: unchanged
    emptied = api.patch(f"/api/v1/works/{work.pk}", {"collections": []})
    assert emptied.status_code == 200
    assert not CollectionItem.objects.filter(work=work).exists()


def test_approving_and_removing_items_reach_the_works_page_at_once(client, user, other_user):
    """Membership changes that leave the work's flags alone still reach the index."""
    fest = make_collection(user, moderated=True)
    work = make_work(other_user, title="Waiting Lantern")
    item = item_services.collection_item_add(user=other_user, collection=fest, work=work)
    assert "Waiting Lantern" not in client.get(_works_url(fest)).content.decode()
    item_services.collection_item_approve(user=user, item=item)
    assert "Waiting Lantern" in client.get(_works_url(fest)).content.decode()
    item_services.collection_item_remove(user=user, item=CollectionItem.objects.get(pk=item.pk))
    assert "Waiting Lantern" not in client.get(_works_url(fest)).content.decode()
