"""What an anonymous collection keeps to itself until its author reveal: the members who
take part (`selectors.participants_for`) and its creators' own bookmarks of their works
listed in it (`listing_selectors.collection_bookmarks`)."""

from __future__ import annotations

from collections.abc import Iterable

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fanarchive.collections import item_services
from fanarchive.collections.listing_selectors import collection_bookmarks
from fanarchive.collections.models import CollectionParticipant
from fanarchive.collections.selectors import participants_for
from fanarchive.collections.services import collection_join
from fanarchive.collections.tests.helpers import make_collection, make_site_moderator
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create

pytestmark = pytest.mark.django_db


def _usernames(participants: Iterable[CollectionParticipant]) -> set[str]:
    return {p.pseud.user.username for p in participants}


def test_an_anonymous_collections_members_are_private_until_the_author_reveal(client):
    owner, writer, member = make_user("runner"), make_user("tidewriter"), make_user("peer")
    masked = make_collection(owner, anonymous=True)
    for user in (writer, member):
        collection_join(user=user, collection=masked)
    assert _usernames(participants_for(AnonymousUser(), masked)) == {"runner"}
    assert _usernames(participants_for(member, masked)) == {"runner", "peer"}
    everyone = {"runner", "tidewriter", "peer"}
    assert _usernames(participants_for(owner, masked)) == everyone
    assert _usernames(participants_for(make_site_moderator("warden"), masked)) == everyone
    page = client.get(reverse("collections:participants", args=[masked.name]))
    assert page.status_code == 200 and "tidewriter" not in page.content.decode()
    item_services.collection_reveal_authors(user=owner, collection=masked)
    masked.refresh_from_db()
    assert _usernames(participants_for(AnonymousUser(), masked)) == everyone
    page = client.get(reverse("collections:participants", args=[masked.name]))
    assert "tidewriter" in page.content.decode()


def test_an_open_collections_members_are_listed_to_all():
    owner, member = make_user("runner"), make_user("peer")
    collection = make_collection(owner)
    collection_join(user=member, collection=collection)
    assert _usernames(participants_for(AnonymousUser(), collection)) == {"runner", "peer"}


def test_the_creators_own_bookmark_in_the_collection_waits_for_the_author_reveal():
    owner, writer, reader = make_user("runner"), make_user("tidewriter"), make_user("reader")
    masked = make_collection(owner, anonymous=True)
    work = make_work(writer, collections=[masked.name])
    own = bookmark_create(user=writer, pseud=writer.default_pseud, work=work)
    others = bookmark_create(user=reader, pseud=reader.default_pseud, work=work)
    for bookmark in (own, others):
        item_services.collection_bookmark_add(
            user=bookmark.user, collection=masked, bookmark=bookmark
        )
    assert list(collection_bookmarks(AnonymousUser(), masked)) == [others]
    assert list(collection_bookmarks(reader, masked)) == [others]
    assert set(collection_bookmarks(writer, masked)) == {own, others}
    item_services.collection_reveal_authors(user=owner, collection=masked)
    assert set(collection_bookmarks(AnonymousUser(), masked)) == {own, others}
