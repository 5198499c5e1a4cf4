"""A gift exchange's unrevealed work and an anonymous collection's work never leak before
their reveals (issue 17, "Must show").

One archive: a writer gives an unrevealed gift (in a collection both unrevealed and
anonymous) and posts a work in an anonymous collection; another participant posts in the
exchange too. Every surface that lists, searches, feeds, downloads, bookmarks or tells of
a work is walked as a GUEST, as the other PARTICIPANT and as the gift's RECIPIENT, in
three phases: before the reveals (the gift exists nowhere, the other work names nobody),
after the works reveal (the gift shows, still by "Anonymous") and after the author reveal
(the writer is named). Every page is fetched once per viewer and phase; each failure is
collected so one run lists every leak.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.collections.item_services import (
    collection_bookmark_add,
    collection_reveal,
    collection_reveal_authors,
)
from fanarchive.collections.models import Collection
from fanarchive.collections.services import collection_join
from fanarchive.collections.tests.helpers import make_collection
from fanarchive.core.testing import make_user, make_work, run_due_tasks
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.models import Bookmark, Notice, ReadingHistory
from fanarchive.engagement.subscription_services import subscription_create
from fanarchive.tags.models import Tag, TagType
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = [pytest.mark.django_db, pytest.mark.guest_page_cache]

# The writer's account and the pseud both works are posted under: neither may show
# anywhere before the author reveal.
WRITER = "quillmothwriter"
PEN = "Nightinkpen"
NAMES = (WRITER.lower(), PEN.lower())

# The gift (unrevealed + anonymous exchange): its title word, fandom (used by no other
# work), and a word of its text.
GIFT_TITLE = "Secretmoth Lantern"
GIFT_FANDOM = "Mothlight Harbour"
GIFT_WORD = "Glimmerquay"
# The anonymous collection's work.
VEILED_TITLE = "Veiledmoth Tide"
VEILED_FANDOM = "Veilwater Saga"
VEILED_WORD = "Saltgleamer"
SERIES_TITLE = "Lanternwick Cycle"


@dataclass
class World:
    owner: User
    writer: User
    participant: User
    recipient: User
    follower: User
    exchange: Collection
    masked: Collection
    gift: Work
    veiled: Work
    series: Series
    gift_fandom: Tag
    veiled_fandom: Tag
    failures: list[str] = field(default_factory=list)
    checks: int = 0

    def check(self, ok: bool, message: str) -> None:
        self.checks += 1
        if not ok:
            self.failures.append(message)


def build_world(on_commit: Callable[..., Any]) -> World:
    owner = make_user("exchange_runner")
    writer = make_user(WRITER)
    pen = pseud_create(user=writer, owner=writer, name=PEN)
    participant = make_user("lanternpeer")
    recipient = make_user("moth_giftee")
    follower = make_user("moth_follower")
    exchange = make_collection(owner, unrevealed=True, anonymous=True)
    masked = make_collection(owner, anonymous=True)
    for member in (writer, participant):
        collection_join(user=member, collection=exchange)
    collection_join(user=writer, collection=masked)
    series = series_create(user=writer, title=SERIES_TITLE)
    subscription_create(user=follower, creator=writer)
    with on_commit(execute=True):
        gift = make_work(
            writer,
            title=GIFT_TITLE,
            fandoms=[GIFT_FANDOM],
            characters=["Wickkeeper Ansel"],
            freeforms=["Lantern Swaps"],
            summary="Lanterns traded at dusk.",
            texts=[f"The {GIFT_WORD} lamps were lit one by one."],
            pseud_ids=[pen.pk],
            gifts=[recipient.default_pseud.name],
            collections=[exchange.name],
        )
        series_work_add(user=writer, work=gift, series=series)
        veiled = make_work(
            writer,
            title=VEILED_TITLE,
            fandoms=[VEILED_FANDOM],
            characters=["Tidewarden Osk"],
            freeforms=["Quiet Shores"],
            texts=[f"The {VEILED_WORD} nets dried on the rocks."],
            pseud_ids=[pen.pk],
            collections=[masked.name],
        )
        # The other participant's own exchange work, and their public bookmark of the
        # anonymous collection's work, listed in that collection.
        make_work(participant, title="Peerlantern Verse", collections=[exchange.name])
        collection_bookmark_add(
            user=participant,
            collection=masked,
            bookmark=bookmark_create(
                user=participant, pseud=participant.default_pseud, work=veiled
            ),
        )
        # A reader's question on the anonymous work, and the writer's reply.
        question = comment_create(
            chapter=veiled.chapters.get(), user=participant, text="<p>Who lit the nets?</p>"
        )
        comment_create(
            chapter=veiled.chapters.get(),
            user=writer,
            text="<p>The tide keepers did.</p>",
            parent=question,
        )
        # The writer's own public bookmark of the gift, put in the exchange too.
        collection_bookmark_add(
            user=writer,
            collection=exchange,
            bookmark=bookmark_create(user=writer, pseud=pen, work=gift, notes="Mine."),
        )
    with on_commit(execute=True):
        run_due_tasks()
    return World(
        owner=owner,
        writer=writer,
        participant=participant,
        recipient=recipient,
        follower=follower,
        exchange=exchange,
        masked=masked,
        gift=Work.objects.get(pk=gift.pk),
        veiled=Work.objects.get(pk=veiled.pk),
        series=series,
        gift_fandom=Tag.objects.get(type=TagType.FANDOM, name=GIFT_FANDOM),
        veiled_fandom=Tag.objects.get(type=TagType.FANDOM, name=VEILED_FANDOM),
    )


# -- fetching ------------------------------------------------------------------------------


def fetch(client: Client, url: str) -> tuple[int, str]:
    response: Any = client.get(url)
    if getattr(response, "streaming", False):
        data = b"".join(response.streaming_content)
    else:
        data = response.content
    kind = response.get("Content-Type", "")
    if kind.startswith("application/epub"):
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            text = "\n".join(book.read(n).decode("utf-8", "replace") for n in book.namelist())
    elif kind.startswith("application/pdf"):
        text = _pdf_text(data)
    else:
        text = data.decode("utf-8", "replace")
        if "json" in kind and text:
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return response.status_code, text


def _pdf_text(data: bytes) -> str:
    """The PDF's bytes and every deflated stream in it, inflated."""
    parts = [data.decode("latin-1")]
    for match in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[match.end() :]).decode("latin-1"))
        except zlib.error:
            continue
    return "\n".join(parts)


