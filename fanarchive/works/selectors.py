"""Reads of works and chapters, with visibility applied."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.moderators import is_moderator
from fanarchive.core.errors import LoginRequired
from fanarchive.core.page_cache import entry_version, newest_entry
from fanarchive.tags.fixed import ADULT_RATINGS
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import filter_closure_ids, is_wrangler
from fanarchive.works import age_gate, limits
from fanarchive.works.age_gate import AgeGateContext, Mode, Reason
from fanarchive.works.models import (
    Autosave,
    CatalogueChange,
    Chapter,
    CreatorInvitation,
    Creatorship,
    Gift,
    SeriesWork,
    StaleSearchDocument,
    Work,
    WorkQuerySet,
    WorkTag,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    AnyUser = User | AnonymousUser


def is_creator(user: AnyUser, work: Work) -> bool:
    if not user.is_authenticated:
        return False
    return work.creatorships.filter(pseud__user=user).exists()


def require_creator(user: AnyUser, work: Work, *, to: str | None = None) -> None:
    """Refuse (403) anyone but the work's creators: "Only the creators of this work can {to}."."""
    if not is_creator(user, work):
        raise PermissionDenied(
            _("Only the creators of this work can %(to)s.") % {"to": to or _("change it")}
        )


def creator_users_of(work: Work) -> list[User]:
    """The accounts behind the work's pseuds, in byline order."""
    users: dict[int, User] = {}
    for creatorship in work.creatorships.select_related("pseud__user").order_by("position", "id"):
        users.setdefault(creatorship.pseud.user_id, creatorship.pseud.user)
    return list(users.values())


# -- who a work is by, as each viewer may see it ------------------------------------------


@dataclass(frozen=True)
class BylineViewer:
    """Who is asking for a byline: an account id (None for guests) and whether they
    moderate. Made once per page (`of`) so a page of blurbs asks nothing per work."""

    user_id: int | None = None
    moderator: bool = False

    @classmethod
    def of(cls, user: AnyUser | BylineViewer | None) -> BylineViewer:
        if isinstance(user, BylineViewer):
            return user
        if user is None or not user.is_authenticated:
            return PUBLIC
        return cls(user.pk, is_moderator(user))


# A guest, a feed, a download, a notice to someone else: what everyone may see.
PUBLIC = BylineViewer()


@dataclass(frozen=True)
class Byline:
    """A work's creators as one viewer may see them (`byline_for`).

    `pseuds` are the names shown (empty: "Anonymous"); `anonymous` says the work was
    posted anonymously; `seen_as` is why names are shown for one: "creator" (the viewer
    is one of them) or "moderator", else "public".
    """

    pseuds: list[Pseud]
    anonymous: bool
    seen_as: str = "public"

    def compose(self, names: str, note: Callable[[str], str] = str) -> str:
        """The byline around `names` (the pseuds as text, or as links): "Anonymous", the
        names, or both with a remark that `note` wraps (HTML's span)."""
        if not self.pseuds:
            return _("Anonymous")
        if not self.anonymous:
            return names
        if self.seen_as == "moderator":
            return _("Anonymous %(note)s") % {
                "note": note(_("(creator: %(names)s)") % {"names": names})
            }
        return f"{names} {note(_('(anonymous)'))}"

    @property
    def text(self) -> str:
        """The byline as plain text (feeds, downloads, notices, the API)."""
        return self.compose(", ".join(pseud.byline for pseud in self.pseuds))


def _creator_pseuds(work: Work) -> list[Pseud]:
    """The work's pseuds in byline order, from prefetched creatorships when there are some."""
    cache = getattr(work, "_prefetched_objects_cache", {})
    if "creatorships" in cache:
        return [c.pseud for c in cache["creatorships"]]
    return [c.pseud for c in work.creatorships.select_related("pseud", "pseud__user")]


def byline_for(work: Work, viewer: AnyUser | BylineViewer | None = None) -> Byline:
    """The one rule of who a work is by, as `viewer` may see it (None: the public).

    An anonymous work (`Work.anonymous`) names nobody to guests, other readers, feeds,
    downloads and the API's public fields (so does a work in an anonymous collection,
    `Work.anonymous_by_collection`, until the author reveal); its creators see their own
    names (with the note "(anonymous)"), moderators see "Anonymous (creator: ...)".
    """
    pseuds = _creator_pseuds(work)
    if not (work.anonymous or work.anonymous_by_collection):
        return Byline(pseuds, anonymous=False)
    seen_by = BylineViewer.of(viewer)
    if seen_by.user_id is not None and any(p.user_id == seen_by.user_id for p in pseuds):
        return Byline(pseuds, anonymous=True, seen_as="creator")
    if seen_by.moderator:
        return Byline(pseuds, anonymous=True, seen_as="moderator")
    return Byline([], anonymous=True)


