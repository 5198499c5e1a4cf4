"""The site as a reader meets it (issue 18's listed defects), through the real stack:
search in every page's header, the sort box after a search, passages inside their
work's blurb, the inbox's comments, blurbs in history, asking before a bookmark goes,
the adult-content page's tags, the account page's groups, role links in the header,
tag pages' wording, and one h1 on every page."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from fanarchive.challenges.models import Assignment, ChallengeKind
from fanarchive.challenges.tests.factories import make_challenge, make_signup
from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.history_services import history_record
from fanarchive.engagement.models import Bookmark
from fanarchive.tags.fixed import EXPLICIT
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import WRANGLERS_GROUP

pytestmark = pytest.mark.django_db


def h1_count(html: str) -> int:
    return len(re.findall(r"<h1[\s>]", html))


def test_every_page_has_the_header_search_going_to_the_works_search(client: Client, user):
    for url in ("/", reverse("works:list"), reverse("accounts:login"), "/no-such-page/"):
        page = client.get(url).content.decode()
        assert '<form method="get" action="/works/" class="header-search" role="search">' in page
        assert '<label for="header-search-q" class="visually-hidden">Search works</label>' in page
        assert 'name="q" id="header-search-q"' in page
    make_work(user, title="Ferry at Dawn", texts=["The ferry left before the gulls woke."])
    found = client.get(reverse("works:list"), {"q": "gulls"}).content.decode()
    assert "Ferry at Dawn" in found and "found for “gulls”" in found


def test_a_search_shows_best_match_in_the_sort_box_and_passages_inside_their_blurb(
    client: Client, user
):
    work = make_work(user, title="Salt Road", texts=["A lantern hung over the salt road."])
    make_work(user, title="Other Road", texts=["Nothing to see on this road."])
    page = client.get(reverse("works:list"), {"q": "lantern"}).content.decode()
    assert '<option value="relevance" selected>Best match</option>' in page
    assert '<option value="updated" selected>' not in page
    blurb = re.search(
        rf'<li class="blurb work" id="work_{work.pk}".*?</li>\s*(?=<li class="blurb|</ol>)',
        page,
        re.S,
    )
    assert blurb is not None
    assert "<mark>lantern</mark>" in blurb.group(0)  # the passage sits inside its own blurb
    assert '<li class="snippet' not in page
    # Without a search the box says the listing's own order.
    plain = client.get(reverse("works:list")).content.decode()
    assert '<option value="updated" selected>Date updated</option>' in plain
    titled = client.get(reverse("works:list"), {"q": "lantern", "sort": "title"}).content.decode()
    assert '<option value="title" selected>Title</option>' in titled


def test_inbox_shows_the_comment_it_offers_a_reply_to(client: Client, user, other_user):
    work = make_work(user, title="Gull Song")
    comment_create(
        chapter=work.chapters.get(),
        user=other_user,
        text="<p>I loved the <b>gulls</b></p><script>alert(1)</script>",
    )
    client.force_login(user)
    page = client.get(reverse("social:inbox")).content.decode()
    assert '<blockquote class="userstuff comment-text">' in page
    assert "I loved the <b>gulls</b>" in page
    assert "<script>alert(1)</script>" not in page  # stored sanitised
    assert page.index("I loved the") < page.index('class="inbox-reply"')


def test_inbox_does_not_show_a_comment_a_reader_may_not_see_yet(client: Client, user, other_user):
    """The comment's replier to an Explicit work without consent: no text, no reply box."""
    work = make_work(user, title="Deep Water", rating=EXPLICIT)
    first = comment_create(chapter=work.chapters.get(), user=other_user, text="First words here")
    comment_create(chapter=work.chapters.get(), user=user, text="A creator's reply", parent=first)
    client.force_login(other_user)
    page = client.get(reverse("social:inbox")).content.decode()
    assert "Reply to your comment" in page
    assert "A creator&#x27;s reply" not in page and "A creator's reply" not in page
    assert 'class="inbox-reply"' not in page


def test_history_lists_work_blurbs(client: Client, user, other_user):
    work = make_work(other_user, title="Tide Tables", fandoms=["Harbour Tales"], summary="Maps.")
    history_record(user=user, work=work, chapter_id=None)
    client.force_login(user)
    page = client.get(reverse("social:user_history", args=[user.username])).content.decode()
    item = page[page.index(f'id="history_{work.pk}"') :]
    assert f'<li class="blurb work" id="history_{work.pk}">' in page
    assert "Harbour Tales" in item and "Maps." in item  # fandom and summary: a blurb
    assert "visited 1 time" in item


