"""The blurb every listing shows, built in Python by `works_tags.blurb_html`."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index.catalogue import Filter, Viewer
from fanarchive.discovery.selectors import works_find
from fanarchive.tags.fixed import EXPLICIT, NO_WARNINGS
from fanarchive.works.models import Work
from fanarchive.works.selectors import with_blurb_data, with_listing_data
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.templatetags.works_tags import Folds, blurb_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def rich_work(user):
    make_user("gifted")
    work = make_work(
        user,
        title="Salt & <Storms>",
        summary="<p>A <em>quiet</em> harbour.</p>",
        rating=EXPLICIT,
        fandoms=["Harbour Tales", "Sea & Sky"],
        relationships=["Mira/Oren"],
        characters=["Mira Vale"],
        freeforms=["Found Family", "Rain & Thunder"],
        restricted=True,
        gifts=["gifted", "Someone <Else>"],
        expected_chapters=None,
    )
    series = series_create(user=user, title="The <Tides>", summary="", notes="")
    series_work_add(user=user, work=work, series=series)
    return work


def test_the_blurb_shows_and_escapes_everything(rich_work, django_assert_max_num_queries):
    work = with_listing_data(Work.objects.filter(pk=rich_work.pk)).get()
    with django_assert_max_num_queries(0):  # gifts, series, creators: all loaded
        html = blurb_html(work)
    assert f'<a href="{rich_work.get_absolute_url()}">Salt &amp; &lt;Storms&gt;</a>' in html
    assert 'by <a rel="author" href="/users/writer/pseuds/writer/">writer</a>' in html
    assert "(registered users only)" in html and "(draft)" not in html
    assert '<span class="gifts">for gifted, Someone &lt;Else&gt;</span>' in html
    assert ">Sea &amp; Sky</a>" in html and ">Rain &amp; Thunder</a>" in html
    # The only relationship, so the main one: in bold, and said so to screen readers.
    assert '<li class="relationships main"><strong><a class="tag"' in html
    assert '<span class="visually-hidden"> (main relationship)</span>' in html
    assert 'title="Explicit"' in html and "Work in Progress" in html
    assert '<blockquote class="userstuff summary"><p>A <em>quiet</em> harbour.</p>' in html
    assert "Part <strong>1</strong> of <a href=" in html and "The &lt;Tides&gt;</a>" in html
    assert "<dt>Chapters</dt><dd>1/?</dd>" in html
    # The full prefetch and the listing's columns-only one give the same blurb, and
    # the listing's costs no query of its own.
    assert blurb_html(with_blurb_data(Work.objects.filter(pk=rich_work.pk)).get()) == html


def test_a_page_of_blurbs_costs_a_fixed_few_queries(user, django_assert_max_num_queries):
    for n in range(6):
        make_work(user, title=f"Work {n}", freeforms=[f"Tag {n}", "Shared"])
    listing = works_find(viewer=Viewer(), spec=Filter(), per_page=20)
    assert len(listing.works) == 6
    with django_assert_max_num_queries(0):
        for work in listing.works:
            blurb_html(work)


def test_the_works_page_shows_blurbs(client, rich_work):
    page = client.get(reverse("works:list")).content.decode()
    assert "Salt &amp; &lt;Storms&gt;" not in page  # restricted: guests do not see it
    client.force_login(rich_work.creatorships.get().pseud.user)
    page = client.get(reverse("works:list")).content.decode()
    assert f'id="work_{rich_work.pk}"' in page and "Salt &amp; &lt;Storms&gt;" in page


def test_folds_hide_warnings_and_additional_tags_but_not_from_the_creator(
    rich_work, django_assert_max_num_queries
):
    work = with_listing_data(Work.objects.filter(pk=rich_work.pk)).get()
    reader = make_user("shy")
    with django_assert_max_num_queries(0):
        folded = blurb_html(work, folds=Folds(warnings=True, freeforms=True, reader_id=reader.pk))
        own = blurb_html(
            work, folds=Folds(warnings=True, freeforms=True, reader_id=work_owner(work))
        )
        only_tags = blurb_html(work, folds=Folds(freeforms=True, reader_id=reader.pk))
    shown = re.sub(r"<details.*?</details>", "", folded, flags=re.S)
    assert "<summary>Show warnings</summary>" in folded
    assert "<summary>Show additional tags</summary>" in folded
    assert "Found Family" in folded and "Found Family" not in shown
    assert NO_WARNINGS in folded and NO_WARNINGS not in shown  # not even in the square's text
    assert "Archive warnings hidden by your preferences" in shown
    assert ">Mira Vale</a>" in shown and ">Harbour Tales</a>" in shown
    assert own == blurb_html(work)  # one's own work: nothing is a spoiler
    assert "Show warnings" not in only_tags and NO_WARNINGS in only_tags


def work_owner(work: Work) -> int:
    return next(iter(work.creatorships.all())).pseud.user_id