def public_byline(work: Work) -> str:
    """What everyone may read as the work's byline: "Anonymous" for an anonymous work."""
    return byline_for(work, PUBLIC).text


def anonymous_works_q(prefix: str = "") -> Q:
    """The condition that a work names nobody (`byline_for`): posted anonymously or in an
    anonymous collection before its author reveal. `prefix` ("work__") reaches it from a
    related model."""
    return Q(**{f"{prefix}anonymous": True}) | Q(**{f"{prefix}anonymous_by_collection": True})


def named_works_q(viewer: AnyUser, owner_id: int) -> Q:
    """The condition on works that lists them as `owner`'s to `viewer` (profile, pseud and
    series pages, work counts): all of them for the owner, else not the anonymous ones."""
    if viewer.is_authenticated and viewer.pk == owner_id:
        return Q()
    return ~anonymous_works_q()


def access_work(user: AnyUser, work_id: int) -> Work:
    """The work, if `user` may open it; otherwise the right refusal.

    Unknown works and others' drafts are 404 (a draft's existence is private);
    works hidden by a moderator are 403, except to moderators (who review them) and to
    their creators (who see why: `Work.hidden_reason`); unrevealed works (in a
    collection before its reveal) are 404 but to creators and moderators; restricted
    works send guests to log in.
    """
    work = Work.objects.filter(pk=work_id).first()
    if work is None:
        raise Http404(_("No such work."))
    if is_creator(user, work):
        return work
    if not work.posted:
        raise Http404(_("No such work."))
    # A collection's unrevealed work: its existence is private until the reveal.
    if work.unrevealed and not is_moderator(user):
        raise Http404(_("No such work."))
    if work.hidden_by_admin and not is_moderator(user):
        raise PermissionDenied(_("This work has been hidden by an administrator."))
    if work.restricted and not user.is_authenticated:
        raise LoginRequired(
            _("This work is only for registered users of the archive. Please log in to read it.")
        )
    return work


def readable_chapters(user: AnyUser, work: Work) -> list[Chapter]:
    """The chapters `user` may read: creators see draft chapters too."""
    chapters = work.chapters.order_by("position")
    if not is_creator(user, work):
        chapters = chapters.filter(posted=True)
    return list(chapters)


@dataclass(frozen=True)
class ReadingPlace:
    """Which of a work's chapters a reading page shows, and the ways on from there."""

    chapters: list[Chapter]  # every chapter the reader may read, in order
    shown: list[Chapter]
    current: Chapter
    full: bool  # the entire work on one page
    previous: Chapter | None
    following: Chapter | None
    is_last: bool


def reading_place(
    user: AnyUser, work: Work, *, chapter_id: int | None, view_full: bool
) -> ReadingPlace:
    """The chapters of `work` a reading page shows `user`: one chapter (`chapter_id`, else
    the first), or the entire work when asked for (`view_full`) or when it has one chapter.

    404 when there is no chapter `user` may read, or no such chapter among them.
    """
    chapters = readable_chapters(user, work)
    if not chapters:
        raise Http404(_("This work has no chapters you can read."))
    full = view_full or len(chapters) == 1
    if chapter_id is not None:
        found = next((c for c in chapters if c.pk == chapter_id), None)
        if found is None:
            raise Http404(_("No such chapter in this work."))
        current, full = found, False
    else:
        current = chapters[0]
    index = chapters.index(current)
    return ReadingPlace(
        chapters=chapters,
        shown=chapters if full else [current],
        current=current,
        full=full,
        previous=chapters[index - 1] if not full and index > 0 else None,
        following=chapters[index + 1] if not full and index + 1 < len(chapters) else None,
        is_last=full or index == len(chapters) - 1,
    )


