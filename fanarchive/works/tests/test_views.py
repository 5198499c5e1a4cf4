"""The work pages through the real stack: posting, reading, visibility, adult content."""

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import (
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NOT_RATED,
    RATINGS,
    TEEN,
)
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def post_data(**overrides):
    data = {
        "rating": GENERAL,
        "warnings": [NO_WARNINGS],
        "categories": ["Gen"],
        "fandoms": "Harbour Tales, Skyward",
        "relationships": "Mira/Tomas",
        "characters": "Mira Vale, Tomas",
        "freeforms": "Found Family",
        "title": "The Eighth Boat",
        "summary": "Mira waits.",
        "notes": "Thanks to my beta.",
        "endnotes": "More soon.",
        "language": "en",
        "expected_chapters": "2",
        "chapter_title": "Harbour",
        "text_format": "plain",
        "text": "The lantern swung.\n\n“Seven,” she said.\n\n***\n\nMorning came.",
        "post": "1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# -- posting -------------------------------------------------------------------------


def test_post_a_work_through_the_form(user_client, user):
    response = user_client.post(reverse("works:new"), post_data())
    work = Work.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert work.posted and work.title == "The Eighth Boat"
    assert work.chapter_fraction == "1/2"
    page = user_client.get(work.get_absolute_url()).content.decode()
    assert "Work was successfully posted." in page
    assert '<hr class="scene-break">' in page
    assert "Harbour Tales" in page and "Mira/Tomas" in page and "Thanks to my beta." in page


def test_save_as_draft(user_client):
    user_client.post(reverse("works:new"), post_data(post=None, save_draft="1"))
    work = Work.objects.get()
    assert not work.posted
    assert "This work is a draft" in user_client.get(work.get_absolute_url()).content.decode()


def test_posting_needs_login(client):
    response = client.get(reverse("works:new"))
    assert response.status_code == 302 and "/login/" in response.url
    client.post(reverse("works:new"), post_data())
    assert not Work.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Please enter a title."),
        ({"title": "x" * 300}, "The title must be 255 characters or fewer"),
        ({"summary": "x" * 1300}, "The summary must be 1,250 characters or fewer"),
        ({"notes": "x" * 5001}, "The notes must be 5,000 characters or fewer"),
        ({"endnotes": "x" * 5001}, "The end notes must be 5,000 characters or fewer"),
        ({"rating": ""}, "Please choose a rating."),
        ({"rating": "Super Explicit"}, "&quot;Super Explicit&quot; is not a rating."),
        ({"warnings": []}, "Please choose at least one archive warning."),
        ({"warnings": ["Made Up"]}, "is not one of the archive warnings"),
        ({"categories": ["X/Y"]}, "is not one of the categorys"),
        ({"fandoms": ""}, "Please add at least one fandom."),
        ({"text": ""}, "The chapter text is empty"),
        ({"text": "short"}, "at least 10 characters"),
        ({"text": "x" * 510_001}, "510,000 characters or fewer"),
        ({"expected_chapters": "many"}, "Enter the number of chapters you expect"),
        ({"language": "klingon"}, "is not a language this archive knows"),
        ({"freeforms": ",".join(f"t{n}" for n in range(80))}, "at most 75"),
    ],
)
def test_bad_input_shows_a_message_and_writes_nothing(user_client, overrides, message):
    response = user_client.post(reverse("works:new"), post_data(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert "nothing was saved" in page
    assert not Work.objects.exists()
    assert not Tag.objects.filter(type=TagType.FANDOM).exists()


def test_edit_work(user_client, user):
    work = make_work(user)
    url = reverse("works:edit", args=[work.pk])
    form_page = user_client.get(url).content.decode()
    assert work.title in form_page
    response = user_client.post(url, post_data(title="Renamed", expected_chapters="1"))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "Renamed"


def test_another_users_work_id_in_edit_urls_is_refused(client, user):
    work = make_work(user, chapters=2)
    chapter = work.chapters.get(position=1)
    intruder = make_user("intruder")
    client.force_login(intruder)
    urls = [
        reverse("works:edit", args=[work.pk]),
        reverse("works:delete", args=[work.pk]),
        reverse("works:chapter_new", args=[work.pk]),
        reverse("works:chapters_manage", args=[work.pk]),
        reverse("works:chapter_edit", args=[work.pk, chapter.pk]),
        reverse("works:chapter_delete", args=[work.pk, chapter.pk]),
        reverse("works:post", args=[work.pk]),
    ]
    for url in urls:
        assert client.post(url, post_data(title="Stolen")).status_code == 403, url
    work.refresh_from_db()
    assert work.title != "Stolen" and work.chapters.count() == 2


def test_unknown_ids_are_404(user_client, user):
    work = make_work(user)
    other = make_work(make_user())
    assert user_client.get(reverse("works:detail", args=[999999])).status_code == 404
    assert user_client.get(reverse("works:edit", args=[999999])).status_code == 404
    # A chapter of another work, under this work's URL.
    url = reverse("works:chapter_edit", args=[work.pk, other.chapters.get().pk])
    assert user_client.get(url).status_code == 404
    url = reverse("works:chapter", args=[work.pk, other.chapters.get().pk])
    assert user_client.get(url).status_code == 404


# -- chapters ------------------------------------------------------------------------


def test_add_edit_reorder_and_delete_chapters(user_client, user):
    work = make_work(user, expected_chapters=None)
    response = user_client.post(
        reverse("works:chapter_new", args=[work.pk]),
        {
            "title": "Storm",
            "text_format": "plain",
            "text": "Rain on the harbour wall.",
            "expected_chapters": "3",
            "post": "1",
        },
    )
    second = work.chapters.get(position=2)
    assert response.status_code == 302 and response.url == second.get_absolute_url()
    work.refresh_from_db()
    assert work.chapter_fraction == "2/3"

    user_client.post(
        reverse("works:chapter_edit", args=[work.pk, second.pk]),
        {"title": "Storm", "text_format": "plain", "text": "Wind on the harbour wall."},
    )
    second.refresh_from_db()
    assert second.source == "Wind on the harbour wall."

    first = work.chapters.get(position=1)
    user_client.post(
        reverse("works:chapters_manage", args=[work.pk]),
        {f"position_{first.pk}": "2", f"position_{second.pk}": "1"},
    )
    assert work.chapters.get(position=1) == second

    response = user_client.post(reverse("works:chapter_delete", args=[work.pk, first.pk]))
    assert response.status_code == 302
    assert list(work.chapters.all()) == [second]
    # The last chapter cannot go.
    user_client.post(reverse("works:chapter_delete", args=[work.pk, second.pk]))
    assert work.chapters.count() == 1


def test_empty_chapter_is_refused(user_client, user):
    work = make_work(user, expected_chapters=None)
    response = user_client.post(
        reverse("works:chapter_new", args=[work.pk]),
        {"text_format": "plain", "text": "  ", "expected_chapters": "?", "post": "1"},
    )
    assert response.status_code == 200
    assert "The chapter text is empty" in response.content.decode()
    assert work.chapters.count() == 1


def test_delete_work_asks_first(user_client, user):
    work = make_work(user)
    page = user_client.get(reverse("works:delete", args=[work.pk])).content.decode()
    assert "cannot be undone" in page
    user_client.post(reverse("works:delete", args=[work.pk]))
    assert not Work.objects.exists()


# -- reading -------------------------------------------------------------------------


def test_work_page_shows_meta_block_and_chapter_navigation(client, user):
    work = make_work(user, chapters=3, expected_chapters=None, endnotes="Thanks for reading.")
    page = client.get(work.get_absolute_url()).content.decode()
    for label in (
        "Rating:",
        "Archive Warning:",
        "Category:",
        "Fandom:",
        "Character:",
        "Additional Tags:",
        "Language:",
        "Published",
        "Words",
        "Chapters",
    ):
        assert label in page, label
    assert "3/?" in page and "Chapter 1" in page and "Next chapter" in page
    assert "Chapter 1 ends here." in page and "Chapter 2 ends here." not in page
    assert "Thanks for reading." not in page  # end notes come after the last chapter

    last = work.chapters.get(position=3)
    page = client.get(last.get_absolute_url()).content.decode()
    assert "Chapter 3 ends here." in page and "Previous chapter" in page
    assert "Thanks for reading." in page

    full = client.get(work.get_absolute_url() + "?view_full_work=true").content.decode()
    assert all(f"Chapter {n} ends here." in full for n in (1, 2, 3))
    index = client.get(reverse("works:navigate", args=[work.pk])).content.decode()
    assert index.count("/chapters/") >= 3
    jump = client.get(reverse("works:navigate", args=[work.pk]), {"chapter": last.pk})
    assert jump.status_code == 302 and jump.url == last.get_absolute_url()


def test_draft_chapters_are_for_creators_only(client, user):
    work = make_work(user, expected_chapters=None)
    from fanarchive.works.services import ChapterInput, chapter_add

    draft = chapter_add(
        user=user,
        work=work,
        data=ChapterInput(text="Secret draft chapter."),
        post=False,
        expected_chapters=None,
    )
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert (
        "Secret draft"
        not in client.get(work.get_absolute_url() + "?view_full_work=true").content.decode()
    )
    client.force_login(user)
    assert "Secret draft chapter." in client.get(draft.get_absolute_url()).content.decode()


def test_spoiler_preferences_fold_warnings_and_additional_tags(client, user):
    work = make_work(make_user(), freeforms=["Big Twist"])
    user.preference.hide_warnings = True
    user.preference.hide_freeform = True
    user.preference.save()
    client.force_login(user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "<summary>Show warnings</summary>" in page
    assert "<summary>Show additional tags</summary>" in page
    assert "Big Twist" in page  # still there, one click away


# -- visibility -----------------------------------------------------------------------


@pytest.fixture
def archive(user):
    """A public work, a restricted work and a draft by `user`, all in one fandom."""
    return {
        "public": make_work(user, title="Public Work", fandoms=["Shared Fandom"]),
        "restricted": make_work(
            user, title="Restricted Work", fandoms=["Shared Fandom"], restricted=True
        ),
        "draft": make_work(user, title="Draft Work", fandoms=["Shared Fandom"], post=False),
    }


def pages_for(client: Client, user) -> dict[str, str]:
    tag = Tag.objects.get(type=TagType.FANDOM, name="Shared Fandom")
    return {
        "listing": client.get(reverse("works:list")).content.decode(),
        "tag": client.get(reverse("tags:works", args=[tag.pk])).content.decode(),
        "profile": client.get(reverse("accounts:profile", args=[user.username])).content.decode(),
    }


def test_guest_sees_only_public_works(client, user, archive):
    for name, page in pages_for(client, user).items():
        assert "Public Work" in page, name
        assert "Restricted Work" not in page, name
        assert "Draft Work" not in page, name
    assert "1 Works" in pages_for(client, user)["listing"]
    assert "1 Work in" in pages_for(client, user)["tag"]
    response = client.get(archive["restricted"].get_absolute_url())
    assert response.status_code == 302 and "/login/" in response.url
    assert "next=" in response.url
    assert client.get(archive["draft"].get_absolute_url()).status_code == 404


def test_other_user_sees_restricted_but_not_drafts(client, user, other_user, archive):
    client.force_login(other_user)
    for name, page in pages_for(client, user).items():
        assert "Public Work" in page and "Restricted Work" in page, name
        assert "Draft Work" not in page, name
    assert client.get(archive["restricted"].get_absolute_url()).status_code == 200
    assert client.get(archive["draft"].get_absolute_url()).status_code == 404


def test_creator_reads_own_draft_but_listings_never_show_it(client, user, archive):
    client.force_login(user)
    assert client.get(archive["draft"].get_absolute_url()).status_code == 200
    for name, page in pages_for(client, user).items():
        assert "Draft Work" not in page, name


def test_hidden_work_is_forbidden_to_others_and_unlisted(client, user):
    work = make_work(user, title="Hidden Work")
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    assert client.get(work.get_absolute_url()).status_code == 403
    assert "Hidden Work" not in client.get(reverse("works:list")).content.decode()
    client.force_login(user)
    assert client.get(work.get_absolute_url()).status_code == 200


# -- adult content ----------------------------------------------------------------------

INTERSTITIAL = "This work could have adult content."


@pytest.mark.parametrize("rating", RATINGS)
def test_interstitial_for_adult_ratings_only(client, rating):
    work = make_work(rating=rating, chapters=2)
    adult = rating in {NOT_RATED, MATURE, EXPLICIT}
    for url in (
        work.get_absolute_url(),
        work.chapters.get(position=2).get_absolute_url(),
        work.get_absolute_url() + "?view_full_work=true",
    ):
        page = client.get(url).content.decode()
        assert (INTERSTITIAL in page) is adult, (rating, url)
        assert ("Chapter 1 ends here." in page or "Chapter 2 ends here." in page) is not adult


def test_teen_and_general_never_ask(client):
    for rating in (GENERAL, TEEN):
        assert (
            INTERSTITIAL
            not in client.get(make_work(rating=rating).get_absolute_url()).content.decode()
        )


def test_yes_continue_lasts_for_the_browser_session(client):
    first = make_work(rating=EXPLICIT)
    second = make_work(rating=MATURE)
    page = client.get(first.get_absolute_url()).content.decode()
    assert 'href="?view_adult=true"' in page
    page = client.get(first.get_absolute_url(), {"view_adult": "true"}).content.decode()
    assert INTERSTITIAL not in page and "Chapter 1 ends here." in page
    # The rest of the session: other adult works too, without asking again.
    assert INTERSTITIAL not in client.get(second.get_absolute_url()).content.decode()
    # A new browser session asks again.
    assert INTERSTITIAL in Client().get(second.get_absolute_url()).content.decode()


def test_continue_link_keeps_the_chapter_and_full_work_view(client):
    work = make_work(rating=EXPLICIT, chapters=2)
    page = client.get(work.get_absolute_url() + "?view_full_work=true").content.decode()
    assert "view_full_work=true&amp;view_adult=true" in page


def test_creator_skips_interstitial_on_own_work(client, user):
    work = make_work(user, rating=EXPLICIT)
    client.force_login(user)
    assert INTERSTITIAL not in client.get(work.get_absolute_url()).content.decode()


def test_preference_skips_interstitial(client, user):
    work = make_work(make_user(), rating=EXPLICIT)
    client.force_login(user)
    assert INTERSTITIAL in client.get(work.get_absolute_url()).content.decode()
    user.preference.view_adult = True
    user.preference.save()
    assert INTERSTITIAL not in client.get(work.get_absolute_url()).content.decode()


def test_logged_in_user_without_preference_is_asked(client, other_user):
    work = make_work(rating=NOT_RATED)
    client.force_login(other_user)
    assert INTERSTITIAL in client.get(work.get_absolute_url()).content.decode()


def test_interstitial_does_not_leak_text_in_listings_but_shows_blurb(client):
    make_work(rating=EXPLICIT, title="Adult Blurb")
    page = client.get(reverse("works:list")).content.decode()
    assert "Adult Blurb" in page and "Chapter 1 ends here." not in page


def test_chapter_model_heading():
    assert Chapter(position=2, title="Storm").heading == "Chapter 2: Storm"


def test_refusals_use_the_site_layout(client, user):
    work = make_work(user, title="Hidden Work")
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    forbidden = client.get(work.get_absolute_url())
    assert forbidden.status_code == 403
    assert "hidden by an administrator" in forbidden.content.decode()
    missing = client.get("/works/987654/")
    assert missing.status_code == 404
    assert "couldn't find that page" in missing.content.decode()


def test_a_link_may_fill_in_the_posting_forms_collections_gifts_and_tags(client, user):
    client.force_login(user)
    query = {
        "collections": "Harbour_Fest",
        "gifts": "mira",
        "fandoms": "Harbour Tales",
        "characters": "Mira Vale, Tobin Reed",
        "title": "Not taken from the address",
        "summary": "x" * 10,
    }
    page = client.get("/works/new/", query).content.decode()
    assert 'name="collections" value="Harbour_Fest"' in page
    assert 'name="gifts" value="mira"' in page
    assert 'name="fandoms" value="Harbour Tales"' in page
    assert 'name="characters" value="Mira Vale, Tobin Reed"' in page
    assert "Not taken from the address" not in page
    huge = client.get("/works/new/", {"fandoms": "F" * 50_000}).content.decode()
    assert "F" * 2000 in huge and "F" * 2001 not in huge
