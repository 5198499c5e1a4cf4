"""An unrevealed collection's works stay hidden, an anonymous one's creators unnamed, on
the pages readers reach, until the reveals."""

from __future__ import annotations

import pytest

from fanarchive.collections import item_services
from fanarchive.collections.tests.helpers import make_collection, make_site_moderator
from fanarchive.core.testing import make_user, make_work
from fanarchive.formats.selectors import exportable_works
from fanarchive.tags.models import Tag
from fanarchive.works.models import Gift
from fanarchive.works.selectors import PUBLIC, byline_for
from fanarchive.works.tag_count_services import tags_recount

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange(user, other_user):
    """`other_user` wrote a gift for `giftee` in `user`'s unrevealed, anonymous exchange."""
    collection = make_collection(user, unrevealed=True, anonymous=True)
    work = make_work(other_user, title="The Secret Lantern")
    giftee = make_user("giftee")
    Gift.objects.create(work=work, pseud=giftee.default_pseud)
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    return collection, work, giftee


def _sees(client, url, text):
    response = client.get(url)
    return response.status_code == 200 and text in response.content.decode()


def test_an_unrevealed_work_is_hidden_from_guests_readers_and_its_recipient(
    client, exchange, other_user
):
    collection, work, giftee = exchange
    reader = make_user("curious_reader")
    for viewer in (None, reader, giftee):
        client.logout()
        if viewer is not None:
            client.force_login(viewer)
        assert client.get(f"/works/{work.pk}/").status_code == 404
        assert not _sees(client, f"/users/{other_user.username}/", "The Secret Lantern")
        page = client.get(collection.get_absolute_url()).content.decode()
        assert "Works (0)" in page


def test_an_unrevealed_work_is_not_in_the_works_index(client, exchange):
    _collection, _work, giftee = exchange
    assert not _sees(client, "/works/", "The Secret Lantern")
    client.force_login(giftee)
    assert not _sees(client, "/works/", "The Secret Lantern")


def test_an_unrevealed_work_is_seen_by_its_creator_and_site_moderators(
    client, exchange, other_user
):
    _collection, work, _giftee = exchange
    client.force_login(other_user)
    assert _sees(client, f"/works/{work.pk}/", "This work is not revealed yet")
    client.force_login(make_site_moderator("site_mod"))
    assert _sees(client, f"/works/{work.pk}/", "The Secret Lantern")


def test_after_the_reveal_the_work_shows_but_its_creator_stays_anonymous(
    client, exchange, user, other_user
):
    collection, work, giftee = exchange
    item_services.collection_reveal(user=user, collection=collection)
    work.refresh_from_db()
    client.force_login(giftee)
    page = client.get(f"/works/{work.pk}/").content.decode()
    assert "The Secret Lantern" in page and "Anonymous" in page
    assert other_user.username not in page.split("<main", 1)[-1].split("</main>")[0]
    assert byline_for(work, PUBLIC).text == "Anonymous"
    assert _sees(client, "/works/", "The Secret Lantern")
    assert "Works (1)" in client.get(collection.get_absolute_url()).content.decode()

    item_services.collection_reveal_authors(user=user, collection=collection)
    work.refresh_from_db()
    assert byline_for(work, PUBLIC).text == other_user.default_pseud.byline


def test_an_anonymous_collection_work_is_by_anonymous_to_others(client, user, other_user):
    collection = make_collection(user, anonymous=True)
    work = make_work(other_user, title="The Nameless Tide")
    item_services.collection_item_add(user=other_user, collection=collection, work=work)
    work.refresh_from_db()
    assert byline_for(work, PUBLIC).text == "Anonymous"
    reader = make_user("another_reader")
    client.force_login(reader)
    page = client.get(f"/works/{work.pk}/").content.decode()
    main = page.split("<main", 1)[-1].split("</main>")[0]
    assert "The Nameless Tide" in main and "Anonymous" in main
    assert other_user.username not in main
    # Not listed as theirs on the creator's profile for others.
    assert not _sees(client, f"/users/{other_user.username}/", "The Nameless Tide")
    client.force_login(other_user)
    own = client.get(f"/works/{work.pk}/").content.decode()
    assert other_user.default_pseud.byline in own


def test_tag_counts_leave_out_unrevealed_works(exchange):
    _collection, work, _giftee = exchange
    tags_recount()
    fandom = Tag.objects.get(name="Harbour Tales")
    assert fandom.use_count == 0
    assert work.pk not in exportable_works()