def with_blurb_data(works: WorkQuerySet) -> WorkQuerySet:
    """Prefetch what a blurb or meta block shows, so a page of works costs a fixed few queries."""
    return works.with_engagement().prefetch_related(
        Prefetch("work_tags", queryset=WorkTag.objects.select_related("tag")),
        Prefetch(
            "creatorships", queryset=Creatorship.objects.select_related("pseud", "pseud__user")
        ),
        Prefetch(
            "series_works",
            queryset=SeriesWork.objects.select_related("series").order_by("series_id"),
        ),
        Prefetch(
            "gifts",
            queryset=Gift.objects.filter(refused=False).select_related("pseud", "pseud__user"),
            to_attr="shown_gifts",
        ),
    )


# The columns a blurb or a feed entry reads (see works_tags.blurb_html and
# discovery.feeds): listings of many works load only these, which halves the cost
# of building a page's ~700 model instances. Reading any other field of these
# objects would cost a query per object, so anything new a blurb shows goes here.
_LISTED_PSEUD = ("pseud__id", "pseud__name", "pseud__user_id", "pseud__user__id")
_LISTED_USER = ("pseud__user__username",)


def with_listing_data(works: WorkQuerySet) -> WorkQuerySet:
    """`with_blurb_data` for pages of blurbs: the same objects, only the columns shown."""
    return (
        works.with_engagement()
        .defer("notes", "endnotes", "created_at")
        .prefetch_related(
            Prefetch(
                "work_tags",
                queryset=WorkTag.objects.select_related("tag").only(
                    "id",
                    "work_id",
                    "tag_id",
                    "position",
                    "main",
                    "tag__id",
                    "tag__name",
                    "tag__type",
                    "tag__sort_order",
                ),
            ),
            Prefetch(
                "creatorships",
                queryset=Creatorship.objects.select_related("pseud", "pseud__user").only(
                    "id", "work_id", "pseud_id", "position", *_LISTED_PSEUD, *_LISTED_USER
                ),
            ),
            Prefetch(
                "series_works",
                queryset=SeriesWork.objects.select_related("series")
                .only("id", "work_id", "series_id", "position", "series__id", "series__title")
                .order_by("series_id"),
            ),
            Prefetch(
                "gifts",
                queryset=Gift.objects.filter(refused=False)
                .select_related("pseud", "pseud__user")
                .only(
                    "id",
                    "work_id",
                    "pseud_id",
                    "recipient_name",
                    "position",
                    "refused",
                    *_LISTED_PSEUD,
                    *_LISTED_USER,
                ),
                to_attr="shown_gifts",
            ),
        )
    )


def pseuds_for(viewer: AnyUser, owner: User) -> QuerySet[Pseud]:
    """`owner`'s pseuds, default first, each with `work_count`: the works `viewer` may see."""
    visible = Work.objects.visible_to(viewer).filter(named_works_q(viewer, owner.pk)).values("id")
    return (
        Pseud.objects.filter(user=owner)
        .select_related("user")
        .annotate(work_count=Count("creatorships", filter=Q(creatorships__work__in=visible)))
        .order_by("-is_default", "name")
    )


def drafts_of(user: User) -> WorkQuerySet:
    return with_blurb_data(Work.objects.by_user(user).filter(posted=False)).order_by("-updated_at")


def is_adult(work: Work) -> bool:
    return any(tag.name in ADULT_RATINGS for tag in work.tags_of(TagType.RATING))


@dataclass(frozen=True)
class AdultAccess:
    """Whether a viewer may read adult works' text (their own works aside), and if not,
    what they can do about it."""

    allowed: bool
    reason: Reason


def adult_access(viewer: AgeGateContext) -> AdultAccess:
    """The operator's age-gate policy (`settings.AGE_GATE`) applied to one viewer.

    interstitial: AO3's question, answered once a session or for good by the "show adult
    content" preference. adults: only accounts that confirmed they are 18 or over.
    verified: only accounts marked age-verified. countries: the question, except that
    visitors from a listed country are never shown adult text. Where a mode refuses,
    admins and moderators are not refused (they act on reports); the question itself
    they answer like anyone.
    """
    user = viewer.user
    policy = age_gate.mode()
    if policy is not Mode.INTERSTITIAL and age_gate.is_exempt(user):
        return AdultAccess(True, Reason.CONSENT)
    if policy is Mode.ADULTS:
        confirmed = user.is_authenticated and user.adult_confirmed_at is not None
        return AdultAccess(confirmed, Reason.CONFIRMATION)
    if policy is Mode.VERIFIED:
        verified = user.is_authenticated and user.age_verified_at is not None
        return AdultAccess(verified, Reason.VERIFICATION)
    if policy is Mode.COUNTRIES and viewer.country in settings.AGE_GATE_COUNTRIES:
        return AdultAccess(False, Reason.COUNTRY)
    preference = getattr(user, "preference", None) if user.is_authenticated else None
    agreed = viewer.session_consented or bool(preference is not None and preference.view_adult)
    return AdultAccess(agreed, Reason.CONSENT)