def api(path: str) -> str:
    return f"/api/v1{path}"


def viewers(world: World) -> dict[str, Client]:
    guest = Client()
    participant, recipient = Client(), Client()
    participant.force_login(world.participant)
    recipient.force_login(world.recipient)
    return {"guest": guest, "participant": participant, "recipient": recipient}


# -- the surfaces -----------------------------------------------------------------------------
#
# LISTINGS list works under their bylines: once a work shows there, its creator's name may
# show only after the author reveal. NAMED pages are the writer's own (profile, pseud,
# bookmarks, searches by their name): they may list a work only once it names its creator.


def listings(world: World) -> dict[str, str]:
    exchange, masked = world.exchange.name, world.masked.name
    gift_fandom, veiled_fandom = world.gift_fandom.pk, world.veiled_fandom.pk
    return {
        "collection page": reverse("collections:detail", args=[exchange]),
        "collection works": reverse("collection_listing:works", args=[exchange]),
        "collection works filtered": reverse("collection_listing:works", args=[exchange])
        + f"?include={gift_fandom}",
        "collection feed": reverse("collection_listing:works_feed", args=[exchange]),
        "collection bookmarks": reverse("collection_listing:bookmarks", args=[exchange]),
        "collection participants": reverse("collections:participants", args=[exchange]),
        "anonymous collection participants": reverse("collections:participants", args=[masked]),
        "anonymous collection works": reverse("collection_listing:works", args=[masked]),
        "anonymous collection feed": reverse("collection_listing:works_feed", args=[masked]),
        "anonymous collection bookmarks": reverse("collection_listing:bookmarks", args=[masked]),
        "works": reverse("works:list"),
        "works sorted by creator": reverse("works:list") + "?sort=creator",
        "search by title": reverse("works:list") + "?q=Secretmoth+Veiledmoth",
        "search gift title": reverse("works:list") + "?q=Secretmoth",
        "search veiled title": reverse("works:list") + "?q=Veiledmoth",
        "search by text": reverse("works:list") + f"?q={GIFT_WORD}",
        "gift fandom page": reverse("tags:works", args=[gift_fandom]),
        "gift fandom feed": reverse("discovery:tag_feed", args=[gift_fandom]),
        "veiled fandom page": reverse("tags:works", args=[veiled_fandom]),
        "veiled fandom feed": reverse("discovery:tag_feed", args=[veiled_fandom]),
        "works feed": reverse("discovery:works_feed"),
        "recipient's gifts": reverse("works:gifts", args=[world.recipient.username]),
        "participant's bookmarks": reverse("social:user_bookmarks", args=["lanternpeer"]),
        "veiled work's bookmarks": reverse("social:work_bookmarks", args=[world.veiled.pk]),
        "API works": api("/works?limit=100"),
        "API search": api("/works?q=Secretmoth"),
        "API search text": api(f"/works?q={GIFT_WORD}"),
        "API gift fandom works": api(f"/tags/{gift_fandom}/works"),
        "API veiled fandom works": api(f"/tags/{veiled_fandom}/works"),
        "API collection": api(f"/collections/{exchange}"),
        "API collection works": api(f"/collections/{exchange}/works"),
        "API anonymous collection works": api(f"/collections/{masked}/works"),
        "API participant's bookmarks": api("/users/lanternpeer/bookmarks"),
        "API veiled work's bookmarks": api(f"/works/{world.veiled.pk}/bookmarks"),
    }


