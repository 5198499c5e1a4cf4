"""Gift-exchange matching: who writes for whom, solved exactly.

Pure Python + numpy/scipy, no Django and no database: the sign-up services turn their
rows into these dataclasses and store the result.

Rules (AO3's "number of tags that must match", per tag type):
- An offer satisfies a request when, for every tag type with ``must_match = k > 0``,
  they share at least ``min(k, number of the request's tags of that type)`` tags. So a
  request naming fewer than k tags of a type is satisfied by sharing all of them, and a
  request naming none of a type asks nothing of that type. A request or an offer marked
  "any" for a type satisfies that type whatever the other names.
- A giver can write for a recipient when SOME offer of the giver satisfies SOME request
  of the recipient, and they are different people.
- Quality of a (giver, recipient) pair: the most tags, counted over every type, that one
  of the giver's offers shares with one of the recipient's requests among the pairs that
  satisfy the rules ("any" shares nothing). The assignment names that request and offer.

Steps: 1. maximum bipartite matching givers -> recipients (Hopcroft-Karp,
``scipy.sparse.csgraph.maximum_bipartite_matching``): as few people left out as possible.
2. best total quality among the maximum matchings (``min_weight_full_bipartite_matching``
on the graph doubled with "left out" vertices, see ``_best_quality_matching``).
3. for each person left out, why, in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching, min_weight_full_bipartite_matching

Tag = int | str
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# Requests are checked against all offers a block at a time, about this many request x
# offer cells a block, to bound memory.
_BLOCK_CELLS = 2_000_000
# How many names a reason lists before "and N others".
_NAMES_SHOWN = 5


@dataclass(frozen=True)
class Wish:
    """One request or one offer: its tags by type, and the types it marks "any"."""

    tags: Mapping[str, frozenset[Tag]]
    any_types: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Participant:
    key: int
    name: str
    requests: tuple[Wish, ...]
    offers: tuple[Wish, ...]


@dataclass(frozen=True)
class MatchRules:
    """Per tag type, how many tags an offer must share with a request (0: none)."""

    must_match: Mapping[str, int]


@dataclass(frozen=True)
class Assignment:
    giver_key: int
    recipient_key: int
    request_index: int  # index in the recipient's requests
    offer_index: int  # index in the giver's offers
    quality: int


@dataclass(frozen=True)
class Unmatched:
    key: int
    name: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class MatchResult:
    assignments: tuple[Assignment, ...]
    unmatched_givers: tuple[Unmatched, ...]  # nobody to write for
    unmatched_recipients: tuple[Unmatched, ...]  # nobody writing for them
    total_quality: int
    possible_pairs: int  # edges of the giver -> recipient graph


@dataclass
class _Wishes:
    """All requests (or all offers) of the exchange, flattened."""

    owner: IntArray  # participant position
    local_index: IntArray  # index within the participant's requests/offers
    wishes: list[Wish] = field(default_factory=list)


@dataclass
class _Edges:
    giver: IntArray
    recipient: IntArray
    request_index: IntArray
    offer_index: IntArray
    quality: IntArray


def match_exchange(
    participants: Sequence[Participant],
    rules: MatchRules,
    tag_names: Mapping[Tag, str] | None = None,
) -> MatchResult:
    """Assign every participant one recipient and one giver, as many as possible, then
    the best total quality among those maximum assignments; say why anyone is left out.
    ``tag_names`` gives the names the reasons show (a tag without a name shows as is)."""
    _check(participants, rules)
    people = list(participants)
    requests = _flatten(people, "requests")
    offers = _flatten(people, "offers")
    graph = _graph(requests, offers, rules)
    edges = graph.edges
    size = len(people)
    gives_to, quality = _best_quality_matching(edges, size)
    assignments = [_assignment(people, edges, index) for index in gives_to[gives_to >= 0].tolist()]
    names = tag_names or {}
    has_giver = np.zeros(size, dtype=bool)
    has_giver[edges.recipient[gives_to[gives_to >= 0]]] = True
    has_recipient = gives_to >= 0
    return MatchResult(
        assignments=tuple(assignments),
        unmatched_givers=tuple(
            Unmatched(p.key, p.name, _why_no_recipient(people, position, graph, names))
            for position, p in enumerate(people)
            if not has_recipient[position]
        ),
        unmatched_recipients=tuple(
            Unmatched(p.key, p.name, _why_no_giver(people, position, graph, names))
            for position, p in enumerate(people)
            if not has_giver[position]
        ),
        total_quality=quality,
        possible_pairs=len(edges.giver),
    )


def potential_recipients(
    participants: Sequence[Participant], rules: MatchRules, giver_key: int
) -> list[Assignment]:
    """Everyone this giver could write for (best request/offer pair each), best first:
    for moderators changing an assignment by hand."""
    _check(participants, rules)
    people = list(participants)
    giver = next((p for p in people if p.key == giver_key), None)
    if giver is None:
        raise ValueError(f"No participant with key {giver_key}.")
    requests = _flatten(people, "requests")
    offers = _flatten([giver], "offers")
    offers.owner[:] = people.index(giver)
    edges = _graph(requests, offers, rules).edges
    found = [_assignment(people, edges, index) for index in range(len(edges.giver))]
    return sorted(found, key=lambda a: (-a.quality, a.recipient_key))


# --- input -------------------------------------------------------------------------


def _check(participants: Sequence[Participant], rules: MatchRules) -> None:
    seen: set[int] = set()
    for participant in participants:
        if participant.key in seen:
            raise ValueError(f"Participant key {participant.key} appears more than once.")
        seen.add(participant.key)
    for tag_type, number in rules.must_match.items():
        if not isinstance(number, int) or number < 0:
            raise ValueError(f"must_match for {tag_type!r} must be a whole number >= 0.")


def _flatten(people: Sequence[Participant], which: str) -> _Wishes:
    owners: list[int] = []
    indexes: list[int] = []
    wishes: list[Wish] = []
    for position, participant in enumerate(people):
        for index, wish in enumerate(getattr(participant, which)):
            owners.append(position)
            indexes.append(index)
            wishes.append(wish)
    return _Wishes(
        owner=np.array(owners, dtype=np.int64),
        local_index=np.array(indexes, dtype=np.int64),
        wishes=wishes,
    )


# --- the graph ---------------------------------------------------------------------


@dataclass
class _TypeIndex:
    """One tag type: requests x tags and offers x tags as 0/1 sparse matrices."""

    requests: csr_matrix
    offers: csr_matrix
    request_any: BoolArray
    offer_any: BoolArray
    request_counts: IntArray


def _type_index(tag_type: str, requests: _Wishes, offers: _Wishes) -> _TypeIndex:
    columns: dict[Tag, int] = {}
    parts: list[tuple[list[int], list[int]]] = []
    for wishes in (requests.wishes, offers.wishes):
        pointers = [0]
        indices: list[int] = []
        for wish in wishes:
            indices.extend(
                columns.setdefault(tag, len(columns)) for tag in wish.tags.get(tag_type, ())
            )
            pointers.append(len(indices))
        parts.append((pointers, indices))
    width = max(len(columns), 1)
    request_matrix, offer_matrix = (
        csr_matrix(
            (
                np.ones(len(indices), dtype=np.int32),
                np.array(indices, dtype=np.int64),
                np.array(pointers, dtype=np.int64),
            ),
            shape=(len(pointers) - 1, width),
        )
        for pointers, indices in parts
    )
    return _TypeIndex(
        requests=request_matrix,
        offers=offer_matrix,
        request_any=np.array([tag_type in w.any_types for w in requests.wishes], dtype=bool),
        offer_any=np.array([tag_type in w.any_types for w in offers.wishes], dtype=bool),
        request_counts=np.diff(request_matrix.indptr).astype(np.int64),
    )


@dataclass
class _Graph:
    requests: _Wishes
    offers: _Wishes
    index: dict[str, _TypeIndex]
    required: dict[str, int]  # the types that must match, and how many tags
    edges: _Edges


def _graph(requests: _Wishes, offers: _Wishes, rules: MatchRules) -> _Graph:
    all_types = sorted(
        {t for w in requests.wishes for t in w.tags}
        | {t for w in offers.wishes for t in w.tags}
        | {t for t, k in rules.must_match.items() if k > 0}
    )
    index = {t: _type_index(t, requests, offers) for t in all_types}
    required = {t: k for t, k in rules.must_match.items() if k > 0}
    return _Graph(requests, offers, index, required, _edges(requests, offers, index, required))


def _edges(
    requests: _Wishes,
    offers: _Wishes,
    index: Mapping[str, _TypeIndex],
    required: Mapping[str, int],
) -> _Edges:
    """Every (giver, recipient) pair that the rules allow, with its best quality and
    the request/offer that gives it, sorted by (recipient, giver).

    Requests are taken a block at a time (whole participants, about ``_BLOCK_CELLS``
    request x offer cells), so memory stays bounded; in a block, the candidates are the
    offers sharing a tag of the most selective must-match type with the request
    (a sparse product), and only they are checked on the other types."""
    key_type = _key_type(index, required, len(requests.wishes), len(offers.wishes))
    parts: list[_Edges] = []
    for start, stop in _blocks(requests.owner, len(offers.wishes)):
        rows, cols = _candidates(index, key_type, start, stop, len(offers.wishes))
        allowed = requests.owner[start + rows] != offers.owner[cols]
        quality = np.zeros(len(rows), dtype=np.int64)
        for tag_type, type_index in index.items():
            shared = _shared(type_index, start, stop, rows, cols)
            quality += shared
            if tag_type in required:
                needed = np.minimum(type_index.request_counts[start + rows], required[tag_type])
                allowed &= (
                    (shared >= needed)
                    | type_index.request_any[start + rows]
                    | type_index.offer_any[cols]
                )
        rows, cols, quality = rows[allowed] + start, cols[allowed], quality[allowed]
        giver, recipient = offers.owner[cols], requests.owner[rows]
        # Best pair per (giver, recipient): most quality, then first request, first offer.
        # A recipient's requests are all in one block, so each pair is decided here.
        order = np.lexsort((cols, rows, -quality, giver, recipient))
        pair = recipient[order] * (len(requests.owner) + len(offers.owner) + 1) + giver[order]
        first = order[np.r_[True, pair[1:] != pair[:-1]]] if len(order) else order
        parts.append(
            _Edges(
                giver=giver[first].astype(np.int32),
                recipient=recipient[first].astype(np.int32),
                request_index=requests.local_index[rows[first]].astype(np.int32),
                offer_index=offers.local_index[cols[first]].astype(np.int32),
                quality=quality[first].astype(np.int32),
            )
        )
    # Blocks follow the recipients, so the edges come out sorted by (recipient, giver).
    fields = ("giver", "recipient", "request_index", "offer_index", "quality")
    columns = []
    for name in fields:  # one field at a time, freeing the blocks' copy as it goes
        columns.append(
            np.concatenate([getattr(p, name) for p in parts]) if parts else np.zeros(0, np.int32)
        )
        for part in parts:
            setattr(part, name, None)
    return _Edges(*columns)


def _blocks(owner: IntArray, offers: int) -> list[tuple[int, int]]:
    """Consecutive request ranges, each ending at a participant boundary."""
    size = max(1, _BLOCK_CELLS // max(offers, 1))
    blocks = []
    start = 0
    while start < len(owner):
        stop = min(start + size, len(owner))
        while stop < len(owner) and owner[stop] == owner[stop - 1]:
            stop += 1
        blocks.append((start, stop))
        start = stop
    return blocks


def _free_requests(type_index: _TypeIndex) -> BoolArray:
    """Requests satisfied on this type without sharing: "any", or no tag of the type."""
    free: BoolArray = type_index.request_any | (type_index.request_counts == 0)
    return free


def _key_type(
    index: Mapping[str, _TypeIndex], required: Mapping[str, int], requests: int, offers: int
) -> str | None:
    """The must-match type giving the fewest candidate pairs (None: no type must match)."""

    def cost(tag_type: str) -> float:
        type_index = index[tag_type]
        per_tag_requests = np.asarray(type_index.requests.sum(axis=0)).ravel()
        per_tag_offers = np.asarray(type_index.offers.sum(axis=0)).ravel()
        return float(
            per_tag_requests @ per_tag_offers
            + _free_requests(type_index).sum() * offers
            + type_index.offer_any.sum() * requests
        )

    return min(sorted(required), key=cost) if required else None


def _candidates(
    index: Mapping[str, _TypeIndex], key_type: str | None, start: int, stop: int, offers: int
) -> tuple[IntArray, IntArray]:
    """(request - start, offer) pairs of the block worth checking, each once."""
    if key_type is None:
        grid = np.indices((stop - start, offers)).reshape(2, -1).astype(np.int64)
        return grid[0], grid[1]
    key = index[key_type]
    free_rows = _free_requests(key)[start:stop]
    free_cols = key.offer_any
    sharing = (key.requests[start:stop] @ key.offers.T).tocoo()
    keep = ~free_rows[sharing.row] & ~free_cols[sharing.col]
    parts_rows = [sharing.row[keep].astype(np.int64)]
    parts_cols = [sharing.col[keep].astype(np.int64)]
    for row in np.flatnonzero(free_rows):
        parts_rows.append(np.full(offers, row, dtype=np.int64))
        parts_cols.append(np.arange(offers, dtype=np.int64))
    any_cols = np.flatnonzero(free_cols)
    if len(any_cols):
        other_rows = np.flatnonzero(~free_rows)
        parts_rows.append(np.repeat(other_rows, len(any_cols)))
        parts_cols.append(np.tile(any_cols, len(other_rows)))
    return np.concatenate(parts_rows), np.concatenate(parts_cols)


def _shared(
    type_index: _TypeIndex, start: int, stop: int, rows: IntArray, cols: IntArray
) -> IntArray:
    """How many tags of this type request ``start + rows[n]`` shares with offer ``cols[n]``."""
    if type_index.requests.nnz == 0 or type_index.offers.nnz == 0 or len(rows) == 0:
        return np.zeros(len(rows), dtype=np.int64)
    # A block is at most about _BLOCK_CELLS cells: dense is small, and lookups are direct.
    product = (type_index.requests[start:stop] @ type_index.offers.T).toarray()
    shared: IntArray = product[rows, cols].astype(np.int64)
    return shared


# --- the matching ------------------------------------------------------------------


def _maximum_matching(edges: _Edges, size: int) -> int:
    """Step 1 alone (Hopcroft-Karp): the size of a maximum matching."""
    counts = np.bincount(edges.recipient, minlength=size)
    graph = csr_matrix(
        (np.ones(len(edges.giver), dtype=np.int8), edges.giver, np.r_[0, np.cumsum(counts)]),
        shape=(size, size),
    )
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def _best_quality_matching(edges: _Edges, size: int) -> tuple[IntArray, int]:
    """For each giver, the index in ``edges`` of its assignment (or -1), and the total
    quality: a maximum matching (step 1's size) of the best total quality.

    Rows are recipients, columns givers. The graph is doubled so that a full matching
    always exists: recipient r may be given by "nobody" (column size+r) and giver g
    may write for "nobody" (row size+g), each at cost ``left_out``; the "nobody" copies
    pair with each other along the edges, transposed, at cost 1. An edge costs
    ``top + 1 - quality`` (>= 1: scipy needs nonzero weights). A matching of m real
    edges then costs ``m * (top + 2) - quality + left_out * (2 * size - 2 * m)``; with
    ``left_out > size * (top + 2)`` one more edge always outweighs any quality, so the
    minimum is a maximum matching, and among those the one of most quality.
    The CSR arrays are written directly (no COO copy): 2 * edges + 2 * size entries.
    """
    gives_to = np.full(size, -1, dtype=np.int64)
    count = len(edges.giver)
    if count == 0:
        return gives_to, 0
    top = float(edges.quality.max())
    left_out = float(size) * (top + 2.0) + 1.0
    people = np.arange(size, dtype=np.int64)
    row_lengths = np.r_[
        np.bincount(edges.recipient, minlength=size), np.bincount(edges.giver, minlength=size)
    ]
    indptr = np.r_[0, np.cumsum(row_lengths + 1)].astype(np.int64)
    indices = np.empty(indptr[-1], dtype=np.int32)
    weights = np.empty(indptr[-1], dtype=np.float64)
    # Rows 0..size-1 (recipients): their edges (sorted by recipient), then "nobody".
    real = np.arange(count, dtype=np.int64) + edges.recipient
    indices[real] = edges.giver
    weights[real] = top + 1.0 - edges.quality
    indices[indptr[1 : size + 1] - 1] = size + people
    weights[indptr[1 : size + 1] - 1] = left_out
    # Rows size+g ("nobody" for giver g): g itself, then g's edges transposed.
    indices[indptr[size : 2 * size]] = people
    weights[indptr[size : 2 * size]] = left_out
    by_giver = np.argsort(edges.giver, kind="stable")
    transposed = indptr[size] + np.arange(count, dtype=np.int64) + edges.giver[by_giver] + 1
    indices[transposed] = size + edges.recipient[by_giver]
    weights[transposed] = 1.0
    del real, by_giver, transposed
    graph = csr_matrix((weights, indices, indptr), shape=(2 * size, 2 * size))
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    del graph, indices, weights
    both_real = (matched_rows < size) & (matched_cols < size)
    recipients, givers = matched_rows[both_real], matched_cols[both_real]
    # Edges come sorted by (recipient, giver): each matched pair is found by bisection.
    keys = edges.recipient.astype(np.int64) * size + edges.giver
    gives_to[givers] = np.searchsorted(keys, recipients.astype(np.int64) * size + givers)
    if int((gives_to >= 0).sum()) != _maximum_matching(edges, size):
        raise AssertionError("the quality step changed the matching's size")  # see above
    return gives_to, int(edges.quality[gives_to[gives_to >= 0]].sum())


def _assignment(people: Sequence[Participant], edges: _Edges, index: int) -> Assignment:
    return Assignment(
        giver_key=people[int(edges.giver[index])].key,
        recipient_key=people[int(edges.recipient[index])].key,
        request_index=int(edges.request_index[index]),
        offer_index=int(edges.offer_index[index]),
        quality=int(edges.quality[index]),
    )


# --- the reasons -------------------------------------------------------------------


def _names(people: Sequence[Participant], positions: Iterable[int]) -> str:
    found = sorted({people[p].name for p in positions})
    shown = ", ".join(found[:_NAMES_SHOWN])
    more = len(found) - _NAMES_SHOWN
    if more <= 0:
        return shown
    return ngettext("%(names)s and %(count)s other", "%(names)s and %(count)s others", more) % {
        "names": shown,
        "count": more,
    }


def _describe(wish: Wish, types: Iterable[str], names: Mapping[Tag, str]) -> str:
    parts = []
    for tag_type in types:
        if tag_type in wish.any_types:
            parts.append(_("%(tag_type)s: any") % {"tag_type": tag_type})
            continue
        tags = sorted(names.get(tag, str(tag)) for tag in wish.tags.get(tag_type, ()))
        if tags:
            parts.append(f"{tag_type}: {', '.join(tags)}")
    return "; ".join(parts) or _("no tags")


def _satisfied_alone(graph: _Graph, row: int, position: int, tag_type: str) -> bool:
    """Does some offer of someone else satisfy request ``row`` on this type alone?"""
    type_index = graph.index[tag_type]
    others = graph.offers.owner != position
    needed = min(int(type_index.request_counts[row]), graph.required[tag_type])
    if type_index.request_any[row] or needed == 0:
        return bool(others.any())
    shared = np.asarray((type_index.offers @ type_index.requests[row].T).todense()).ravel()
    return bool(((shared >= needed) | type_index.offer_any)[others].any())


def _why_no_giver(
    people: Sequence[Participant], position: int, graph: _Graph, names: Mapping[Tag, str]
) -> tuple[str, ...]:
    person = people[position]
    if len(people) == 1:
        return (
            _("No one else signed up, so no one can write for %(name)s.") % {"name": person.name},
        )
    could = graph.edges.giver[graph.edges.recipient == position]
    if len(could):
        return (
            _(
                "Everyone who could write for %(name)s (%(givers)s) is already assigned to "
                "someone with fewer other options."
            )
            % {"name": person.name, "givers": _names(people, could.tolist())},
        )
    if not person.requests:
        return (_("%(name)s made no request.") % {"name": person.name},)
    required = sorted(graph.required)
    first_row = int(np.flatnonzero(graph.requests.owner == position)[0])
    reasons = []
    for number, request in enumerate(person.requests, start=1):
        row = first_row + number - 1
        # The types on which no offer of anyone else satisfies it, even taken alone.
        failing = [t for t in required if not _satisfied_alone(graph, row, position, t)]
        if failing:
            reasons.append(
                _(
                    "No one offers anything that satisfies request %(number)s of %(name)s "
                    "(%(tags)s)."
                )
                % {
                    "number": number,
                    "name": person.name,
                    "tags": _describe(request, failing, names),
                }
            )
        else:
            reasons.append(
                _(
                    "No single offer satisfies request %(number)s of %(name)s on all of "
                    "%(tags)s at once."
                )
                % {
                    "number": number,
                    "name": person.name,
                    "tags": _describe(request, required, names),
                }
            )
    return tuple(reasons)


def _why_no_recipient(
    people: Sequence[Participant], position: int, graph: _Graph, names: Mapping[Tag, str]
) -> tuple[str, ...]:
    person = people[position]
    if len(people) == 1:
        return (
            _("No one else signed up, so %(name)s has no one to write for.")
            % {"name": person.name},
        )
    could = graph.edges.recipient[graph.edges.giver == position]
    if len(could):
        return (
            _(
                "Everyone %(name)s could write for (%(recipients)s) already has a giver with "
                "fewer other options."
            )
            % {"name": person.name, "recipients": _names(people, could.tolist())},
        )
    if not person.offers:
        return (_("%(name)s made no offer.") % {"name": person.name},)
    offered = " / ".join(
        _("offer %(number)s: %(tags)s")
        % {"number": n, "tags": _describe(o, sorted(graph.required), names)}
        for n, o in enumerate(person.offers, 1)
    )
    return (
        _("Nobody else requests what %(name)s offers (%(offers)s).")
        % {"name": person.name, "offers": offered},
    )
