"""The collections pages through the real stack: index, create, profile, edit, delete,
participants, managing items, adding a work, a creator's invitations, reporting."""

from __future__ import annotations

import pytest

from fanarchive.collections import item_services
from fanarchive.collections.models import Approval, Collection, CollectionItem
from fanarchive.collections.tests.helpers import make_collection, make_site_moderator
from fanarchive.core.testing import make_user, make_work
from fanarchive.moderation.models import Report

pytestmark = pytest.mark.django_db

FIELDS = {"name": "Harbour_Week", "title": "Harbour Week", "description": "", "rules": ""}


def test_the_index_lists_and_searches(client, user):
    make_collection(user, name="Tide_Fest", title="Tide Fest")
    make_collection(user, name="Quiet_Fest", title="Quiet Fest", closed=True)
    page = client.get("/collections/").content.decode()
    assert "Tide Fest" in page and "Quiet Fest" in page
    page = client.get("/collections/", {"q": "tide"}).content.decode()
    assert "Tide Fest" in page and "Quiet Fest" not in page
    page = client.get("/collections/", {"status": "closed"}).content.decode()
    assert "Quiet Fest" in page and "Tide Fest" not in page


def test_creating_a_collection_from_the_form(client, user):
    assert client.get("/collections/new/").status_code == 302  # log in first
    client.force_login(user)
    response = client.post(
        "/collections/new/",
        {**FIELDS, "description": "<p>Boats<script>alert(1)</script></p>", "moderated": "on"},
    )
    assert response.status_code == 302 and response["Location"] == "/collections/Harbour_Week/"
    collection = Collection.objects.get()
    assert collection.moderated and "script" not in collection.description
    page = client.get("/collections/Harbour_Week/").content.decode()
    assert "Harbour Week" in page and "Boats" in page and "<script>alert" not in page
    assert "/collections/Harbour_Week/works/" in page
    assert f"/report/collection/{collection.pk}/" in page


@pytest.mark.parametrize(
    ("name", "message"),
    [("harbour week", "letters, digits and underscores"), ("x" * 2000, "at most 255")],
)
def test_a_bad_name_gets_a_message_and_nothing_is_made(client, user, name, message):
    client.force_login(user)
    response = client.post("/collections/new/", {**FIELDS, "name": name})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Collection.objects.exists()


def test_only_owners_edit_and_delete(client, user, other_user):
    collection = make_collection(user, title="Tide Fest")
    client.force_login(other_user)
    assert client.get(f"/collections/{collection.name}/edit/").status_code == 403
    assert client.post(f"/collections/{collection.name}/delete/").status_code == 403
    client.force_login(user)
    response = client.post(
        f"/collections/{collection.name}/edit/",
        {**FIELDS, "name": collection.name, "title": "Tide Festival", "closed": "on"},
    )
    assert response.status_code == 302
    collection.refresh_from_db()
    assert collection.title == "Tide Festival" and collection.closed
    assert client.post(f"/collections/{collection.name}/delete/").status_code == 302
    assert not Collection.objects.exists()


def test_joining_and_participants(client, user, other_user):
    collection = make_collection(user)
    client.force_login(other_user)
    client.post(f"/collections/{collection.name}/join/")
    page = client.get(f"/collections/{collection.name}/participants/").content.decode()
    assert other_user.username in page and "Member" in page
    # Not an owner: cannot add people.
    response = client.post(
        f"/collections/{collection.name}/participants/",
        {"username": "nobody", "role": "moderator"},
    )
    assert response.status_code == 403


def test_a_creator_adds_a_work_and_a_closed_collection_says_why(client, user, other_user):
    open_one = make_collection(other_user, title="Open Harbour", moderated=True)
    closed = make_collection(other_user, title="Shut Harbour", closed=True)
    work = make_work(user)
    client.force_login(user)
    assert "Add to collection" in client.get(f"/works/{work.pk}/").content.decode()
    refused = client.post(f"/works/{work.pk}/collections/add/", {"collection": closed.name})
    assert refused.status_code == 400
    assert "Shut Harbour is closed: no new works can be added." in refused.content.decode()
    added = client.post(f"/works/{work.pk}/collections/add/", {"collection": open_one.name})
    assert added.status_code == 302
    item = CollectionItem.objects.get()
    assert item.collection == open_one and item.collection_approval == Approval.UNREVIEWED
    # Someone else cannot add the work.
    client.force_login(make_user("stranger"))
    assert client.get(f"/works/{work.pk}/collections/add/").status_code == 403


def test_moderators_manage_items_and_others_cannot(client, user, other_user):
    collection = make_collection(user, moderated=True)
    work = make_work(other_user, title="The Waiting Boat")
    item = item_services.collection_item_add(user=other_user, collection=collection, work=work)
    client.force_login(other_user)
    assert client.get(f"/collections/{collection.name}/items/").status_code == 403
    url = f"/collections/{collection.name}/items/{item.pk}/approve/"
    assert client.post(url).status_code == 403
    item.refresh_from_db()
    assert item.collection_approval == Approval.UNREVIEWED
    client.force_login(user)
    page = client.get(f"/collections/{collection.name}/items/?status=unreviewed").content.decode()
    assert "The Waiting Boat" in page
    assert client.post(url).status_code == 302
    item.refresh_from_db()
    assert item.collection_approval == Approval.APPROVED
    page = client.get(f"/collections/{collection.name}/").content.decode()
    assert "Works (1)" in page


def test_an_invitation_is_answered_on_the_creators_page(client, user, other_user):
    collection = make_collection(user, title="Lantern Week")
    work = make_work(other_user, title="The Invited Tale")
    client.force_login(user)
    response = client.post(f"/collections/{collection.name}/items/", {"work_id": work.pk})
    assert response.status_code == 302
    item = CollectionItem.objects.get()
    assert item.user_approval == Approval.UNREVIEWED
    assert client.get(f"/users/{other_user.username}/collection-items/").status_code == 403
    client.force_login(other_user)
    page = client.get(f"/users/{other_user.username}/collection-items/").content.decode()
    assert "The Invited Tale" in page and "Lantern Week" in page
    client.post(f"/users/{other_user.username}/collection-items/{item.pk}/", {"answer": "refuse"})
    item.refresh_from_db()
    assert item.user_approval == Approval.REJECTED


def test_a_collection_can_be_reported_from_its_page(client, user):
    collection = make_collection(user, title="Tide Fest", header_text="Welcome, sailors")
    page = client.get(f"/report/collection/{collection.pk}/")
    assert page.status_code == 200
    response = client.post(
        f"/report/collection/{collection.pk}/",
        {"category": "spam", "text": "It advertises shoes.", "email": "guest@example.org"},
    )
    assert response.status_code in (200, 302)
    report = Report.objects.get()
    assert report.snapshot["title"] == "Tide Fest"
    assert "Welcome, sailors" in report.snapshot["text"]
    assert report.subject == user
    client.force_login(make_site_moderator("queue_mod"))
    page = client.get(f"/moderation/reports/{report.reference}/").content.decode()
    assert "Tide Fest" in page