# Pages that repeat what was asked for (a search's words, a chosen tag's name).
ECHOES = {
    "search by text": (GIFT_WORD,),
    "collection works filtered": (GIFT_FANDOM,),
}
# The pages of the fandom only the gift uses: none before the works reveal.
GIFT_TAG_PAGES = ("gift fandom page", "gift fandom feed", "API gift fandom works")


def work_pages(work: Work) -> dict[str, str]:
    """The work's own pages and downloads: 404 while it is unrevealed."""
    chapter = work.chapters.get()
    pages = {
        "work page": reverse("works:detail", args=[work.pk]),
        "chapter page": reverse("works:chapter", args=[work.pk, chapter.pk]),
        "chapter index": reverse("works:navigate", args=[work.pk]),
        "API comments": api(f"/works/{work.pk}/chapters/{chapter.pk}/comments"),
        "work's bookmarks": reverse("social:work_bookmarks", args=[work.pk]),
        "API work": api(f"/works/{work.pk}"),
        "API chapters": api(f"/works/{work.pk}/chapters"),
        "API work's bookmarks": api(f"/works/{work.pk}/bookmarks"),
    }
    for fmt in ("epub", "html", "pdf", "txt"):
        pages[f"{fmt} download"] = reverse("formats:download", args=[work.pk, fmt])
    return pages


def named_pages(world: World) -> dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]]:
    """The writer's pages and searches by their names: what each must show before the
    author reveal (no work: counts of none), and what once it names them."""
    writer = world.writer.username
    both = (GIFT_TITLE, VEILED_TITLE)
    return {
        "search by username": (reverse("works:list") + f"?q={WRITER}", (), both),
        "search by pseud": (reverse("works:list") + f"?q={PEN}", (), both),
        "search creator:": (reverse("works:list") + f"?q=creator:{WRITER}", (), both),
        "API search by username": (api(f"/works?q={WRITER}"), (), both),
        "API search creator:": (api(f"/works?q=creator:{PEN}"), (), both),
        "profile": (reverse("accounts:profile", args=[writer]), (), both),
        "pseud page": (reverse("accounts:pseud", args=[writer, PEN]), (), both),
        "pseuds": (reverse("accounts:pseuds", args=[writer]), ("0 works",), ("2 works",)),
        "writer's series": (reverse("works:user_series", args=[writer]), (), (SERIES_TITLE,)),
        "writer's bookmarks": (
            reverse("social:user_bookmarks", args=[writer]),
            (),
            (GIFT_TITLE,),
        ),
        "API user": (api(f"/users/{writer}"), ('"works": 0',), ('"works": 2',)),
        "API pseud": (api(f"/users/{writer}/pseuds/{PEN}"), ('"works": 0',), ('"works": 2',)),
        "API user works": (api(f"/users/{writer}/works"), (), both),
        "API pseud works": (api(f"/users/{writer}/pseuds/{PEN}/works"), (), both),
        "API writer's bookmarks": (api(f"/users/{writer}/bookmarks"), (), (GIFT_TITLE,)),
    }