def test_deleting_a_bookmark_asks_first_and_names_its_notes(client: Client, user, other_user):
    work = make_work(other_user, title="Quiet Harbour")
    mark = bookmark_create(
        user=user, pseud=user.default_pseud, work=work, notes="My favourite scene", tags=["Cosy"]
    )
    client.force_login(user)
    listing = client.get(reverse("social:user_bookmarks", args=[user.username])).content.decode()
    assert f'href="/bookmarks/{mark.pk}/delete/?next=' in listing  # a link to the question
    ask = client.get(f"/bookmarks/{mark.pk}/delete/")
    assert ask.status_code == 200
    text = ask.content.decode()
    assert "Delete your bookmark of" in text and "Quiet Harbour" in text
    assert "your notes" in text and "My favourite scene" in text
    assert "Yes, delete the bookmark and its notes" in text
    assert Bookmark.objects.filter(pk=mark.pk).exists()  # asking deletes nothing
    # Someone else may not even be asked.
    client.force_login(other_user)
    assert client.get(f"/bookmarks/{mark.pk}/delete/").status_code == 403
    client.force_login(user)
    done = client.post(f"/bookmarks/{mark.pk}/delete/", {"next": "/works/"})
    assert done.status_code == 302 and done["Location"] == "/works/"
    assert not Bookmark.objects.filter(pk=mark.pk).exists()


def test_adult_interstitial_shows_warnings_and_tags_never_the_text(client: Client, user):
    work = make_work(
        user,
        title="Night Ferry",
        rating=EXPLICIT,
        fandoms=["Harbour Tales"],
        freeforms=["Slow Burn"],
        summary="Two keepers, one lamp.",
        notes="Author's private-ish note",
        texts=["Hidden chapter words about the lamp."],
    )
    page = client.get(work.get_absolute_url()).content.decode()
    assert "This work could have adult content." in page
    for shown in ("Harbour Tales", "Slow Burn", "Explicit", "Two keepers, one lamp."):
        assert shown in page
    warnings = [t.name for t in work.tags_of(TagType.WARNING)]
    assert warnings and all(name in page for name in warnings)
    assert "Hidden chapter words" not in page and "private-ish note" not in page


def test_account_page_groups_its_actions_and_sets_the_irreversible_apart(client: Client, user):
    client.force_login(user)
    page = client.get(reverse("accounts:profile", args=[user.username])).content.decode()
    for heading in ("Your works and profile", "Reading and messages", "Settings and security"):
        assert heading in page
    danger = page[page.index('class="owner-nav-group danger-zone"') :]
    danger = danger[: danger.index("</div>")]
    assert "Cannot be undone" in danger
    assert "Orphan all works" in danger and "Delete account" in danger
    before = page[: page.index('class="owner-nav-group danger-zone"')]
    assert "Orphan all works" not in before and "Delete account" not in before
    nav = page[page.index('class="owner-nav"') :]
    assert 'class="button' not in nav[: nav.index("</nav>")]  # links in lists, not 20 buttons


def test_header_links_wranglers_and_admins_to_their_pages(client: Client, user):
    client.force_login(user)
    page = client.get("/works/").content.decode()
    assert 'href="/wrangling/"' not in page and 'href="/admin/"' not in page
    user.groups.add(Group.objects.get_or_create(name=WRANGLERS_GROUP)[0])
    page = client.get("/works/").content.decode()
    assert '<a href="/wrangling/">Wrangling</a>' in page and 'href="/admin/"' not in page
    admin = make_user("harbourmaster", is_staff=True)
    client.force_login(admin)
    page = client.get("/works/").content.decode()
    assert '<a href="/wrangling/">Wrangling</a>' in page
    assert '<a href="/admin/">Admin</a>' in page


def test_tag_pages_name_the_category_properly(client: Client, user):
    make_work(user, freeforms=["Found Family"])
    tag = Tag.objects.get(name="Found Family")
    for url in (reverse("tags:works", args=[tag.pk]), reverse("tags:about", args=[tag.pk])):
        page = client.get(url).content.decode()
        assert "Found Family belongs to the Additional Tags category" in page
        assert "a Additional Tags tag" not in page


