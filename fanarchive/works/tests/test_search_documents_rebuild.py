"""`search_documents_rebuild` (reindex --search, restore) writes exactly the documents
`search_document_refresh` writes one by one, in a few queries per batch."""

from __future__ import annotations

from typing import Any

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.models import Tag
from fanarchive.works import catalogue_services
from fanarchive.works.catalogue_models import SearchDocument
from fanarchive.works.catalogue_services import search_document_refresh, search_documents_rebuild
from fanarchive.works.creator_services import creator_invite, invitation_accept
from fanarchive.works.models import CreatorInvitation, Work
from fanarchive.wrangling.services import tag_add_metatag, tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db

FIELDS = ("work_id", "title", "creators", "tags", "summary", "notes", "body")


def _tag(name: str) -> Tag:
    return Tag.objects.get(name=name)


def _documents() -> list[tuple[Any, ...]]:
    return list(SearchDocument.objects.order_by("work_id").values_list(*FIELDS))


@pytest.fixture
def archive() -> list[int]:
    admin = make_user("rebuild_admin", is_staff=True)
    writer, friend = make_user("rebuild_writer"), make_user("rebuild_friend")
    shared = make_work(writer, title="Two Hands", chapters=3, notes="<p>Begun at sea.</p>")
    invited = creator_invite(user=writer, work=shared, pseud_name="rebuild_friend")
    if isinstance(invited, CreatorInvitation):
        invitation_accept(user=friend, invitation=invited)
    make_work(writer, title="Nobody's", anonymous=True, fandoms=["Lantern (Books)"])
    make_work(writer, title="Synonyms", characters=["Mira"], freeforms=["Tea & Toast"])
    make_work(friend, title="Unposted", post=False)
    make_work(friend, title="Plain")
    tag_set_canonical(user=admin, tag=_tag("Mira Vale"), canonical=True)
    tag_make_synonym(user=admin, tag=_tag("Mira"), canonical=_tag("Mira Vale"))
    for name in ("Lantern (Books)", "Lantern Isles"):
        make_work(friend, title=f"Under {name}", fandoms=[name])
        tag_set_canonical(user=admin, tag=_tag(name), canonical=True)
    tag_add_metatag(user=admin, tag=_tag("Lantern (Books)"), metatag=_tag("Lantern Isles"))
    return list(Work.objects.order_by("pk").values_list("pk", flat=True))


def test_the_batch_writes_the_documents_written_one_by_one(archive, monkeypatch):
    for work_id in archive:
        search_document_refresh(work_id=work_id)
    one_by_one = _documents()
    assert any("Lantern Isles" in tags for _, _, _, tags, *_ in one_by_one)  # a metatag
    SearchDocument.objects.all().delete()
    monkeypatch.setattr(catalogue_services, "REBUILD_BATCH", 3)  # several batches
    search_documents_rebuild(work_ids=archive)
    assert _documents() == one_by_one
    assert len(one_by_one) == len(archive) - 1  # not the draft


def test_stale_documents_are_replaced_and_unposted_ones_removed(archive):
    draft = Work.objects.get(title="Unposted")
    SearchDocument.objects.create(work_id=draft.pk, title="stale")
    SearchDocument.objects.filter(work__title="Plain").update(title="stale", body="old")
    search_documents_rebuild(work_ids=archive)
    assert not SearchDocument.objects.filter(work_id=draft.pk).exists()
    assert SearchDocument.objects.get(work__title="Plain").title == "Plain"


def test_a_batch_costs_the_same_few_queries_however_many_works(
    archive, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        search_documents_rebuild(work_ids=archive)