def names_shown(text: str) -> list[str]:
    lowered = text.lower()
    return [name for name in NAMES if name in lowered]


# -- one phase of the walk ------------------------------------------------------------------


@dataclass(frozen=True)
class Phase:
    name: str
    gift_shown: bool  # after the works reveal
    named: bool  # after the author reveal


def walk(world: World, phase: Phase) -> None:
    for who, client in viewers(world).items():
        where = f"[{phase.name}, {who}]"
        seen: dict[str, str] = {}
        for name, url in listings(world).items():
            status, text = fetch(client, url)
            gone = not phase.gift_shown and name in GIFT_TAG_PAGES
            world.check(status == (404 if gone else 200), f"{where} {name} {url}: {status}")
            seen[name] = text
            if not phase.gift_shown:
                for marker in (GIFT_TITLE, GIFT_FANDOM, GIFT_WORD):
                    if marker not in ECHOES.get(name, ()):
                        world.check(marker not in text, f"{where} {name} {url} shows {marker!r}")
                counted = re.search(rf"{GIFT_FANDOM}\s*\(\d", text)
                world.check(counted is None, f"{where} {name} {url} counts {GIFT_FANDOM}")
            if not phase.named:
                shown = names_shown(text)
                world.check(not shown, f"{where} {name} {url} names {shown}")
        _expect_listed(world, where, seen, phase)
        _walk_work(world, client, where, world.gift, shown=phase.gift_shown, phase=phase)
        _walk_work(world, client, where, world.veiled, shown=True, phase=phase)
        for name, (url, before, after) in named_pages(world).items():
            status, text = fetch(client, url)
            world.check(status == 200, f"{where} {name} {url}: {status}")
            for marker in after if phase.named else before:
                world.check(marker in text, f"{where} {name} {url}: {marker!r} missing")
            if not phase.named:
                for marker in (GIFT_TITLE, VEILED_TITLE, SERIES_TITLE, *after):
                    world.check(marker not in text, f"{where} {name} {url}: {marker!r} shown")
        _walk_series(world, client, where, phase)


def _expect_listed(world: World, where: str, seen: dict[str, str], phase: Phase) -> None:
    """What must show (so an empty page cannot pass)."""
    always = ["works", "anonymous collection works", "anonymous collection feed", "works feed"]
    always += ["search veiled title", "veiled fandom page", "API works", "API veiled fandom works"]
    always += ["anonymous collection bookmarks", "participant's bookmarks"]
    for name in always:
        world.check(VEILED_TITLE in seen[name], f"{where} {name}: the veiled work is missing")
    gift_listed = ["collection works", "collection feed", "works", "search gift title"]
    gift_listed += ["search by text", "gift fandom page", "gift fandom feed", "works feed"]
    gift_listed += ["recipient's gifts", "API works", "API search", "API gift fandom works"]
    gift_listed += ["API collection works", "collection works filtered"]
    for name in gift_listed:
        shown = GIFT_TITLE in seen[name]
        world.check(
            shown == phase.gift_shown,
            f"{where} {name}: the gift {'missing' if phase.gift_shown else 'shown'}",
        )
    # The collection's counts: its own works are both unrevealed until the works reveal.
    count = 2 if phase.gift_shown else 0
    world.check(f"Works ({count})" in seen["collection page"], f"{where} the collection's count")
    world.check(f'"works_count": {count}' in seen["API collection"], f"{where} the API's count")
    if phase.gift_shown:
        # The fandom only the gift uses now has its facet count.
        world.check(
            re.search(rf"{GIFT_FANDOM}\s*\(\d+\)", seen["collection works"]) is not None,
            f"{where} the collection's facets lack {GIFT_FANDOM}",
        )
    if phase.named:
        for name in ("works", "works feed", "API works", "anonymous collection works"):
            world.check(PEN in seen[name], f"{where} {name}: the revealed creator is not named")
        for name in ("collection participants", "anonymous collection participants"):
            world.check(WRITER in seen[name], f"{where} {name}: the writer is not listed")


