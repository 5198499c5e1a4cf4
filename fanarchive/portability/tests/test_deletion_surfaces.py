"""After an account is deleted through its page, its works are orphaned or gone on every
surface: listings and their counts, a tag page, search, feeds, the API, the creator's
profile, another reader's bookmarks, series, a collection's works page and feed;
co-created works stay with the other creator, gifts to the account go to nobody, its
comments show "(deleted account)" or are gone, its API tokens and its other sessions stop
working."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.api.services import token_create
from fanarchive.collections.models import Collection
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import PASSWORD, make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Comment
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.creator_services import creator_invite
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db

TITLE = "Quietharbour Lanterns"
SHARED = "Twinbeacon Crossing"
DRAFT = "Unfinishedmooring Notes"
PARTNERS = "Partnerquay Evenings"
COMMENT = "Whistlingbuoy thoughts on chapter one."


@dataclass
class World:
    writer: User
    partner: User
    reader: User
    work: Work
    shared: Work
    draft: Work
    partners: Work
    series: Series
    fest: Collection
    fandom: Tag
    comment: Comment
    token: str
    writer_elsewhere: Client  # the writer, logged in in another browser


def _world() -> World:
    writer = make_user("writer")
    partner = make_user("partner")
    reader = make_user("reader")
    partner.preference.accept_cocreator_invitations = True
    partner.preference.save()
    fest = make_collection(partner)
    work = make_work(writer, title=TITLE, fandoms=["Harbour Tales"], collections=[fest.name])
    shared = make_work(writer, title=SHARED, fandoms=["Harbour Tales"])
    creator_invite(user=writer, work=shared, pseud_name="partner")
    draft = make_work(writer, title=DRAFT, post=False)
    partners = make_work(partner, title=PARTNERS, fandoms=["Lighthouse Songs"], gifts=["writer"])
    series = series_create(user=writer, title="Harbour Stories")
    series_work_add(user=writer, work=work, series=series)
    bookmark_create(user=reader, pseud=reader.default_pseud, work=work, notes="Lovely.")
    comment = comment_create(chapter=partners.chapters.get(), user=writer, text=COMMENT)
    _, token = token_create(user=writer, owner=writer, name="my app", scope="read")
    elsewhere = Client()
    elsewhere.force_login(writer)
    return World(
        writer=writer,
        partner=partner,
        reader=reader,
        work=work,
        shared=shared,
        draft=draft,
        partners=partners,
        series=series,
        fest=fest,
        fandom=Tag.objects.get(name="Harbour Tales", type=TagType.FANDOM),
        comment=comment,
        token=token,
        writer_elsewhere=elsewhere,
    )


def _delete_through_the_page(client: Client, world: World, works: str, comments: str) -> None:
    client.force_login(world.writer)
    page = client.get(reverse("portability:delete", args=["writer"]))
    assert page.status_code == 200
    response = client.post(
        reverse("portability:delete", args=["writer"]),
        {"works": works, "comments": comments, "password": PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert not User.objects.filter(username="writer").exists()


def _text(client: Client, url: str, status: int = 200, **headers: str) -> str:
    response = client.get(url, headers=headers)
    assert response.status_code == status, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("works", "byline"),
    [("orphan", "orphan_account"), ("orphan_keep_pseuds", "writer (orphan_account)")],
)
def test_orphaned_works_on_every_surface(client: Client, works: str, byline: str) -> None:
    world = _world()
    _delete_through_the_page(client, world, works, "keep")
    guest = Client()
    tag_works = reverse("tags:works", args=[world.fandom.pk])
    for url in (
        reverse("works:list"),
        tag_works,
        f"{reverse('works:list')}?q=Quietharbour",
        reverse("discovery:tag_feed", args=[world.fandom.pk]),
        reverse("works:series", args=[world.series.pk]),
        reverse("social:user_bookmarks", args=["reader"]),
        reverse("collection_listing:works", args=[world.fest.name]),
    ):
        page = _text(guest, url)
        assert TITLE in page, url
        assert byline in page, url
        if works == "orphan":
            assert "writer" not in page.replace(world.writer.email, ""), url
    assert "2 Works in" in _text(guest, tag_works)
    api = guest.get("/api/v1/works?limit=100").json()
    bylines = {item["title"]: [c["byline"] for c in item["creators"]] for item in api["items"]}
    assert bylines[TITLE] == [byline]
    assert bylines[SHARED] == ["partner"]
    _text(guest, reverse("accounts:profile", args=["writer"]), status=404)


def test_deleted_works_on_every_surface(client: Client) -> None:
    world = _world()
    _delete_through_the_page(client, world, "delete", "delete")
    guest = Client()
    tag_works = reverse("tags:works", args=[world.fandom.pk])
    for url in (
        reverse("works:list"),
        tag_works,
        f"{reverse('works:list')}?q=Quietharbour",
        reverse("discovery:tag_feed", args=[world.fandom.pk]),
        reverse("discovery:works_feed"),
        reverse("social:user_bookmarks", args=["reader"]),
        "/api/v1/works?limit=100",
        "/api/v1/works?q=Quietharbour",
        reverse("collection_listing:works", args=[world.fest.name]),
        reverse("collection_listing:works_feed", args=[world.fest.name]),
    ):
        page = _text(guest, url)
        assert TITLE not in page, url
        assert DRAFT not in page, url
    assert "1 Work in" in _text(guest, tag_works)
    assert SHARED in _text(guest, tag_works)
    assert not Work.objects.filter(pk__in=[world.work.pk, world.draft.pk]).exists()
    _text(guest, reverse("works:series", args=[world.series.pk]), status=404)
    _text(guest, reverse("works:detail", args=[world.work.pk]), status=404)
    _text(guest, reverse("accounts:profile", args=["writer"]), status=404)
    _text(guest, "/api/v1/users/writer/works", status=404)


@pytest.mark.parametrize("works", ["orphan", "delete"])
def test_co_created_work_stays_with_the_other_creator(client: Client, works: str) -> None:
    world = _world()
    _delete_through_the_page(client, world, works, "keep")
    page = _text(Client(), reverse("works:detail", args=[world.shared.pk]))
    page = page.split("More like this")[0]  # the work itself, not the other works it suggests
    assert SHARED in page
    assert "partner" in page
    assert "orphan_account" not in page
    assert [p.byline for p in Work.objects.get(pk=world.shared.pk).pseuds.all()] == ["partner"]


def test_gift_becomes_a_gift_to_nobody(client: Client) -> None:
    world = _world()
    assert "writer" in _text(Client(), reverse("works:detail", args=[world.partners.pk]))
    _delete_through_the_page(client, world, "orphan", "delete")
    page = _text(Client(), reverse("works:detail", args=[world.partners.pk]))
    assert PARTNERS in page
    assert "writer" not in page
    assert world.partners.gifts.count() == 0


def test_kept_comments_show_deleted_account(client: Client) -> None:
    world = _world()
    _delete_through_the_page(client, world, "orphan", "keep")
    page = _text(Client(), reverse("works:detail", args=[world.partners.pk]))
    assert COMMENT in page
    assert "(deleted account)" in page
    assert "(Guest)" not in page
    chapter = world.partners.chapters.get()
    api = Client().get(f"/api/v1/works/{world.partners.pk}/chapters/{chapter.pk}/comments").json()
    (item,) = api["items"]
    assert item["author"] is None and item["guest_name"] is None and item["author_deleted"]


def test_deleted_comments_are_gone(client: Client) -> None:
    world = _world()
    _delete_through_the_page(client, world, "orphan", "delete")
    page = _text(Client(), reverse("works:detail", args=[world.partners.pk]))
    assert COMMENT not in page
    assert not Comment.objects.filter(pk=world.comment.pk).exists()


def test_tokens_and_other_sessions_stop_working(client: Client) -> None:
    world = _world()
    headers = {"Authorization": f"Bearer {world.token}"}
    assert Client().get("/api/v1/me", headers=headers).status_code == 200
    own = reverse("social:user_bookmarks", args=["writer"])
    assert world.writer_elsewhere.get(own).status_code == 200
    _delete_through_the_page(client, world, "orphan", "keep")
    assert Client().get("/api/v1/me", headers=headers).status_code == 401
    assert not world.writer_elsewhere.get("/").wsgi_request.user.is_authenticated
    assert not client.get("/").wsgi_request.user.is_authenticated
