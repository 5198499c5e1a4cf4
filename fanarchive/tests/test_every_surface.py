"""Every surface that can carry a work's words or its creator's name, for every viewer and
every state of a work, against one rule.

The archive holds one work per STATE, each by its own pseud, and every one of its words
that must not leak is a marker unique to that work and field (`secret`). Each SURFACE
says which pages it is and what each viewer may see there (`Expect`); the test fetches
every page as every VIEWER and fails on any marker shown where the rule says HIDE, and
on any marker missing where it says SHOW (so a page that shows nothing cannot pass).

A new state or surface is one line in STATES or SURFACES.
"""

from __future__ import annotations

import enum
import io
import json
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import make_user, run_due_tasks
from fanarchive.discovery.alert_services import (
    saved_filter_alert_subscribe,
    saved_filter_alerts_run,
)
from fanarchive.discovery.services import saved_filter_create
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.history_services import history_record
from fanarchive.engagement.models import Comment
from fanarchive.engagement.preference_services import preferences_update
from fanarchive.engagement.reading_list_services import (
    reading_list_publicity_set,
    reading_list_set,
)
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.tags.fixed import EXPLICIT, GENERAL, MATURE, NO_WARNINGS, NOT_RATED, TEEN
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create
from fanarchive.works.creator_services import work_orphan
from fanarchive.works.models import Chapter, Series, Work
from fanarchive.works.moderation_services import work_set_hidden
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import ChapterInput, WorkInput, chapter_add, work_create

# Guests are served from the shared page cache here, as in production.
pytestmark = pytest.mark.guest_page_cache

# -- what may be shown ------------------------------------------------------------------


class Expect(enum.Enum):
    SHOW = "must show"
    HIDE = "must not show"
    ANY = "may show"


# A work's fields, by what they are: metadata (shown wherever the work is listed), the
# work's own words (behind the adult-content gate), and its creator's name.
META = ("title", "summary", "tag")
TEXT = ("body", "notes", "endnotes", "chapternotes", "comment")
NAME = ("pen",)
FIELDS = META + TEXT + NAME


@dataclass(frozen=True)
class State:
    name: str
    rating: str = GENERAL
    posted: bool = True
    restricted: bool = False
    hidden: bool = False
    orphaned: bool = False

    @property
    def adult(self) -> bool:
        return self.rating in (MATURE, EXPLICIT, NOT_RATED)

    def secret(self, field_name: str) -> str:
        """The marker that must only appear where the rule allows."""
        return f"s{self.name}{field_name}q"

    def probe(self, field_name: str) -> str:
        """A word beside the secret, for searching without echoing the secret."""
        return f"p{self.name}{field_name}q"

    def words(self, field_name: str) -> str:
        return f"{self.probe(field_name)} {self.secret(field_name)}"


STATES = [
    State("general"),
    State("teen", rating=TEEN),
    State("mature", rating=MATURE),
    State("explicit", rating=EXPLICIT),
    State("notrated", rating=NOT_RATED),
    State("draft", posted=False),
    State("draftexplicit", rating=EXPLICIT, posted=False),
    State("restricted", restricted=True),
    State("restrictedexplicit", rating=EXPLICIT, restricted=True),
    State("hidden", hidden=True),
    State("hiddenexplicit", rating=EXPLICIT, hidden=True),
    State("orphaned", orphaned=True),
]


@dataclass(frozen=True)
class Viewer:
    name: str
    logged_in: bool = False
    adult_preference: bool = False
    session_consent: bool = False  # said "Yes, continue" in this browser session
    creator: bool = False  # the creator of every work but the orphaned one
    staff: bool = False


GUEST = Viewer("guest")
VIEWERS = [
    GUEST,
    Viewer("guest who agreed", session_consent=True),
    Viewer("reader", logged_in=True),
    Viewer("reader who agreed", logged_in=True, session_consent=True),
    Viewer("reader with the adult preference", logged_in=True, adult_preference=True),
    Viewer("creator", logged_in=True, creator=True),
    Viewer("admin", logged_in=True, staff=True),
]


def owns(viewer: Viewer, state: State) -> bool:
    return viewer.creator and not state.orphaned