def test_every_page_kind_has_exactly_one_h1(client: Client, user, other_user):
    work = make_work(user, title="One Heading", fandoms=["Harbour Tales"])
    adult = make_work(user, title="Adult Heading", rating=EXPLICIT)
    tag = Tag.objects.get(name="Harbour Tales")
    mark = bookmark_create(user=user, pseud=user.default_pseud, work=work, notes="n")
    guest_pages = [
        "/",
        "/works/",
        "/works/?q=heading",
        work.get_absolute_url(),
        adult.get_absolute_url(),
        reverse("tags:works", args=[tag.pk]),
        reverse("tags:about", args=[tag.pk]),
        reverse("accounts:profile", args=[user.username]),
        reverse("accounts:login"),
        reverse("accounts:register"),
        "/no-such-page/",
    ]
    for url in guest_pages:
        page = client.get(url).content.decode()
        assert h1_count(page) == 1, url
    client.force_login(user)
    own_pages = [
        reverse("works:new"),
        reverse("social:inbox"),
        reverse("social:user_history", args=[user.username]),
        reverse("social:user_bookmarks", args=[user.username]),
        f"/bookmarks/{mark.pk}/delete/",
        reverse("accounts:preferences", args=[user.username]),
        reverse("accounts:profile", args=[user.username]),
        reverse("accounts:drafts", args=[user.username]),
        reverse("formats:import"),
    ]
    for url in own_pages:
        page = client.get(url).content.decode()
        assert h1_count(page) == 1, url
    assert '<a class="brand"' in client.get("/works/").content.decode()  # the site name: no h1


def test_autocomplete_finds_a_word_inside_a_name(client: Client, user):
    # "library" finds "The Ninth Library" (a word inside the name), not only names that
    # start with it; the more used comes first (the order bench/autocomplete.py measures).
    make_work(user, freeforms=["The Ninth Library", "Library Cats"])
    make_work(user, freeforms=["The Ninth Library"])
    Tag.objects.filter(name="The Ninth Library").update(use_count=5)
    client.force_login(user)
    response = client.get("/tags/autocomplete/", {"type": "freeform", "q": "library"})
    names = [row["name"] for row in response.json()["results"]]
    assert names == ["The Ninth Library", "Library Cats"]


def test_collection_and_challenge_pages_have_exactly_one_h1(client: Client, user, other_user):
    exchange = make_challenge(user)
    meme = make_challenge(user, ChallengeKind.PROMPT_MEME)
    signup = make_signup(other_user, exchange, requests=[{"fandom": ["Harbour Tales"]}])
    prompt = make_signup(other_user, meme, requests=[{"fandom": ["Harbour Tales"]}])
    prompt_id = prompt.prompts.get().pk
    giver = make_signup(user, exchange, offers=[{"fandom": ["Harbour Tales"]}])
    assignment = Assignment.objects.create(challenge=exchange, giver=giver, recipient=signup)
    name, meme_name = exchange.collection.name, meme.collection.name
    tag_set = exchange.tag_set_id
    pages = [
        "/collections/",
        f"/collections/{name}/",
        f"/collections/{name}/works/",
        f"/collections/{name}/bookmarks/",
        f"/collections/{name}/participants/",
        f"/collections/{name}/items/",
        f"/collections/{name}/edit/",
        f"/collections/{name}/delete/",
        "/collections/new/",
        f"/collections/{name}/challenge/edit/",
        f"/collections/{name}/signups/",
        f"/collections/{name}/signups/{signup.pk}/",
        f"/collections/{name}/matching/",
        f"/collections/{name}/assignments/",
        f"/collections/{name}/assignments/{assignment.pk}/",
        f"/users/{user.username}/assignments/",
        f"/users/{user.username}/collection-items/",
        f"/collections/{meme_name}/prompts/",
        f"/collections/{meme_name}/prompts/{prompt_id}/",
        f"/users/{user.username}/claims/",
        f"/collections/{meme_name}/signup/",
        "/tag-sets/",
        "/tag-sets/new/",
        f"/tag-sets/{tag_set}/",
        f"/tag-sets/{tag_set}/edit/",
        f"/tag-sets/{tag_set}/nominations/",
    ]
    client.force_login(user)
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert h1_count(response.content.decode()) == 1, url