def adult_text_withheld(*, viewer: AgeGateContext, works: Iterable[Work]) -> set[int]:
    """The ids of those of `works` whose own words (chapters, notes, comments, passages
    matched by a search) `viewer` may not see yet; their blurbs stay public.

    The adult-content rule (shared REFERENCE), under the operator's policy
    (`adult_access`): Not Rated, Mature and Explicit works' text only for viewers the
    policy allows, and always for the work's creators. Works need their tags (and
    nothing else) loaded; the creators are looked up in one query.
    """
    adult = [work for work in works if is_adult(work)]
    if not adult or adult_access(viewer).allowed:
        return set()
    if not viewer.user.is_authenticated:
        return {work.pk for work in adult}
    own = Creatorship.objects.filter(work__in=adult, pseud__user=viewer.user).values_list(
        "work_id", flat=True
    )
    return {work.pk for work in adult} - set(own)


def needs_adult_consent(*, viewer: AgeGateContext, work: Work) -> bool:
    """Whether to show the adult-content interstitial before this work's text (what it
    says: `adult_access(viewer).reason`)."""
    return bool(adult_text_withheld(viewer=viewer, works=[work]))


# -- tags ---------------------------------------------------------------------------------


def tag_advertised(user: AnyUser, tag: Tag) -> bool:
    """Whether `user` may be shown `tag` at all (its name, page, feed, API entry).

    Fixed and canonical tags are public, and wranglers see every tag. Any other tag is
    shown only where a work the viewer may list (or one of their own) carries it,
    directly or through its synonyms and subtags: a tag typed only on drafts, restricted
    or hidden works must not advertise them.
    """
    if tag.is_fixed or tag.canonical or is_wrangler(user):
        return True
    carried = WorkTag.objects.filter(tag_id__in=filter_closure_ids([tag]))
    if carried.filter(work__in=Work.objects.visible_to(user)).exists():
        return True
    return user.is_authenticated and carried.filter(work__in=Work.objects.by_user(user)).exists()


def tag_for(user: AnyUser, tag_id: int) -> Tag:
    """The tag, if `user` may be shown it; otherwise 404, as for a tag that does not exist."""
    tag = Tag.objects.select_related("synonym_of").filter(pk=tag_id).first()
    if tag is None or not tag_advertised(user, tag):
        raise Http404(_("No such tag."))
    return tag


# -- pseuds named by a writer ------------------------------------------------------------

_BYLINE = re.compile(r"^(?P<pseud>.+?)\s*\((?P<user>[^()]+)\)$")


class PseudNotFound(Exception):
    """No one pseud answers to a name; `ambiguous` when several do."""

    def __init__(self, message: str, *, ambiguous: bool = False, explicit_user: bool = False):
        super().__init__(message)
        self.ambiguous = ambiguous
        self.explicit_user = explicit_user


def pseud_lookup(name: str) -> Pseud:
    """The pseud a writer means by `name`: "pseud (user name)", a pseud name or a user name.

    The orphan account is never found: nobody can invite it or give it gifts.
    """
    name = " ".join(name.split())
    pseuds = Pseud.objects.select_related("user").exclude(
        user__username__iexact=limits.ORPHAN_USERNAME
    )
    match = _BYLINE.match(name)
    if match:
        found = pseuds.filter(
            name__iexact=match["pseud"].strip(), user__username__iexact=match["user"].strip()
        ).first()
        if found is None:
            raise PseudNotFound(
                _('There is no pseud "%(name)s" on this archive.') % {"name": name},
                explicit_user=True,
            )
        return found
    candidates = list(pseuds.filter(name__iexact=name)[:5])
    if len(candidates) == 1:
        return candidates[0]
    for pseud in candidates:
        if pseud.is_default and pseud.user.username.lower() == name.lower():
            return pseud
    if candidates:
        raise PseudNotFound(
            _('Several writers use the pseud "%(name)s": write it as "%(name)s (user name)".')
            % {"name": name},
            ambiguous=True,
        )
    raise PseudNotFound(_('There is no pseud "%(name)s" on this archive.') % {"name": name})


