"""Rating and warning advice on the posting forms (shown before anything is posted,
never blocking, never changing the rating) and for moderators. The texts come from the
advice's labelled set, so no mature words are written here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fanarchive.core.advice import Rating
from fanarchive.core.advice.tests import quality
from fanarchive.core.testing import make_work
from fanarchive.tags.fixed import (
    CHOSE_NOT_TO_WARN,
    EXPLICIT,
    GENERAL,
    MATURE,
    NO_WARNINGS,
    NOT_RATED,
    TEEN,
    VIOLENCE,
)
from fanarchive.tags.models import TagType
from fanarchive.works.advice_selectors import (
    advice_for_work,
    posting_advice,
    work_advice,
    works_with_advice_disagreeing,
)
from fanarchive.works.models import Chapter, Work
from fanarchive.works.tests.test_views import post_data

pytestmark = pytest.mark.django_db

PASSAGES = {p.id: p.text for p in quality.load()}
EXPLICIT_TEXT = f"The lantern swung.\n\n{PASSAGES['d108']}\n\n{PASSAGES['d109']}"
VIOLENT_TEXT = f"The lantern swung.\n\n{PASSAGES['d092']}"
QUIET_TEXT = "The lantern swung.\n\nMorning came over the harbour."


def rating_of(work: Work) -> str:
    return work.tags_of(TagType.RATING)[0].name


def test_advice_is_shown_before_posting_and_nothing_is_saved(user_client):
    response = user_client.post(reverse("works:new"), post_data(text=EXPLICIT_TEXT))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="rating-advice"' in page
    assert (
        f"This reads as more mature than {GENERAL}: explicit sexual content in chapter 1." in page
    )
    assert 'name="advice_seen" value="1"' in page and "Post anyway" in page
    assert "Change rating" in page
    assert not Work.objects.exists()
    # The form keeps what was typed.
    assert "The Eighth Boat" in page


def test_post_anyway_posts_the_work_as_chosen(user_client):
    response = user_client.post(
        reverse("works:new"), post_data(text=EXPLICIT_TEXT, advice_seen="1")
    )
    work = Work.objects.get()
    assert response.status_code == 302 and response.url == work.get_absolute_url()
    assert work.posted and rating_of(work) == GENERAL


def test_changing_the_rating_posts_without_advice(user_client):
    response = user_client.post(
        reverse("works:new"), post_data(text=EXPLICIT_TEXT, rating=EXPLICIT)
    )
    assert response.status_code == 302
    assert rating_of(Work.objects.get()) == EXPLICIT


def test_a_quiet_text_and_a_draft_post_without_advice(user_client):
    assert user_client.post(reverse("works:new"), post_data(text=QUIET_TEXT)).status_code == 302
    draft = post_data(text=EXPLICIT_TEXT, post=None, save_draft="1", title="Draft")
    assert user_client.post(reverse("works:new"), draft).status_code == 302
    assert Work.objects.count() == 2


def test_a_missing_warning_is_named(user_client):
    response = user_client.post(reverse("works:new"), post_data(text=VIOLENT_TEXT, rating=MATURE))
    page = response.content.decode()
    assert "more mature than" not in page
    assert (
        f"It may need the archive warning &quot;{VIOLENCE}&quot;: graphic violence in chapter 1."
        in page
    )
    # "Creator Chose Not To Use Archive Warnings" covers it.
    chose = post_data(text=VIOLENT_TEXT, rating=MATURE, warnings=[CHOSE_NOT_TO_WARN])
    assert user_client.post(reverse("works:new"), chose).status_code == 302


def test_editing_a_work_down_to_a_lower_rating_shows_advice(user, user_client):
    work = make_work(user, rating=EXPLICIT, texts=[QUIET_TEXT, EXPLICIT_TEXT], chapters=2)
    data = post_data(rating=TEEN, expected_chapters="2", update="1", post=None)
    for name in ("chapter_title", "text_format", "text"):
        del data[name]
    response = user_client.post(reverse("works:edit", args=[work.pk]), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "explicit sexual content in chapter 2" in page
    assert 'name="update" value="1">Post anyway' in page
    assert rating_of(Work.objects.get()) == EXPLICIT
    data["advice_seen"] = "1"
    assert user_client.post(reverse("works:edit", args=[work.pk]), data).status_code == 302
    assert rating_of(Work.objects.get()) == TEEN


def test_a_new_chapter_is_advised_by_its_place(user, user_client):
    work = make_work(user, rating=GENERAL, texts=[QUIET_TEXT], chapters=1)
    data = {"title": "Two", "text_format": "plain", "text": EXPLICIT_TEXT, "post": "1"}
    url = reverse("works:chapter_new", args=[work.pk])
    response = user_client.post(url, data)
    page = response.content.decode()
    assert "explicit sexual content in chapter 2" in page
    assert reverse("works:edit", args=[work.pk]) in page  # "Change rating" goes there
    assert work.chapters.count() == 1
    assert user_client.post(url, {**data, "advice_seen": "1"}).status_code == 302
    assert work.chapters.count() == 2


def test_editing_a_chapter_is_advised(user, user_client):
    work = make_work(user, rating=TEEN, texts=[QUIET_TEXT], chapters=1)
    chapter = work.chapters.get()
    url = reverse("works:chapter_edit", args=[work.pk, chapter.pk])
    form = user_client.get(url).context["form"]
    data = {**{k: v for k, v in form.initial.items() if v is not None}, "update": "1"}
    data["text"] = EXPLICIT_TEXT
    response = user_client.post(url, data)
    assert "more mature than Teen And Up Audiences" in response.content.decode()
    assert Chapter.objects.get().source == QUIET_TEXT
    assert user_client.post(url, {**data, "advice_seen": "1"}).status_code == 302
    assert Chapter.objects.get().source == EXPLICIT_TEXT


def test_posting_advice_rules():
    advice = advice_for_texts_of(EXPLICIT_TEXT)
    assert advice.rating is Rating.EXPLICIT
    assert posting_advice(advice, rating=EXPLICIT, warnings=[NO_WARNINGS]) is None
    assert posting_advice(advice, rating=NOT_RATED, warnings=[NO_WARNINGS]) is None
    told = posting_advice(advice, rating=MATURE, warnings=[NO_WARNINGS])
    assert told is not None and told.more_mature and told.rating == EXPLICIT


def advice_for_texts_of(text):
    return advice_for_work(make_work(texts=[text], rating=EXPLICIT))


def test_moderators_list_works_whose_text_is_more_mature_than_their_rating():
    quiet = make_work(texts=[QUIET_TEXT], rating=GENERAL)
    under = make_work(texts=[QUIET_TEXT, EXPLICIT_TEXT], chapters=2, rating=TEEN)
    rated = make_work(texts=[EXPLICIT_TEXT], rating=EXPLICIT)
    unwarned = make_work(texts=[VIOLENT_TEXT], rating=MATURE)
    draft = make_work(texts=[EXPLICIT_TEXT], rating=GENERAL, post=False)
    found = dict(works_with_advice_disagreeing(limit=10))
    assert set(found) == {under, unwarned}
    assert found[under].more_mature and found[under].rating == EXPLICIT
    assert found[under].lines == [
        f"This reads as more mature than {TEEN}: explicit sexual content in chapter 2."
    ]
    assert not found[unwarned].more_mature
    assert work_advice(under) == found[under]
    assert work_advice(quiet) is None
    assert quiet not in found and rated not in found and draft not in found
    assert len(works_with_advice_disagreeing(limit=1)) == 1
    assert advice_for_work(under).rating is Rating.EXPLICIT
