"""Full-text search: syntax, fields, bodies, snippets, filters and visibility."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.discovery.index.catalogue import Filter
from fanarchive.discovery.search import QuerySyntaxError, parse
from fanarchive.discovery.selectors import viewer_for, works_find
from fanarchive.tags.fixed import EXPLICIT, GENERAL
from fanarchive.tags.models import Tag

pytestmark = pytest.mark.django_db


@pytest.fixture
def shelf(user):
    other = make_user("tidewriter")
    return {
        "storm": make_work(
            user,
            title="The Storm Wall",
            texts=["The lighthouse keeper watched the grey storm roll over the harbour."],
        ),
        "garden": make_work(
            other,
            title="A Garden of Salt",
            summary="Nothing about weather.",
            texts=["Roses grew in the salt garden where the lighthouse once stood."],
            rating=EXPLICIT,
        ),
        "secret": make_work(
            user,
            title="Members Storm",
            texts=["A storm that only members may read about, long and grey."],
            restricted=True,
        ),
        "draft": make_work(
            user, title="Draft Storm", post=False, texts=["An unposted storm story text."]
        ),
    }


def search(text: str, user=None, sort: str = "relevance", **spec) -> list[str]:
    listing = works_find(
        viewer=viewer_for(user or AnonymousUser()),
        spec=Filter(sort=sort, **spec),
        text=parse(text),
    )
    return [work.title for work in listing.works]


def test_bodies_titles_and_creators_are_searched(shelf):
    assert search("grey storm") == ["The Storm Wall"]  # body words; restricted and drafts never
    assert search('"salt garden"') == ["A Garden of Salt"]
    assert search('"garden salt"') == []
    assert search("lighthouse", sort="title", descending=False) == [
        "A Garden of Salt",
        "The Storm Wall",
    ]
    assert search("creator:tidewriter") == ["A Garden of Salt"]
    assert search("title:storm") == ["The Storm Wall"]
    assert search("title:lighthouse") == []


def test_boolean_operators(shelf):
    assert sorted(search("roses OR harbour")) == ["A Garden of Salt", "The Storm Wall"]
    assert search("lighthouse NOT roses") == ["The Storm Wall"]
    assert search("lighthouse -roses") == ["The Storm Wall"]
    assert search("(roses OR harbour) AND keeper") == ["The Storm Wall"]


def test_search_combines_with_filters_and_viewers(shelf, other_user):
    explicit = Tag.objects.get(name=EXPLICIT).pk
    assert search("lighthouse", ratings=(explicit,)) == ["A Garden of Salt"]
    assert search("storm", other_user, sort="title", descending=False) == [
        "Members Storm",
        "The Storm Wall",
    ]


def test_best_match_puts_title_hits_first(user):
    make_work(user, title="Rain", texts=["Lanterns, lanterns, and the harbour in the rain."])
    make_work(user, title="Lanterns", texts=["A quiet night by the sea and nothing more."])
    assert search("lanterns")[0] == "Lanterns"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('"open', "quotation mark"),
        ("(storm", "bracket"),
        ("storm)", "bracket"),
        ("NOT storm", "at least one word"),
        ("storm OR", "both sides"),
        ("author:me", "not a search field"),
        ("!!!", "nothing to search for"),
        ("a OR NOT b", "NOT cannot be one side"),
    ],
)
def test_bad_syntax_says_what_to_fix(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)


def test_the_page_shows_highlighted_snippets_and_syntax_errors(client, shelf):
    page = client.get(reverse("works:list"), {"q": "lighthouse"}).content.decode()
    assert "<mark>lighthouse</mark> keeper" in page  # a General work's passage
    page = client.get(reverse("works:list"), {"q": "roses"}).content.decode()
    assert "1 Works found for" in page
    # The match is in an Explicit work's text: a guest sees its blurb, not the passage...
    assert "A Garden of Salt" in page and "<mark>Roses</mark>" not in page
    client.get(f"{shelf['garden'].get_absolute_url()}?view_adult=true")
    page = client.get(reverse("works:list"), {"q": "roses"}).content.decode()
    assert "<mark>Roses</mark>" in page  # ...until they say "Yes, continue".
    page = client.get(reverse("works:list"), {"q": '"roses'})
    assert page.status_code == 200
    assert "A quotation mark is not closed" in page.content.decode()


def test_editing_and_deleting_update_the_search(user, shelf):
    from fanarchive.core.testing import work_input
    from fanarchive.works.services import ChapterInput, chapter_update, work_delete, work_update

    storm = shelf["storm"]
    chapter = storm.chapters.get()
    chapter_update(
        user=user, chapter=chapter, data=ChapterInput(text="Calm seas only, no weather at all.")
    )
    assert search("grey storm") == []
    assert search("calm seas") == ["The Storm Wall"]
    work_update(user=user, work=storm, data=work_input(title="Calm Wall", freeforms=["Seafaring"]))
    assert search("seafaring") == ["Calm Wall"]
    work_delete(user=user, work=storm)
    assert search("calm seas") == []


# -- the fast path against the reference ----------------------------------------
#
# `works_find` takes every candidate unranked, filters them in the index, then
# confirms (PostgreSQL, after relaxing phrases and fields) and scores only what
# is left. The reference ranks every hit of the whole archive with `hits` and
# filters by brute force: pages, totals and order must be the same.

WORDS = ["amber", "quiet", "harbour", "lantern", "storm", "salt"]


@pytest.fixture
def mixed_shelf(user):
    import random

    other_user = make_user("fastpathwriter")
    rng = random.Random(7)
    explicit = Tag.objects.get(name=EXPLICIT).pk
    for n in range(14):
        body = " ".join(rng.choice(WORDS) for _ in range(30))
        make_work(
            user if n % 3 else other_user,
            title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} {n}",
            texts=[body, f"The end of {rng.choice(WORDS)} {rng.choice(WORDS)}."],
            rating=EXPLICIT if n % 4 == 0 else GENERAL,
            restricted=n % 5 == 0,
            chapters=2,
            expected_chapters=2 if n % 2 == 0 else None,
        )
    return explicit


FAST_PATH_QUERIES = [
    "amber quiet",
    '"amber quiet"',
    '"quiet harbour storm"',
    "title:amber",
    'title:"amber quiet"',
    "storm -salt",
    'lantern NOT "salt amber"',
    '"harbour lantern" OR title:salt',
    "(amber OR quiet) AND lantern",
    "creator:fastpathwriter",
    "nothingmatches",
]


def test_the_fast_path_gives_the_references_pages(mixed_shelf, user):
    from fanarchive.discovery.search import backend
    from fanarchive.discovery.tests.reference import reference

    seen = set()
    for text in FAST_PATH_QUERIES:
        query = parse(text)
        scores = backend().hits(query, ranked=True)
        for viewer in (AnonymousUser(), user):
            for extra in ({}, {"ratings": (mixed_shelf,)}, {"complete": True}):
                for sort in ("relevance", "updated", "title"):
                    spec = Filter(sort=sort, **extra)
                    expected, _ = reference(viewer, spec, scores=scores)
                    seen.add(len(expected))
                    listing = works_find(
                        viewer=viewer_for(viewer),
                        spec=Filter(sort=sort, **extra),
                        text=query,
                        per_page=100,
                    )
                    assert [work.pk for work in listing.works] == expected, (text, extra, sort)
                    assert listing.total == len(expected)
                    second = works_find(
                        viewer=viewer_for(viewer),
                        spec=Filter(sort=sort, **extra),
                        text=query,
                        page=2,
                        per_page=3,
                    )
                    number = 2 if len(expected) > 3 else 1  # past the end: the last page
                    assert [work.pk for work in second.works] == expected[
                        (number - 1) * 3 : number * 3
                    ]
    assert 0 in seen and max(seen) > 6  # the queries match nothing, a few and many


def test_relaxing_loosens_only_what_is_not_negated():
    from fanarchive.discovery.search.parser import And, Not, Term
    from fanarchive.discovery.search.postgres import relaxed

    assert relaxed(parse("amber quiet").root) == parse("amber quiet").root
    assert relaxed(parse('"amber quiet"').root) == And((Term(("amber",)), Term(("quiet",))))
    assert relaxed(parse("title:amber").root) == Term(("amber",))
    negated = parse('lantern -"salt amber"').root
    loose = relaxed(negated)
    assert isinstance(loose, And) and Not(Term(("salt", "amber"))) in loose.items


@pytest.mark.parametrize(
    "text",
    [
        '"salt_harbour lantern"',  # one word here, two to PostgreSQL's parser
        '"SALT harbour"',
        '"harbour lantern glows"',
        '"well known"',  # the text has "well-known"
        '"lantern salt"',  # both words, never side by side
        'title:"quiet salt"',
    ],
)
def test_phrases_find_what_the_reference_finds(user, text):
    """Phrases are looked up by their pairs of adjacent words on PostgreSQL: whatever the
    words' case and punctuation, the results are the reference's (the whole archive,
    ranked)."""
    from fanarchive.discovery.search import backend

    make_work(user, title="Quiet salt", texts=["The salt_harbour lantern glows, well-known."])
    make_work(user, title="Other", texts=["A lantern by the SALT harbour; salt and lantern."])
    make_work(user, title="Third", texts=["Harbour lantern glows. Lantern salt_harbour."])
    query = parse(text)
    expected = sorted(backend().hits(query, ranked=False))
    listing = works_find(viewer=viewer_for(user), spec=Filter(sort="title"), text=query)
    assert sorted(work.pk for work in listing.works) == expected
    assert listing.total == len(expected)
    assert expected  # every phrase here is in some work
