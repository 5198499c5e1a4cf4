"""More like this (FEATURES D6): the works most like one work, for one reader.

Two signals, each in [0, 1], added with fixed weights:

- **Shared tags, rare ones counting more.** Each of the work's free filter tags (fandoms,
  relationships, characters, additional tags, as the index files them: synonyms and
  metatags included; ratings, warnings and categories say too little) weighs
  ``idf(t) = ln(1 + N / |t|)``, N the works indexed and |t| the works filed under t.
  ``tags(W, X) = sum of idf over the tags W and X share / sum of idf over W's tags``.
  Computed on the fly from the catalogue index's tag bitmaps, within the reader's own
  visible set, so it needs no cache.
- **Readers' co-kudos.** ``kudos(W, X) = c / (sqrt(k_W * k_X) + KUDOS_SHRINK)``, where c is
  the number of accounts that left kudos on both, and k the works' kudos counts (the
  index's, guests' included: how popular a work is). A cosine of the two works' readers,
  shrunk so that one shared reader between two little-read works is not a perfect match;
  always below 1 since c <= k. Only accounts count as readers: a guest's kudos carry a
  keyed hash of an IP address, which many people share and one person changes, and
  linking a guest's kudos across works would tie strangers together. The c of each work's
  co-read works are cached (`co_readers`) and refreshed incrementally (`refresh`).

``score(W, X) = TAG_WEIGHT * tags(W, X) + KUDOS_WEIGHT * kudos(W, X)``; ties go to the
newer work (higher id). A work without kudos is matched by its tags alone.

The reader's rules come from the same places as every listing's: the candidates are the
catalogue index's visible set for this reader (`Catalogue.visible`: drafts, hidden and
unrevealed works never, restricted ones only for accounts, the reader's muted tags and
creators), less the works of creators the reader blocked (treated as muted creators:
anonymous works stay, as for mutes, since hiding them would say whose they are); then
the adult-content rule (`works.selectors.adult_text_withheld`) leaves out every adult work
whose text the reader may not read yet: a recommendation invites reading. Never the work
itself. Blurbs show creators as every blurb does (anonymous works name nobody).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import numpy as np
from django.core.cache import cache
from django.db.models import Count
from pyroaring import BitMap

from fanarchive.accounts.selectors import blocks_of
from fanarchive.discovery.index.catalogue import Catalogue
from fanarchive.discovery.index.columns import FREE_TYPES
from fanarchive.discovery.index.live import reading
from fanarchive.discovery.index.structures import ids_of
from fanarchive.discovery.selectors import viewer_for
from fanarchive.engagement.models import Kudos
from fanarchive.works.age_gate import AgeGateContext
from fanarchive.works.models import Work
from fanarchive.works.selectors import adult_access, adult_text_withheld, with_listing_data

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.models import User

    AnyUser = User | AnonymousUser

SHOWN = 5  # on the work page; the API takes up to MOST
MOST = 20
TAG_WEIGHT = 0.4
KUDOS_WEIGHT = 0.6
KUDOS_SHRINK = 2.0
# Per work, the co-read works kept (most shared readers first), and how many of the work's
# readers are asked (the latest): a much-liked work's list stays one bounded query.
NEIGHBOURS = 200
READERS_ASKED = 1000
# New kudos handled by one refresh; past this, every cached list is dropped at once.
REFRESH_MOST = 2000
# The list looks at most this many times `limit` candidates (adult works drop out of them).
ROUNDS_MOST = 10
# A cached list lives at most this long: the bound on staleness the refresh does not cover
# (kudos removed with a deleted account, another work's count in the normalisation).
CACHE_SECONDS = 6 * 3600
STATE_KEY = "discovery:similar:state"
FREE_VALUES = frozenset(FREE_TYPES)


# -- the two signals, on plain data (unit-tested by hand) -----------------------------------


def tag_similarity(
    own: Mapping[int, BitMap], *, total: int, among: BitMap
) -> tuple[np.ndarray, np.ndarray]:
    """(ids, scores) of the works in `among` sharing a tag with `own` ({tag: its works}),
    scored by the rarity-weighted share of the tags (module docstring)."""
    weights = {tag: math.log1p(total / len(works)) for tag, works in own.items() if works}
    norm = sum(weights.values())
    if not norm:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    ids_parts, weight_parts = [], []
    for tag, weight in weights.items():
        ids = ids_of(own[tag] & among)
        ids_parts.append(ids)
        weight_parts.append(np.full(len(ids), weight))
    ids = np.concatenate(ids_parts)
    if not len(ids):
        return ids, np.zeros(0)
    scores = np.bincount(ids, weights=np.concatenate(weight_parts))
    found = np.flatnonzero(scores)
    return found, scores[found] / norm


def kudos_similarity(
    shared: Mapping[int, int], *, own: int, kudos: Mapping[int, int]
) -> dict[int, float]:
    """{work: score} from the readers shared with each work, this work's kudos count and
    the others' (module docstring)."""
    return {
        work_id: count
        / (math.sqrt(max(own, count) * max(kudos.get(work_id, 0), count)) + KUDOS_SHRINK)
        for work_id, count in shared.items()
        if count > 0
    }


