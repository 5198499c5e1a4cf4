"""Muting a creator does not hide their works that name nobody (posted anonymously, or in
an anonymous collection before the author reveal): hiding them would tell the muter whose
they are (`muted_works_q`, as the index does)."""

from __future__ import annotations

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.selectors import unmuted_works
from fanarchive.discovery.services import mute_creator_add
from fanarchive.works.collection_state_services import work_collection_state_set

pytestmark = pytest.mark.django_db


def test_a_muted_creators_work_in_an_anonymous_collection_still_lists():
    writer, reader = make_user("tidewriter"), make_user("tidereader")
    named = make_work(writer, title="Named Tide")
    posted_anonymously = make_work(writer, title="Quiet Tide", anonymous=True)
    in_anonymous_collection = make_work(writer, title="Masked Tide")
    work_collection_state_set(work_id=in_anonymous_collection.pk, unrevealed=False, anonymous=True)
    mute_creator_add(user=reader, owner=reader, username=writer.username)
    listed = set(unmuted_works(reader).values_list("pk", flat=True))
    assert listed == {posted_anonymously.pk, in_anonymous_collection.pk}
    assert named.pk not in listed
    # After the author reveal it is theirs by name, and muted like the rest.
    work_collection_state_set(work_id=in_anonymous_collection.pk, unrevealed=False, anonymous=False)
    assert set(unmuted_works(reader).values_list("pk", flat=True)) == {posted_anonymously.pk}