def _walk_series(world: World, client: Client, where: str, phase: Phase) -> None:
    """The series holds only the gift: no page before the works reveal, then one that
    names its creator only after the author reveal."""
    url = reverse("works:series", args=[world.series.pk])
    status, text = fetch(client, url)
    if not phase.gift_shown:
        world.check(status == 404, f"{where} series page {url}: {status}, not 404")
        return
    world.check(status == 200 and "Secretmoth" in text, f"{where} series page {url}: {status}")
    world.check(bool(names_shown(text)) == phase.named, f"{where} series page {url}: the byline")


def _walk_work(
    world: World, client: Client, where: str, work: Work, *, shown: bool, phase: Phase
) -> None:
    for name, url in work_pages(work).items():
        status, text = fetch(client, url)
        if not shown:
            world.check(status == 404, f"{where} {name} {url}: {status}, not 404")
            world.check(work.title not in text, f"{where} {name} {url} shows the title")
            continue
        world.check(status == 200, f"{where} {name} {url}: {status}")
        if "bookmarks" not in name and not name.startswith(("API chapters", "API comments")):
            world.check(work.title.split()[0] in text, f"{where} {name} {url}: title missing")
        if name == "work page":
            word = GIFT_WORD if work.pk == world.gift.pk else VEILED_WORD
            world.check(word in text, f"{where} {name} {url}: its text is missing")
        if work.pk == world.veiled.pk and name in ("chapter page", "API comments"):
            world.check("The tide keepers did." in text, f"{where} {name}: the reply is missing")
        shown_names = names_shown(text)
        if phase.named:
            if name in ("work page", "API work", "txt download", "html download"):
                world.check(bool(shown_names), f"{where} {name} {url}: the creator not named")
        else:
            world.check(not shown_names, f"{where} {name} {url} names {shown_names}")
    if shown and not phase.named:
        _, epub = fetch(client, reverse("formats:download", args=[work.pk, "epub"]))
        world.check("<dc:creator>Anonymous</dc:creator>" in epub, f"{where} epub not Anonymous")
        _, txt = fetch(client, reverse("formats:download", args=[work.pk, "txt"]))
        world.check("Author: Anonymous" in txt, f"{where} txt not Anonymous")


# -- what is told, and what viewers try -----------------------------------------------------


def check_notices(world: World, phase: Phase) -> None:
    """Nobody but the writer hears of the gift before the works reveal, and no notice or
    mail to anyone else names the writer before the author reveal."""
    where = f"[{phase.name}]"
    others = Notice.objects.exclude(recipient=world.writer)
    for notice in others:
        text = f"{notice.subject} {notice.body}"
        if not phase.gift_shown:
            world.check(
                "Secretmoth" not in text and notice.work_id != world.gift.pk,
                f"{where} a notice to {notice.recipient.username} tells of the gift: {text}",
            )
        if not phase.named:
            world.check(
                not names_shown(text), f"{where} a notice to {notice.recipient} names: {text}"
            )
    for message in mail.outbox:
        if world.writer.email in message.to:
            continue
        text = f"{message.subject} {message.body}"
        if not phase.gift_shown:
            world.check("Secretmoth" not in text, f"{where} mail to {message.to}: {text}")
        if not phase.named:
            world.check(not names_shown(text), f"{where} mail to {message.to} names: {text}")
    gift_notices = Notice.objects.filter(recipient=world.recipient, work=world.gift)
    world.check(
        gift_notices.exists() == phase.gift_shown,
        f"{where} the recipient's gift notice: {list(gift_notices.values('subject'))}",
    )
    recipient = viewers(world)["recipient"]
    _, inbox = fetch(recipient, reverse("social:inbox"))
    world.check(("Secretmoth" in inbox) == phase.gift_shown, f"{where} the recipient's inbox")
    if not phase.named:
        world.check(not names_shown(inbox), f"{where} the recipient's inbox names the writer")
    if phase.gift_shown:
        # Told by mail as well, still without the writer's name (checked above).
        mailed = [m for m in mail.outbox if world.recipient.email in m.to]
        world.check(
            any(GIFT_TITLE in f"{m.subject} {m.body}" for m in mailed),
            f"{where} no gift mail to the recipient",
        )
    # The writer's follower hears of neither work while it is anonymous: a notice "from a
    # creator you follow" would name them.
    if not phase.named:
        told = Notice.objects.filter(
            recipient=world.follower, work_id__in=[world.gift.pk, world.veiled.pk]
        )
        world.check(not told.exists(), f"{where} the follower heard: {list(told)}")