def combined(
    tag_ids: np.ndarray, tag_scores: np.ndarray, kudos: Mapping[int, float], *, most: int
) -> list[tuple[int, float]]:
    """The `most` best candidates with their scores, best first (ties: the newer work).
    In numpy: a work of a big fandom has tens of thousands of candidates."""
    kudos_ids = np.fromiter(kudos, dtype=np.int64, count=len(kudos))
    kudos_scores = np.fromiter(kudos.values(), dtype=float, count=len(kudos))
    ids, inverse = np.unique(np.concatenate([tag_ids, kudos_ids]), return_inverse=True)
    parts = np.concatenate([TAG_WEIGHT * tag_scores, KUDOS_WEIGHT * kudos_scores])
    scores = np.bincount(inverse, weights=parts, minlength=len(ids))
    if len(ids) > most:
        # The `most`-th best score; every candidate at or above it, so ties at the cut
        # still go to the newer works.
        cut = scores[np.argpartition(-scores, most - 1)[most - 1]]
        keep = np.flatnonzero(scores >= cut)
        ids, scores = ids[keep], scores[keep]
    order = np.lexsort((-ids, -scores))[:most]
    return list(zip(ids[order].tolist(), scores[order].tolist(), strict=True))


# -- co-kudos: cached per work, refreshed from the kudos table -------------------------------


def _entry_key(generation: str, work_id: int) -> str:
    return f"discovery:similar:{generation}:{work_id}"


def _fresh_state() -> dict[str, Any]:
    """A new generation of cached lists (the old ones are never read again)."""
    newest = Kudos.objects.order_by("-id").values_list("id", flat=True).first() or 0
    state = {"generation": uuid.uuid4().hex[:12], "seen": newest}
    cache.set(STATE_KEY, state, None)
    return state


def refresh() -> dict[str, Any]:
    """Drop the cached lists that kudos left since the last refresh make stale.

    An account's new kudos on X changes the shared-reader count of X with every work that
    account liked before, and nothing else: those lists (and X's) are deleted, to be
    recomputed when next asked for. The kudos table's ids are the clock, kept in the cache
    with the generation, so every process and host agrees. One indexed query when nothing
    changed.
    """
    state: dict[str, Any] | None = cache.get(STATE_KEY)
    if state is None:
        return _fresh_state()
    fresh = list(
        Kudos.objects.filter(id__gt=state["seen"], user__isnull=False)
        .order_by("id")
        .values_list("id", "user_id", "work_id")[: REFRESH_MOST + 1]
    )
    if not fresh:
        return state
    if len(fresh) > REFRESH_MOST:
        return _fresh_state()
    readers = {user_id for _, user_id, _ in fresh}
    stale = {work_id for _, _, work_id in fresh}
    stale.update(Kudos.objects.filter(user_id__in=readers).values_list("work_id", flat=True))
    cache.delete_many([_entry_key(state["generation"], work_id) for work_id in stale])
    state = {**state, "seen": fresh[-1][0]}
    cache.set(STATE_KEY, state, None)
    return state