def listed(viewer: Viewer, state: State) -> bool:
    """The work may appear in this viewer's listings, counts, searches and feeds."""
    if not state.posted or state.hidden:
        return False
    return viewer.logged_in or not state.restricted


def opens(viewer: Viewer, state: State) -> bool:
    """The viewer may open the work's page (creators open their drafts and hidden works;
    moderators, here the admin, open hidden works to review them)."""
    reviews = viewer.staff and state.hidden and state.posted
    return listed(viewer, state) or owns(viewer, state) or reviews


def agreed(viewer: Viewer, state: State, *, adult_param: bool = False) -> bool:
    """The viewer may read this work's words as far as the adult-content rule goes."""
    return (
        not state.adult
        or viewer.adult_preference
        or viewer.session_consent
        or adult_param
        or owns(viewer, state)
    )


def shown(condition: bool) -> Expect:
    return Expect.SHOW if condition else Expect.HIDE


def name_rule(state: State) -> Expect:
    """An orphaned work names nobody; other works' pseuds may appear anywhere."""
    return Expect.HIDE if state.orphaned else Expect.ANY


# A rule: what a page about `about` (a state, or None for pages of many works) may show
# of `state`'s `field_name` to `viewer`.
Rule = Callable[[Viewer, State | None, State, str], Expect]


def listing(
    scope: Callable[[State], bool] = lambda s: True,
    *,
    meta: tuple[str, ...] = META,
    as_guest: bool = False,
    owner_sees: bool = False,
) -> Rule:
    """A list of works: each work in scope (or the page's own work) shows its metadata
    (`meta` must be there, the rest may) where the viewer may list it, and never its words.
    Feeds list as for a guest, whoever asks; `owner_sees` lets creators find their own
    unlisted works there too."""

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if field_name in TEXT:
            return Expect.HIDE
        in_scope = scope(state) if about is None else state == about
        if owner_sees and in_scope and owns(viewer, state) and not listed(viewer, state):
            return Expect.ANY
        if not (in_scope and listed(GUEST if as_guest else viewer, state)):
            return Expect.HIDE
        return Expect.SHOW if field_name in meta else Expect.ANY

    return rule


def search(field_searched: str, *, snippets: bool = True) -> Rule:
    """Search results for one field's probe word: the work's blurb where it is listed, and
    (where the surface shows passages) the matching passage only to readers who agreed to
    its rating."""

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if state != about or not listed(viewer, state):
            return Expect.HIDE
        if field_name in META:
            return Expect.SHOW
        if not snippets or not agreed(viewer, state):
            return Expect.HIDE
        return Expect.SHOW if field_name == field_searched else Expect.ANY

    return rule


def reading(
    carried: tuple[str, ...] = TEXT,
    *,
    required: tuple[str, ...] | None = None,
    meta: tuple[str, ...] = META,
    offers_similar: bool = False,
) -> Rule:
    """One work's page: its metadata (`meta` must be there, the rest may) to who may open
    it, the words it carries (`required` of them must be there, default all) only once the
    viewer agreed to its rating; other works at most by title (series navigation), and
    only where listed. With `offers_similar` (the pages with "More like this") other works'
    blurbs may show too, where listed and, for adult works, agreed to."""
    must = carried if required is None else required

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if state != about and offers_similar and field_name in META:
            return Expect.ANY if listed(viewer, state) and agreed(viewer, state) else Expect.HIDE
        if state != about:
            return Expect.HIDE if field_name != "title" or not listed(viewer, state) else Expect.ANY
        if not opens(viewer, state):
            return Expect.HIDE
        if field_name in META:
            # The interstitial may name the work; the page itself must.
            required_meta = field_name in meta and agreed(viewer, state)
            return Expect.SHOW if required_meta else Expect.ANY
        if field_name not in carried or not agreed(viewer, state):
            return Expect.HIDE
        # Drafts have no comments.
        return Expect.SHOW if field_name in must and state.posted else Expect.ANY

    return rule