def check_history(world: World, phase: Phase) -> None:
    """Reading the anonymous work puts it in the participant's history without the
    writer's name; the gift cannot be marked for later before it is revealed."""
    where = f"[{phase.name}]"
    for who, client in viewers(world).items():
        if who == "guest":
            continue
        user = world.participant if who == "participant" else world.recipient
        response = client.post(reverse("social:mark_for_later", args=[world.gift.pk]))
        marked = ReadingHistory.objects.filter(user=user, work=world.gift).exists()
        if not phase.gift_shown:
            world.check(response.status_code == 404, f"{where} {who} marked the gift for later")
            world.check(not marked, f"{where} {who}'s history holds the gift")
        _, history = fetch(client, reverse("social:user_history", args=[user.username]))
        world.check("Veiledmoth" in history, f"{where} {who}'s history lacks the veiled work")
        world.check(
            ("Secretmoth" in history) == phase.gift_shown,
            f"{where} {who}'s history and the gift",
        )
        if not phase.named:
            world.check(not names_shown(history), f"{where} {who}'s history names the writer")


def check_bookmark_attempt(world: World, phase: Phase) -> None:
    """The recipient cannot bookmark the gift before the works reveal."""
    client = viewers(world)["recipient"]
    response = client.post(
        reverse("social:bookmark_new"),
        {"work": world.gift.pk, "pseud": world.recipient.default_pseud.pk, "notes": "Yes"},
    )
    made = Bookmark.objects.filter(user=world.recipient, work=world.gift).exists()
    if not phase.gift_shown:
        world.check(response.status_code == 404, f"[{phase.name}] bookmark: {response.status_code}")
        world.check(not made, f"[{phase.name}] the recipient bookmarked the unrevealed gift")
    else:
        world.check(made, f"[{phase.name}] the recipient could not bookmark the revealed gift")


BEFORE = Phase("before the reveals", gift_shown=False, named=False)
WORKS_REVEALED = Phase("after the works reveal", gift_shown=True, named=False)
AUTHORS_REVEALED = Phase("after the author reveal", gift_shown=True, named=True)


def test_collection_works_never_leak_before_their_reveals(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.API_RATE_LIMIT_REQUESTS = 1_000_000
    world = build_world(django_capture_on_commit_callbacks)
    assert world.gift.unrevealed and world.gift.anonymous_by_collection
    assert world.veiled.anonymous_by_collection and not world.veiled.unrevealed
    # Every viewer reads the anonymous collection's work once (their history).
    for who, client in viewers(world).items():
        assert client.get(world.veiled.get_absolute_url()).status_code == 200, who

    for phase, reveal in (
        (BEFORE, None),
        (WORKS_REVEALED, lambda: collection_reveal(user=world.owner, collection=world.exchange)),
        (AUTHORS_REVEALED, _reveal_authors(world)),
    ):
        if reveal is not None:
            with django_capture_on_commit_callbacks(execute=True):
                reveal()
            with django_capture_on_commit_callbacks(execute=True):
                run_due_tasks()
            world.gift.refresh_from_db()
            world.veiled.refresh_from_db()
        walk(world, phase)
        check_notices(world, phase)
        check_history(world, phase)
        check_bookmark_attempt(world, phase)
    assert not world.failures, f"{len(world.failures)} leaks or omissions:\n" + "\n".join(
        world.failures
    )
    assert world.checks > 1_000, world.checks


def _reveal_authors(world: World) -> Callable[[], None]:
    def reveal() -> None:
        collection_reveal_authors(user=world.owner, collection=world.exchange)
        collection_reveal_authors(user=world.owner, collection=world.masked)

    return reveal
