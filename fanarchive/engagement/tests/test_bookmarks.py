"""Bookmarks: the services' rules, the counts, and the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import Client

from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_selectors import (
    bookmark_counts,
    bookmarks_of_user,
    bookmarks_of_work,
)
from fanarchive.engagement.bookmark_services import (
    NOTES_MAX,
    bookmark_create,
    bookmark_delete,
    bookmark_update,
)
from fanarchive.engagement.models import Bookmark
from fanarchive.tags.models import Tag
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def bookmark(user, work=None, series=None, **kwargs):
    return bookmark_create(user=user, pseud=user.default_pseud, work=work, series=series, **kwargs)


def test_a_bookmark_keeps_notes_tags_and_flags(user, other_user):
    work = make_work(user)
    mark = bookmark(
        other_user,
        work,
        notes="Read this <script>alert(1)</script> at **dawn**",
        tags=["Comfort Read", "comfort read", " Harbours "],
        rec=True,
        private=False,
    )
    assert mark.rec and not mark.private and mark.work == work and mark.series is None
    assert "<script>" not in mark.notes and "Read this" in mark.notes
    assert sorted(tag.name for tag in mark.tags.all()) == ["Comfort Read", "Harbours"]
    assert {tag.type for tag in mark.tags.all()} == {"freeform"}


def test_bookmarker_tags_reuse_existing_tags(user, other_user):
    work = make_work(user, freeforms=["Found Family"])
    mark = bookmark(other_user, work, tags=["found family"])
    assert list(mark.tags.all()) == [Tag.objects.get(name="Found Family", type="freeform")]


def test_one_bookmark_per_user_per_item(user, other_user):
    work = make_work(user)
    bookmark(other_user, work)
    with pytest.raises(ValidationError, match="already bookmarked"):
        bookmark(other_user, work)
    assert Bookmark.objects.count() == 1
    bookmark(user, work)  # the creator may bookmark their own work, as on AO3
    assert Bookmark.objects.count() == 2


def test_bad_input_is_refused_and_changes_nothing(user, other_user):
    work = make_work(user)
    with pytest.raises(ValidationError) as error:
        bookmark(other_user, work, notes="x" * (NOTES_MAX + 1), tags=["a" * 200, "bad,"])
    assert set(error.value.message_dict) == {"notes", "tags"}
    with pytest.raises(ValidationError) as error:
        bookmark_create(user=other_user, pseud=user.default_pseud, work=work)
    assert "pseud" in error.value.message_dict
    with pytest.raises(ValidationError):
        bookmark_create(user=other_user, pseud=other_user.default_pseud)
    with pytest.raises(ValidationError) as error:
        bookmark(other_user, work, tags=[f"tag {n}" for n in range(80)])
    assert "at most 75" in str(error.value)
    assert not Bookmark.objects.exists() and not Tag.objects.filter(name="tag 1").exists()


def test_drafts_hidden_and_restricted_works(user, other_user):
    draft = make_work(user, post=False)
    with pytest.raises(Http404):
        bookmark(other_user, draft)
    with pytest.raises(ValidationError, match="Only posted"):
        bookmark(user, draft)
    hidden = make_work(user)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    with pytest.raises(PermissionDenied):
        bookmark(other_user, hidden)
    restricted = make_work(user, restricted=True)
    assert bookmark(other_user, restricted).work == restricted  # registered users may


def test_series_bookmarks(user, other_user):
    series = series_create(user=user, title="The Long Voyage")
    with pytest.raises(Http404):  # nothing in it to see yet
        bookmark(other_user, series=series)
    series_work_add(user=user, work=make_work(user), series=series)
    mark = bookmark(other_user, series=series, rec=True)
    assert mark.series == series and mark.work is None
    with pytest.raises(ValidationError):
        bookmark(other_user, series=series)


def test_update_and_delete_only_ones_own(user, other_user):
    work = make_work(user)
    mark = bookmark(other_user, work, tags=["Old"])
    pseud = pseud_create(user=other_user, owner=other_user, name="Gull")
    with pytest.raises(ValidationError):
        bookmark_update(
            user=user,
            bookmark=mark,
            pseud=user.default_pseud,
            notes="",
            tags=[],
            private=True,
            rec=False,
        )
    bookmark_update(
        user=other_user,
        bookmark=mark,
        pseud=pseud,
        notes="Better",
        tags=["New"],
        private=True,
        rec=True,
    )
    mark.refresh_from_db()
    assert (mark.pseud, mark.private, mark.rec) == (pseud, True, True)
    assert [t.name for t in mark.tags.all()] == ["New"]
    with pytest.raises(ValidationError):
        bookmark_delete(user=user, bookmark=mark)
    bookmark_delete(user=other_user, bookmark=mark)
    assert not Bookmark.objects.exists()


def test_counts_are_public_bookmarks_and_changes_reach_the_catalogue(user, other_user):
    work = make_work(user)
    quiet = make_work(user)
    third = make_user("third")
    before = CatalogueChange.objects.filter(work_id=work.pk).count()
    bookmark(other_user, work)
    bookmark(third, work, private=True)
    bookmark(user, work)
    assert bookmark_counts([work.pk, quiet.pk]) == {work.pk: 2}
    assert bookmark_counts([]) == {}
    assert CatalogueChange.objects.filter(work_id=work.pk).count() == before + 3


def test_listings_respect_privacy_and_visibility(user, other_user):
    public_work = make_work(user, title="Open Sea")
    restricted = make_work(user, title="Members Only", restricted=True)
    hidden = make_work(user, title="Gone")
    bookmark(other_user, public_work)
    bookmark(other_user, restricted)
    bookmark(other_user, hidden)
    secret = make_work(user, title="Secret")
    bookmark(other_user, secret, private=True)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)

    from django.contrib.auth.models import AnonymousUser

    def titles(viewer):
        return sorted(str(b.work) for b in bookmarks_of_user(viewer, other_user))

    assert titles(other_user) == ["Members Only", "Open Sea", "Secret"]
    assert titles(user) == ["Members Only", "Open Sea"]
    assert titles(AnonymousUser()) == ["Open Sea"]
    assert [b.user for b in bookmarks_of_work(user, secret)] == []


# -- pages ---------------------------------------------------------------------------------


def test_bookmark_from_the_work_page(client: Client, user, other_user):
    work = make_work(user, title="Lanterns")
    client.force_login(other_user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert f"/bookmarks/new/?work={work.pk}" in page
    form = client.get(f"/bookmarks/new/?work={work.pk}")
    assert form.status_code == 200 and "Lanterns" in form.content.decode()
    response = client.post(
        "/bookmarks/new/",
        {
            "work": work.pk,
            "pseud": other_user.default_pseud.pk,
            "notes": "So good",
            "tags": "Cosy, Sea",
            "rec": "on",
        },
    )
    assert response.status_code == 302
    mark = Bookmark.objects.get()
    assert mark.rec and not mark.private and mark.user == other_user
    listing = client.get(f"/users/{other_user.username}/bookmarks/").content.decode()
    assert "Lanterns" in listing and "Cosy" in listing and "Rec" in listing
    # Now the work page offers to edit it, and a second "new" goes to the edit form.
    assert f"/bookmarks/{mark.pk}/edit/" in client.get(work.get_absolute_url()).content.decode()
    assert client.get(f"/bookmarks/new/?work={work.pk}")["Location"] == (
        f"/bookmarks/{mark.pk}/edit/"
    )


def test_the_bookmark_form_shows_errors_and_saves_nothing(client: Client, user, other_user):
    work = make_work(user)
    client.force_login(other_user)
    response = client.post(
        "/bookmarks/new/",
        {"work": work.pk, "pseud": other_user.default_pseud.pk, "tags": "a" * 200},
    )
    assert response.status_code == 200
    assert "too long" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_edit_and_delete_pages(client: Client, user, other_user):
    work = make_work(user)
    mark = bookmark(other_user, work, tags=["Old"])
    client.force_login(user)
    assert client.get(f"/bookmarks/{mark.pk}/edit/").status_code == 403
    assert client.post(f"/bookmarks/{mark.pk}/delete/").status_code == 403
    client.force_login(other_user)
    response = client.post(
        f"/bookmarks/{mark.pk}/edit/",
        {"pseud": other_user.default_pseud.pk, "notes": "", "tags": "New", "private": "on"},
    )
    assert response.status_code == 302
    mark.refresh_from_db()
    assert mark.private and [t.name for t in mark.tags.all()] == ["New"]
    asked = client.get(f"/bookmarks/{mark.pk}/delete/")  # a question first, deleting nothing
    assert asked.status_code == 200 and Bookmark.objects.filter(pk=mark.pk).exists()
    assert client.post(f"/bookmarks/{mark.pk}/delete/").status_code == 302
    assert not Bookmark.objects.exists()


def test_series_page_offers_a_bookmark(client: Client, user, other_user):
    series = series_create(user=user, title="Voyages")
    series_work_add(user=user, work=make_work(user), series=series)
    client.force_login(other_user)
    page = client.get(series.get_absolute_url()).content.decode()
    assert f"/bookmarks/new/?series={series.pk}" in page
    client.post("/bookmarks/new/", {"series": series.pk, "pseud": other_user.default_pseud.pk})
    assert Bookmark.objects.get().series == series
    assert "Voyages" in client.get(f"/users/{other_user.username}/bookmarks/").content.decode()


def test_private_bookmarks_only_on_the_owners_page(client: Client, user, other_user):
    bookmark(other_user, make_work(user, title="Hidden Cove"), private=True)
    bookmark(other_user, make_work(user, title="Open Bay"))
    client.force_login(user)
    page = client.get(f"/users/{other_user.username}/bookmarks/").content.decode()
    assert "Open Bay" in page and "Hidden Cove" not in page
    client.force_login(other_user)
    page = client.get(f"/users/{other_user.username}/bookmarks/").content.decode()
    assert "Open Bay" in page and "Hidden Cove" in page and "Private" in page


def test_work_bookmarks_page_follows_the_works_visibility(client: Client, user, other_user):
    restricted = make_work(user, title="Members", restricted=True)
    bookmark(other_user, restricted, notes="Lovely")
    response = client.get(f"/works/{restricted.pk}/bookmarks/")
    assert response.status_code == 302 and "/login/" in response["Location"]
    page = client.get(f"/users/{other_user.username}/bookmarks/").content.decode()
    assert "Members" not in page  # guests never see bookmarks of restricted works
    client.force_login(user)
    page = client.get(f"/works/{restricted.pk}/bookmarks/").content.decode()
    assert "Lovely" in page and "1 public bookmark" in page
    draft = make_work(user, post=False)
    client.force_login(other_user)
    assert client.get(f"/works/{draft.pk}/bookmarks/").status_code == 404


def test_guests_are_sent_to_log_in_to_bookmark(client: Client, user):
    work = make_work(user)
    response = client.get(f"/bookmarks/new/?work={work.pk}")
    assert response.status_code == 302 and "login" in response["Location"]
    assert "/bookmarks/new/" not in client.get(work.get_absolute_url()).content.decode()