def orphan_user() -> User | None:
    return User.objects.filter(username__iexact=limits.ORPHAN_USERNAME).first()


# -- co-creators and gifts -----------------------------------------------------------


def invitations_for(user: User) -> QuerySet[CreatorInvitation]:
    """Invitations waiting for `user`'s answer, newest first."""
    return CreatorInvitation.objects.filter(
        pseud__user=user, status=CreatorInvitation.Status.PENDING
    ).select_related("work", "pseud", "invited_by")


def invitation_get(user: User, invitation_id: int) -> CreatorInvitation:
    """An invitation to `user`; 404 for anyone else's, so they cannot be probed."""
    invitation = (
        CreatorInvitation.objects.select_related("work", "pseud")
        .filter(pk=invitation_id, pseud__user=user)
        .first()
    )
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


def invitations_sent(work: Work) -> QuerySet[CreatorInvitation]:
    """The invitations of a work, for its creators."""
    return work.invitations.select_related("pseud", "pseud__user")


def gift_get(user: User, work_id: int) -> list[Gift]:
    """`user`'s gifts on one work (one per pseud); 404 when there are none."""
    gifts = list(Gift.objects.filter(work_id=work_id, pseud__user=user).select_related("work"))
    if not gifts:
        raise Http404(_("This work is not a gift to you."))
    return gifts


def shown_gifts(work: Work) -> list[Gift]:
    """The gifts a work's page shows: those not refused."""
    prefetched = getattr(work, "shown_gifts", None)
    if prefetched is not None:
        return list(prefetched)
    return list(work.gifts.filter(refused=False).select_related("pseud", "pseud__user"))


def gifts_to(user: AnyUser, work: Work) -> list[Gift]:
    """`user`'s own gifts on `work`, refused ones too (its page offers to refuse or accept)."""
    if not user.is_authenticated:
        return []
    return [
        gift
        for gift in work.gifts.all()
        if gift.pseud is not None and gift.pseud.user_id == user.pk
    ]


def works_to_orphan(user: User) -> WorkQuerySet:
    """What orphaning all of `user`'s works orphans: every posted one (drafts stay theirs)."""
    return Work.objects.by_user(user).filter(posted=True)


# -- autosave ---------------------------------------------------------------------------


def autosave_get(user: User, key: str) -> Autosave | None:
    return Autosave.objects.filter(user=user, key=key).first()


def search_documents_waiting() -> int:
    """How many works' search documents the background catch-up has still to rewrite
    (after a wrangling of many works): their full text lags, their listings do not."""
    return StaleSearchDocument.objects.values("work_id").distinct().count()


def newest_change_id() -> int:
    """The id of the catalogue change log's newest entry (0 for an empty log)."""
    return CatalogueChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def catalogue_version() -> tuple[int, str]:
    """The newest entry of the catalogue's change log, by id and time: every change to what
    a listing shows (a work, its tags, its counts) writes one (`core.page_cache` keys
    guests' pages by it). The time tells a restored database's reused ids apart."""
    return newest_entry(CatalogueChange)


def work_page_version(work_id: int) -> tuple[int, str]:
    """The newest change-log entry of this work or of a work in one of its series (id and
    time; (0, "") when none is left): a work's page shows its text, tags, counts, kudos
    and comments (every change to them logs an entry for it) and its series' neighbours.
    Guests' work pages are cached by it (`engagement.reading_views`), so a change elsewhere
    in the archive leaves them cached. Plain SQL, as `catalogue_version`: one indexed
    lookup per work (the greatest id among its entries), never a walk of the log."""
    log = connection.ops.quote_name(CatalogueChange._meta.db_table)
    series = connection.ops.quote_name(SeriesWork._meta.db_table)
    sql = (
        f"SELECT id, created_at FROM {log} WHERE id = ("  # noqa: S608 - models' table names
        f"SELECT MAX(id) FROM {log} WHERE work_id = %s OR work_id IN ("
        f"SELECT work_id FROM {series} WHERE series_id IN ("
        f"SELECT series_id FROM {series} WHERE work_id = %s)))"
    )
    return entry_version(sql, [work_id, work_id])
