"""A creator's own bookmark of their anonymous work would name them: until the author
reveal it shows only to them and to moderators (`not_naming_anonymous_creators_q`), in
their bookmarks, the work's and by its id; others' bookmarks of it still show."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_selectors import (
    bookmark_for,
    bookmarks_of_user,
    bookmarks_of_work,
)
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.models import Bookmark
from fanarchive.works.collection_state_services import work_collection_state_set
from fanarchive.works.models import Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def _bookmark(user: User, work: Work) -> Bookmark:
    return bookmark_create(user=user, pseud=user.default_pseud, work=work)


def _moderator() -> User:
    return make_user("tidewarden", is_staff=True)


@pytest.mark.parametrize("how", ["posted anonymously", "in an anonymous collection"])
def test_the_creators_own_bookmark_shows_only_to_them_and_moderators(how):
    writer, reader = make_user("tidewriter"), make_user("tidereader")
    work = make_work(writer, anonymous=how == "posted anonymously")
    if how == "in an anonymous collection":
        work_collection_state_set(work_id=work.pk, unrevealed=False, anonymous=True)
        work.refresh_from_db()
    own, others = _bookmark(writer, work), _bookmark(reader, work)
    for viewer in (AnonymousUser(), reader):
        assert list(bookmarks_of_user(viewer, writer)) == []
        assert list(bookmarks_of_work(viewer, work)) == [others]
        with pytest.raises(Http404):
            bookmark_for(viewer, own.pk)
        assert bookmark_for(viewer, others.pk) == others
    for viewer in (writer, _moderator()):
        assert list(bookmarks_of_user(viewer, writer)) == [own]
        assert set(bookmarks_of_work(viewer, work)) == {own, others}
        assert bookmark_for(viewer, own.pk) == own


def test_once_the_creator_is_revealed_their_bookmark_shows_again():
    writer = make_user("tidewriter")
    work = make_work(writer)
    work_collection_state_set(work_id=work.pk, unrevealed=False, anonymous=True)
    own = _bookmark(writer, work)
    assert list(bookmarks_of_work(AnonymousUser(), work)) == []
    work_collection_state_set(work_id=work.pk, unrevealed=False, anonymous=False)
    assert list(bookmarks_of_user(AnonymousUser(), writer)) == [own]
    assert list(bookmarks_of_work(AnonymousUser(), work)) == [own]


def test_a_creators_bookmark_of_a_named_work_and_of_a_series_still_show():
    writer = make_user("tidewriter")
    work = make_work(writer)
    series = series_create(user=writer, title="Tidewatch")
    series_work_add(user=writer, work=work, series=series)
    own = _bookmark(writer, work)
    of_series = bookmark_create(user=writer, pseud=writer.default_pseud, series=series)
    assert set(bookmarks_of_user(AnonymousUser(), writer)) == {own, of_series}
    assert list(bookmarks_of_work(AnonymousUser(), work)) == [own]