def download(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """Downloads: never drafts or hidden works, even to their creators; no comments."""
    if field_name in NAME:
        return name_rule(state)
    if state != about or field_name == "comment" or not listed(viewer, state):
        return Expect.HIDE
    if field_name in META:
        return Expect.ANY  # the interstitial may name the work
    return shown(agreed(viewer, state))


def series_download(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A whole series in one file: the parts the viewer may list, never drafts or hidden
    ones; no part's words before the viewer agreed to its rating (an adult part puts the
    interstitial before the whole file, so other parts' words may be absent too)."""
    if field_name in NAME:
        return name_rule(state)
    if field_name == "comment" or not listed(viewer, state):
        return Expect.HIDE
    if field_name in META:
        return Expect.ANY
    return Expect.ANY if agreed(viewer, state) else Expect.HIDE


def api_meta(carried: tuple[str, ...] = (), *, adult_param: bool = False) -> Rule:
    """The API's work detail: metadata to who may open it; `carried` words after consent."""

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if state != about or not opens(viewer, state):
            return Expect.HIDE
        if field_name in META:
            return Expect.SHOW
        if field_name not in carried:
            return Expect.HIDE
        return shown(agreed(viewer, state, adult_param=adult_param))

    return rule


def api_text(carried: tuple[str, ...], *, adult_param: bool = False) -> Rule:
    """API endpoints of a work's words only (chapters, comments): no metadata at all."""

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if state != about or field_name not in carried or not opens(viewer, state):
            return Expect.HIDE
        return shown(agreed(viewer, state, adult_param=adult_param))

    return rule


def similar_to(*, adult_param: bool = False) -> Rule:
    """ "More like this" for one work: other works' metadata at most, where listed and, for
    adult works, agreed to; never the work itself, never words."""

    def rule(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
        if field_name in NAME:
            return name_rule(state)
        if state == about or field_name in TEXT or not listed(viewer, state):
            return Expect.HIDE
        return Expect.ANY if agreed(viewer, state, adult_param=adult_param) else Expect.HIDE

    return rule


def about_work(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A listing about one work (its bookmarks): that work's metadata at most, where listed."""
    if field_name in NAME:
        return name_rule(state)
    if state != about or field_name in TEXT or not listed(viewer, state):
        return Expect.HIDE
    return Expect.ANY


def tag_page(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A work's own tag: advertised (name, page, feed, API) only to someone who may list a
    work carrying it; its creator may find it either way. Its works by their metadata."""
    if field_name in NAME:
        return name_rule(state)
    if state != about or field_name in TEXT:
        return Expect.HIDE
    if viewer.staff or (owns(viewer, state) and not listed(viewer, state)):
        return Expect.ANY  # wranglers (admins) see every tag
    if field_name != "tag":
        return Expect.ANY if listed(viewer, state) else Expect.HIDE
    return shown(listed(viewer, state))


def tag_feed(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A tag's feed is a guest's, whoever asks."""
    return tag_page(GUEST, about, state, field_name)


def own_works(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A page only the creator sees (drafts): their own works' metadata, nobody else's."""
    if field_name in NAME:
        return name_rule(state)
    if field_name in TEXT or not owns(viewer, state):
        return Expect.HIDE
    return Expect.ANY


def inbox(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """Notices: of new chapters of subscribed works (titles, where still listed), and to the
    creator of comments on their works."""
    if field_name in NAME:
        return name_rule(state)
    if owns(viewer, state):
        return Expect.ANY
    if field_name in TEXT or field_name != "title":
        return Expect.HIDE
    return shown(subscribes(viewer) and listed(viewer, state))


def creator_stats(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A creator's statistics, for their own eyes: every posted work of theirs by title
    (hidden ones too), never a word of the works, nothing of anyone else's."""
    if field_name in NAME:
        return name_rule(state)
    if not owns(viewer, state) or field_name in TEXT:
        return Expect.HIDE
    return shown(state.posted) if field_name == "title" else Expect.ANY


def year_in_reading(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A reader's year: counts and the top tags of the works they read and may still see
    (so never a hidden work's or a draft's tag), no title, no words, no creator."""
    if field_name == "tag" and (listed(viewer, state) or owns(viewer, state)):
        return Expect.ANY
    return Expect.HIDE


def subscribes(viewer: Viewer) -> bool:
    """The viewers who subscribed to, bookmarked and read every work they could."""
    return viewer.logged_in and not viewer.creator


# -- the archive ------------------------------------------------------------------------


@dataclass
class World:
    works: dict[str, Work] = field(default_factory=dict)
    chapters: dict[str, Chapter] = field(default_factory=dict)
    comments: dict[str, Comment] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    series: dict[str, Series] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    fandom: Tag = field(default_factory=Tag)


FANDOM = "Lantern Harbour Chronicles"


def work_data(state: State, pseud_id: int) -> WorkInput:
    return WorkInput(
        title=state.words("title"),
        rating=state.rating,
        warnings=[NO_WARNINGS],
        fandoms=[FANDOM],
        freeforms=[state.secret("tag")],
        summary=state.words("summary"),
        notes=state.words("notes"),
        endnotes=state.words("endnotes"),
        restricted=state.restricted,
        expected_chapters=None,
        pseud_ids=[pseud_id],
    )


def chapter_data(state: State, number: int) -> ChapterInput:
    return ChapterInput(
        title=f"Chapter heading {number}",
        notes=state.words("chapternotes"),
        text=f"The tide came in at dusk.\n\n{state.words('body')}\n\nPart {number} ends.",
        text_format="plain",
    )


def build_world(on_commit: Callable[..., Any]) -> World:
    """The archive; `on_commit` runs what a commit would (queueing the notices' tasks)."""
    world = World()
    author = make_user("author")
    former = make_user(STATES[-1].secret("pen"))  # the orphaned work's creator, by name
    commenter = make_user("commenter")
    # An established account, past the new accounts' comment rate limit.
    User.objects.filter(pk=commenter.pk).update(date_joined=timezone.now() - timedelta(days=365))
    commenter.refresh_from_db()
    readers = {
        "reader": make_user("reader"),
        "reader who agreed": make_user("consenting"),
        "reader with the adult preference": make_user("adultpref"),
        "admin": make_user("moderator", is_staff=True),
    }
    preference = readers["reader with the adult preference"]
    preferences_update(
        user=preference, owner=preference, view_adult=True, hide_warnings=False, hide_freeform=False
    )
    world.users = {"author": author, "former": former, "commenter": commenter, **readers}
    reading_list_publicity_set(user=readers["reader"], owner=readers["reader"], public=True)
    # Each reader is alerted of new works in the fandom (a saved filter's alerts).
    [fandom] = tags_find_or_create(tag_type=TagType.FANDOM, names=[FANDOM])
    for reader in readers.values():
        saved = saved_filter_create(
            user=reader, owner=reader, name="The fandom", query_string=f"include={fandom.pk}"
        )
        saved_filter_alert_subscribe(user=reader, saved=saved)
    series = series_create(user=author, title="Every state in order")
    former_series = series_create(user=former, title="The former creator's series")
    world.series = {"author": series, "former": former_series}

    for state in STATES:
        writer = former if state.orphaned else author
        pseud = (
            writer.default_pseud
            if state.orphaned
            else pseud_create(user=author, owner=author, name=state.secret("pen"))
        )
        work = work_create(
            user=writer,
            data=work_data(state, pseud.pk),
            chapters=[chapter_data(state, 1)],
            post=state.posted,
        )
        series_work_add(user=writer, work=work, series=former_series if state.orphaned else series)
        world.works[state.name] = work
        world.chapters[state.name] = work.chapters.get()
        world.tags[state.name] = Tag.objects.get(name=state.secret("tag"), type=TagType.FREEFORM)
        if not state.posted:
            continue
        world.comments[state.name] = comment_create(
            chapter=world.chapters[state.name], user=commenter, text=state.words("comment")
        )
        for reader in readers.values():
            bookmark_create(user=reader, pseud=reader.default_pseud, work=work)
            subscription_create(user=reader, work=work)
            history_record(user=reader, work=work, chapter_id=None)
            reading_list_set(user=reader, work=work, status="reading")
    run_due_tasks()
    # A new chapter of every posted work: notices to its subscribers' inboxes.
    with on_commit(execute=True):
        for state in STATES:
            if state.posted:
                chapter_add(
                    user=former if state.orphaned else author,
                    work=world.works[state.name],
                    data=chapter_data(state, 2),
                    post=True,
                    expected_chapters=None,
                )
    run_due_tasks()
    # The alerts of the works that entered the fandom, before some are hidden or orphaned.
    assert saved_filter_alerts_run().sent
    for state in STATES:
        work = Work.objects.get(pk=world.works[state.name].pk)
        if state.hidden:
            work_set_hidden(
                user=readers["admin"], work=work, hidden=True, reason="Hidden with a reason."
            )
        if state.orphaned:
            work_orphan(user=former, work=work, keep_pseud=False)
        world.works[state.name] = work
    world.fandom = Tag.objects.get(name=FANDOM, type=TagType.FANDOM)
    return world


def client_for(viewer: Viewer, world: World) -> Client:
    client = Client()
    user = {
        "reader": "reader",
        "reader who agreed": "reader who agreed",
        "reader with the adult preference": "reader with the adult preference",
        "creator": "author",
        "admin": "admin",
    }.get(viewer.name)
    if user is not None:
        client.force_login(world.users[user])
    if viewer.session_consent:
        # "Yes, continue" on any adult work holds for the rest of the session.
        adult = world.works["explicit"]
        assert client.get(f"{adult.get_absolute_url()}?view_adult=true").status_code == 200
    return client


# -- the surfaces ------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    url: str
    about: State | None = None


Pages = Callable[[World, Viewer], Iterable[Page]]


@dataclass(frozen=True)
class Surface:
    name: str
    pages: Pages
    rule: Rule


def every_work(url: Callable[[World, State], str]) -> Pages:
    return lambda world, viewer: [Page(url(world, s), s) for s in STATES]


def posted_works(url: Callable[[World, State], str]) -> Pages:
    return lambda world, viewer: [Page(url(world, s), s) for s in STATES if s.posted]


def one(url: Callable[[World], str]) -> Pages:
    return lambda world, viewer: [Page(url(world))]


def searches(fields: tuple[str, ...], url: Callable[[World, str], str]) -> list[Surface]:
    return [
        Surface(
            f"search for {name}",
            every_work(lambda world, s, name=name: url(world, s.probe(name))),  # type: ignore[misc]
            search(name),
        )
        for name in fields
    ]


def work_url(world: World, state: State) -> str:
    return world.works[state.name].get_absolute_url()


def chapter_url(world: World, state: State) -> str:
    work = world.works[state.name]
    return reverse("works:chapter", args=[work.pk, world.chapters[state.name].pk])


def api(path: str) -> str:
    return f"/api/v1{path}"


def not_orphaned(state: State) -> bool:
    return not state.orphaned


FEED = listing(as_guest=True)
# Lists of what a reader bookmarked, subscribed to or read: titles of what is still listed.
TITLES = listing(meta=("title",))


def OWN_TITLES(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """The viewer's own bookmarks, subscriptions and history (the creator's history is what
    this test read as them)."""
    expect = TITLES(viewer, about, state, field_name)
    if subscribes(viewer) or expect is Expect.HIDE:
        return expect
    return Expect.ANY


FIRST_CHAPTER = ("body", "notes", "chapternotes", "comment")


def pseud_page(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """The pseud of one work's creator: that work, named by the pseud; the orphaned work's
    pseud is no longer the author's (404, naming the address asked for)."""
    if field_name in NAME:
        return Expect.ANY
    return listing()(viewer, about, state, field_name) if not state.orphaned else Expect.HIDE


def no_works(viewer: Viewer, about: State | None, state: State, field_name: str) -> Expect:
    """A page that shows no work at all: the orphaned work's former creator's own pages
    (their name, but none of the work they let go), a list of series by title."""
    if field_name in NAME:
        return Expect.ANY
    return Expect.HIDE


former_creator_page = no_works


SURFACES: list[Surface] = [
    # Listings, counts and feeds.
    Surface("works listing", one(lambda w: reverse("works:list")), listing()),
    Surface("fandom's works", one(lambda w: reverse("tags:works", args=[w.fandom.pk])), listing()),
    Surface("works feed", one(lambda w: reverse("discovery:works_feed")), FEED),
    Surface("fandom feed", one(lambda w: reverse("discovery:tag_feed", args=[w.fandom.pk])), FEED),
    Surface("API works", one(lambda w: api("/works?limit=100")), listing()),
    Surface("API fandom's works", one(lambda w: api(f"/tags/{w.fandom.pk}/works")), listing()),
    # Search, its snippets, and search by creator.
    *searches(
        ("body", "notes", "endnotes", "chapternotes"),
        lambda w, word: f"{reverse('works:list')}?q={word}",
    ),
    *searches(("body",), lambda w, word: f"{reverse('tags:works', args=[w.fandom.pk])}?q={word}"),
    *[
        Surface(
            "API search for body",
            every_work(lambda w, s: api(f"/works?q={s.probe('body')}")),
            search("body", snippets=False),
        )
    ],
    Surface(
        "search by the orphaned work's former creator",
        one(lambda w: f"{reverse('works:list')}?q=creator:{STATES[-1].secret('pen')}"),
        former_creator_page,  # the name is echoed as the query; the work must not be found
    ),
    # A work's own pages.
    # The first chapter of two: the work's end notes come after the last.
    Surface(
        "work page", every_work(work_url), reading(required=FIRST_CHAPTER, offers_similar=True)
    ),
    Surface(
        "chapter page",
        every_work(chapter_url),
        reading(required=FIRST_CHAPTER, offers_similar=True),
    ),
    Surface(
        "entire work",
        every_work(lambda w, s: f"{work_url(w, s)}?view_full_work=true"),
        reading(offers_similar=True),
    ),
    Surface(
        "chapter index",
        every_work(lambda w, s: reverse("works:navigate", args=[w.works[s.name].pk])),
        reading(carried=(), meta=("title",)),
    ),
    Surface(
        "work's bookmarks",
        every_work(lambda w, s: reverse("social:work_bookmarks", args=[w.works[s.name].pk])),
        about_work,
    ),
    Surface(
        "comment link",
        posted_works(lambda w, s: reverse("engagement:comment", args=[w.comments[s.name].pk])),
        reading(required=FIRST_CHAPTER, offers_similar=True),
    ),
    Surface(
        "comment thread",
        posted_works(
            lambda w, s: reverse("engagement:comment_thread", args=[w.comments[s.name].pk])
        ),
        reading(carried=("comment",), meta=("title",)),
    ),
    *[
        Surface(
            f"{fmt} download",
            every_work(
                lambda w, s, fmt=fmt: reverse(  # type: ignore[misc]
                    "formats:download", args=[w.works[s.name].pk, fmt]
                )
            ),
            download,
        )
        for fmt in ("epub", "pdf", "html", "txt")
    ],
    # The API of one work.
    Surface(
        "API work",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}")),
        api_meta(("notes", "endnotes")),
    ),
    Surface(
        "API work with adult=true",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}?adult=true")),
        api_meta(("notes", "endnotes"), adult_param=True),
    ),
    Surface(
        "API chapters",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}/chapters")),
        api_text(("body", "chapternotes")),
    ),
    Surface(
        "API chapters with adult=true",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}/chapters?adult=true")),
        api_text(("body", "chapternotes"), adult_param=True),
    ),
    Surface(
        "API chapter",
        every_work(
            lambda w, s: api(f"/works/{w.works[s.name].pk}/chapters/{w.chapters[s.name].pk}")
        ),
        api_text(("body", "chapternotes")),
    ),
    Surface(
        "API comments",
        posted_works(
            lambda w, s: api(
                f"/works/{w.works[s.name].pk}/chapters/{w.chapters[s.name].pk}/comments"
            )
        ),
        api_text(("comment",)),
    ),
    Surface(
        "API comment",
        posted_works(lambda w, s: api(f"/comments/{w.comments[s.name].pk}")),
        api_text(("comment",)),
    ),
    Surface(
        "API work's bookmarks",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}/bookmarks")),
        about_work,
    ),
    Surface(
        "API similar works",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}/similar?limit=20")),
        similar_to(),
    ),
    Surface(
        "API similar works with adult=true",
        every_work(lambda w, s: api(f"/works/{w.works[s.name].pk}/similar?limit=20&adult=true")),
        similar_to(adult_param=True),
    ),
    # A work's tag, when only that work carries it.
    Surface("tag's works", every_work(lambda w, s: f"/tags/{w.tags[s.name].pk}/works/"), tag_page),
    Surface("tag's page", every_work(lambda w, s: f"/tags/{w.tags[s.name].pk}/about/"), tag_page),
    Surface(
        "tag's feed", every_work(lambda w, s: f"/tags/{w.tags[s.name].pk}/feed.atom"), tag_feed
    ),
    Surface("API tag", every_work(lambda w, s: api(f"/tags/{w.tags[s.name].pk}")), tag_page),
    Surface(
        "API tag's works",
        every_work(lambda w, s: api(f"/tags/{w.tags[s.name].pk}/works")),
        tag_page,
    ),
    # Series, profiles and pseuds.
    Surface(
        "series page",
        one(lambda w: reverse("works:series", args=[w.series["author"].pk])),
        listing(not_orphaned, owner_sees=True),
    ),
    *[
        Surface(
            f"series {fmt} download",
            one(
                lambda w, fmt=fmt: reverse(  # type: ignore[misc]
                    "formats:series_download", args=[w.series["author"].pk, fmt]
                )
            ),
            series_download,
        )
        for fmt in ("epub", "html", "txt")
    ],
    Surface(
        "orphaned work's series page",
        one(lambda w: reverse("works:series", args=[w.series["former"].pk])),
        listing(lambda s: s.orphaned),
    ),
    Surface(
        "creator's series",
        one(lambda w: reverse("works:user_series", args=["author"])),
        no_works,
    ),
    Surface(
        "creator's profile",
        one(lambda w: reverse("accounts:profile", args=["author"])),
        listing(not_orphaned),
    ),
    Surface(
        "API creator's works",
        one(lambda w: api("/users/author/works?limit=100")),
        listing(not_orphaned),
    ),
    Surface(
        "creator's pseud",
        every_work(lambda w, s: reverse("accounts:pseud", args=["author", s.secret("pen")])),
        pseud_page,
    ),
    Surface(
        "API creator's pseud's works",
        every_work(lambda w, s: api(f"/users/author/pseuds/{s.secret('pen')}/works")),
        pseud_page,
    ),
    Surface(
        "former creator's profile",
        one(lambda w: reverse("accounts:profile", args=[STATES[-1].secret("pen")])),
        former_creator_page,
    ),
    Surface(
        "API former creator's works",
        one(lambda w: api(f"/users/{STATES[-1].secret('pen')}/works")),
        former_creator_page,
    ),
    Surface(
        "creator's drafts", one(lambda w: reverse("accounts:drafts", args=["author"])), own_works
    ),
    # A reader's bookmarks, as anyone sees them, and the viewer's own pages.
    Surface(
        "a reader's bookmarks",
        one(lambda w: reverse("social:user_bookmarks", args=["reader"])),
        TITLES,
    ),
    Surface("API a reader's bookmarks", one(lambda w: api("/users/reader/bookmarks")), TITLES),
    Surface(
        "a reader's public reading list",
        one(lambda w: reverse("social:reading_list", args=["reader"])),
        TITLES,
    ),
    Surface(
        "API a reader's reading list", one(lambda w: api("/users/reader/reading-list")), TITLES
    ),
    Surface("own reading list", one(lambda w: "/own/reading-list"), OWN_TITLES),
    Surface("API own reading list", one(lambda w: api("/reading-list")), OWN_TITLES),
    Surface("own bookmarks", one(lambda w: "/own/bookmarks"), OWN_TITLES),
    Surface("own subscriptions", one(lambda w: "/own/subscriptions"), OWN_TITLES),
    Surface("own history", one(lambda w: "/own/history"), OWN_TITLES),
    Surface("inbox", one(lambda w: reverse("social:inbox")), inbox),
    # Statistics: a creator's of their works, a reader's year in reading.
    Surface("own statistics", one(lambda w: "/own/stats"), creator_stats),
    Surface("own statistics as CSV", one(lambda w: "/own/stats.csv"), creator_stats),
    Surface("own counts by day as CSV", one(lambda w: "/own/days.csv"), own_works),
    Surface("API own statistics", one(lambda w: "/own/api-stats"), creator_stats),
    Surface(
        "creator's statistics",
        one(lambda w: reverse("accounts:stats", args=["author"])),
        creator_stats,  # the creator's own; refused to everyone else
    ),
    Surface("own year in reading", one(lambda w: "/own/year-in-reading"), year_in_reading),
    Surface("API own year in reading", one(lambda w: "/own/api-year"), year_in_reading),
]


# Pages of the viewer's own account, by the account's name.
OWN_PAGES: dict[str, Callable[[str], str]] = {
    "/own/bookmarks": lambda name: reverse("social:user_bookmarks", args=[name]),
    "/own/subscriptions": lambda name: reverse("social:user_subscriptions", args=[name]),
    "/own/history": lambda name: reverse("social:user_history", args=[name]),
    "/own/reading-list": lambda name: reverse("social:reading_list", args=[name]),
    "/own/stats": lambda name: reverse("accounts:stats", args=[name]),
    "/own/stats.csv": lambda name: reverse("accounts:stats_works_csv", args=[name]),
    "/own/days.csv": lambda name: reverse("accounts:stats_days_csv", args=[name]),
    "/own/api-stats": lambda name: api(f"/users/{name}/stats"),
    "/own/year-in-reading": lambda name: reverse("accounts:year_in_reading", args=[name]),
    "/own/api-year": lambda name: api(f"/users/{name}/year-in-reading"),
}


def page_text(client: Client, viewer: Viewer, page: Page) -> str | None:
    """What the page shows (None for pages this viewer has not, as the guest's own)."""
    url = page.url
    if url in OWN_PAGES:
        if not viewer.logged_in:
            return None
        username = User.objects.get(pk=client.session["_auth_user_id"]).username
        url = OWN_PAGES[url](username)
    response = client.get(url, follow=True)
    content = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    kind = response.get("Content-Type", "")
    if kind.startswith("application/epub"):
        with zipfile.ZipFile(io.BytesIO(content)) as package:
            return " ".join(package.read(n).decode() for n in package.namelist() if n != "mimetype")
    if kind.startswith("application/pdf"):
        # A PDF holds the whole work: take it as showing everything a download carries.
        assert page.about is not None
        return " ".join(
            page.about.secret(f) for f in ("title", "body", "notes", "endnotes", "chapternotes")
        )
    text = content.decode()
    if "json" in kind:
        # Unescaped, so markers inside JSON strings are found as on a page.
        text = json.dumps(json.loads(text), ensure_ascii=False) if text else ""
    return text


def test_every_surface_shows_each_viewer_only_what_the_rule_allows(
    db, settings, django_capture_on_commit_callbacks
) -> None:
    settings.API_RATE_LIMIT_REQUESTS = 1_000_000
    world = build_world(django_capture_on_commit_callbacks)
    failures: list[str] = []
    checked = {Expect.SHOW: 0, Expect.HIDE: 0}
    for viewer in VIEWERS:
        client = client_for(viewer, world)
        for surface in SURFACES:
            for page in surface.pages(world, viewer):
                text = page_text(client, viewer, page)
                if text is None:
                    continue
                for state in STATES:
                    for field_name in FIELDS:
                        expect = surface.rule(viewer, page.about, state, field_name)
                        if expect is Expect.ANY:
                            continue
                        checked[expect] += 1
                        present = state.secret(field_name) in text
                        if present != (expect is Expect.SHOW):
                            failures.append(
                                f"{surface.name} {page.url} as {viewer.name}: "
                                f"{state.name} {field_name} {expect.value}"
                            )
    assert not failures, f"{len(failures)} leaks or omissions:\n" + "\n".join(failures)
    # The rule was really put to the test both ways.
    assert checked[Expect.SHOW] > 1_000 and checked[Expect.HIDE] > 10_000, checked


@pytest.mark.parametrize("state", STATES, ids=lambda s: s.name)
def test_markers_are_unique(state: State) -> None:
    """No marker is part of another, so finding one never stands for another."""
    others = [s.secret(f) for s in STATES for f in FIELDS if (s, f) != (state, f)]
    for field_name in FIELDS:
        mine = state.secret(field_name)
        assert not [o for o in others if o != mine and (mine in o or o in mine)]