def _co_readers_query(work_id: int) -> dict[int, int]:
    readers = (
        Kudos.objects.filter(work_id=work_id, user__isnull=False)
        .order_by("-id")
        .values("user_id")[:READERS_ASKED]
    )
    rows = (
        Kudos.objects.filter(user_id__in=readers)
        .exclude(work_id=work_id)
        .values("work_id")
        .annotate(shared=Count("id"))
        .order_by("-shared", "-work_id")
        .values_list("work_id", "shared")[:NEIGHBOURS]
    )
    return dict(rows)


def co_readers(work_id: int) -> dict[int, int]:
    """{work: accounts that left kudos on both it and `work_id`}, its NEIGHBOURS best."""
    state = refresh()
    key = _entry_key(state["generation"], work_id)
    found = cache.get(key)
    if found is None:
        found = _co_readers_query(work_id)
        cache.set(key, list(found.items()), CACHE_SECONDS)
        return found
    return dict(found)


# -- the reader's list -------------------------------------------------------------------------


def blocked_creator_ids(user: AnyUser) -> tuple[int, ...]:
    if not user.is_authenticated:
        return ()
    return tuple(blocks_of(user).values_list("blocked_id", flat=True))


def ranked_ids(
    catalogue: Catalogue, work_id: int, among: BitMap, shared: Mapping[int, int], *, most: int
) -> list[int]:
    """The `most` best candidates from `among` (the reader's visible set, without the
    work), best first."""
    own = {
        int(tag): catalogue.tags[int(tag)]
        for tag in catalogue.work_tags.get(work_id)
        if catalogue.tag_type.get(int(tag)) in FREE_VALUES and int(tag) in catalogue.tags
    }
    ids, scores = tag_similarity(own, total=len(catalogue.flags["posted"]), among=among)
    kudos_counts = catalogue.numbers["kudos"]
    present = {w: c for w, c in shared.items() if w in among}
    kudos = kudos_similarity(
        present,
        own=int(kudos_counts[work_id]) if work_id < len(kudos_counts) else 0,
        kudos={w: int(kudos_counts[w]) for w in present if w < len(kudos_counts)},
    )
    return [candidate for candidate, _ in combined(ids, scores, kudos, most=most)]


def candidate_ids(*, user: AnyUser, work_id: int, most: int) -> list[int]:
    """The `most` best candidates like `work_id` among the works `user` may list, less
    their mutes and the works of creators they blocked; not yet the adult-content rule."""
    shared = co_readers(work_id)
    viewer = viewer_for(user)
    blocked = blocked_creator_ids(user)
    if blocked:
        viewer = replace(viewer, muted_creators=(*viewer.muted_creators, *blocked))
    with reading() as catalogue:
        if not isinstance(catalogue, Catalogue):
            return []  # tag likeness reads the roaring index's own bitmaps
        among = catalogue.visible(viewer)
        among.discard(work_id)
        return ranked_ids(catalogue, work_id, among, shared, most=most)


def similar_works(
    *, user: AnyUser, work_id: int, reader: AgeGateContext, limit: int | None = None
) -> list[Work]:
    """Up to `limit` (SHOWN) works like `work_id` that `user` may see and is offered,
    best first, loaded for blurbs. The caller has checked that `user` may see the work."""
    limit = SHOWN if limit is None else limit
    # Enough for the rounds below, however many adult works drop out.
    ranked = candidate_ids(user=user, work_id=work_id, most=ROUNDS_MOST * limit)
    chosen: list[Work] = []
    # Adult works the reader may not read yet drop out after loading (the rule needs the
    # works' tags); ask for more in growing rounds, within a bound. A reader who may read
    # them all loses none: one round of `limit`.
    start, size = 0, limit if adult_access(reader).allowed else 2 * limit
    while len(chosen) < limit and start < len(ranked):
        batch = ranked[start : start + size]
        rows = with_listing_data(Work.objects.filter(id__in=batch)).in_bulk(batch)
        loaded = [rows[i] for i in batch if i in rows]
        withheld = adult_text_withheld(viewer=reader, works=loaded)
        chosen.extend(work for work in loaded if work.pk not in withheld)
        start, size = start + size, size * 2
    return chosen[:limit]
