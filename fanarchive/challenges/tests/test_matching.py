"""challenges.matching: the rules, the exact matching, the reasons, hostile input."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.challenges import matching
from fanarchive.challenges.matching import (
    MatchResult,
    MatchRules,
    Participant,
    Wish,
    match_exchange,
    potential_recipients,
)

HARBOUR, LANTERN, MOSS = 1, 2, 3
MIRA, TOBIN, ODA = 11, 12, 13
NAMES: dict[int | str, str] = {
    HARBOUR: "Harbour Tales",
    LANTERN: "Lantern Street",
    MOSS: "Moss Road",
    MIRA: "Mira Vell",
    TOBIN: "Tobin Ash",
    ODA: "Oda Finch",
}
FANDOM = MatchRules(must_match={"fandom": 1})


def wish(any_types: Sequence[str] = (), **tags: Sequence[int | str]) -> Wish:
    return Wish(
        tags={tag_type: frozenset(ids) for tag_type, ids in tags.items()},
        any_types=frozenset(any_types),
    )


def person(key: int, name: str, requests: Sequence[Wish], offers: Sequence[Wish]) -> Participant:
    return Participant(key=key, name=name, requests=tuple(requests), offers=tuple(offers))


def pairs(result: MatchResult) -> set[tuple[int, int]]:
    return {(a.giver_key, a.recipient_key) for a in result.assignments}


def left_out(result: MatchResult) -> int:
    return len({u.key for u in result.unmatched_givers + result.unmatched_recipients})


# --- the rules -----------------------------------------------------------------------


def two_way(request: Wish, offer: Wish, rules: MatchRules) -> bool:
    """Can rook write for pika, pika's request against rook's offer?"""
    result = match_exchange(
        [
            person(1, "pika", [request], [wish(fandom=[MOSS])]),
            person(2, "rook", [wish(fandom=[99])], [offer]),
        ],
        rules,
    )
    return (2, 1) in pairs(result)


def test_fandom_must_match_one() -> None:
    assert two_way(wish(fandom=[HARBOUR]), wish(fandom=[HARBOUR, LANTERN]), FANDOM)
    assert not two_way(wish(fandom=[HARBOUR]), wish(fandom=[LANTERN]), FANDOM)


def test_must_match_two_and_request_with_fewer_tags() -> None:
    rules = MatchRules(must_match={"character": 2})
    both = wish(character=[MIRA, TOBIN])
    assert two_way(both, wish(character=[MIRA, TOBIN, ODA]), rules)
    assert not two_way(both, wish(character=[MIRA, ODA]), rules)
    # A request naming one character is satisfied by sharing that one.
    assert two_way(wish(character=[MIRA]), wish(character=[MIRA, ODA]), rules)
    # A request naming none of a type asks nothing of it.
    assert two_way(wish(fandom=[HARBOUR]), wish(character=[ODA]), rules)


def test_every_must_match_type_applies_together() -> None:
    rules = MatchRules(must_match={"fandom": 1, "character": 1})
    request = wish(fandom=[HARBOUR], character=[MIRA])
    assert two_way(request, wish(fandom=[HARBOUR], character=[MIRA]), rules)
    assert not two_way(request, wish(fandom=[HARBOUR], character=[TOBIN]), rules)
    assert not two_way(request, wish(fandom=[LANTERN], character=[MIRA]), rules)


def test_types_that_need_not_match_are_ignored() -> None:
    request = wish(fandom=[HARBOUR], freeform=[501])
    assert two_way(request, wish(fandom=[HARBOUR], freeform=[502]), FANDOM)


def test_any_on_the_request_or_the_offer() -> None:
    assert two_way(wish(any_types=["fandom"]), wish(fandom=[LANTERN]), FANDOM)
    assert two_way(wish(fandom=[HARBOUR]), wish(any_types=["fandom"]), FANDOM)
    rules = MatchRules(must_match={"fandom": 1, "character": 1})
    request = wish(fandom=[HARBOUR], character=[MIRA])
    offer = wish(fandom=[HARBOUR], any_types=["character"])
    assert two_way(request, offer, rules)
    assert not two_way(request, wish(fandom=[LANTERN], any_types=["character"]), rules)


def test_some_offer_for_some_request_names_the_pair() -> None:
    result = match_exchange(
        [
            person(
                1, "pika", [wish(fandom=[MOSS]), wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]
            ),
            person(
                2, "rook", [wish(fandom=[LANTERN])], [wish(fandom=[MOSS]), wish(fandom=[HARBOUR])]
            ),
        ],
        FANDOM,
    )
    assert pairs(result) == {(1, 2), (2, 1)}
    to_pika = next(a for a in result.assignments if a.recipient_key == 1)
    assert (to_pika.request_index, to_pika.offer_index) == (0, 0)


def test_quality_prefers_the_request_offer_pair_sharing_most() -> None:
    result = match_exchange(
        [
            person(1, "pika", [wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]),
            person(
                2,
                "rook",
                [wish(fandom=[LANTERN])],
                [wish(fandom=[HARBOUR]), wish(fandom=[HARBOUR], character=[MIRA])],
            ),
        ],
        FANDOM,
    )
    # Both offers share one tag with pika's request (she names no character).
    to_pika = next(a for a in result.assignments if a.recipient_key == 1)
    assert to_pika.quality == 1
    assert to_pika.offer_index == 0
    assert result.total_quality == 2


def test_quality_never_costs_a_pair() -> None:
    # rook -> pika shares four tags, rook -> wren one; taking the rich pair would leave
    # wren without a giver, since only rook can write for her.
    rich = wish(fandom=[HARBOUR], character=[MIRA, TOBIN, ODA])
    people = [
        person(1, "pika", [rich], [wish(fandom=[LANTERN])]),
        person(2, "rook", [wish(fandom=[LANTERN])], [rich, wish(fandom=[MOSS])]),
        person(3, "wren", [wish(fandom=[MOSS])], [wish(fandom=[LANTERN]), rich]),
    ]
    result = match_exchange(people, FANDOM)
    assert len(result.assignments) == 3
    assert pairs(result) == {(2, 3), (3, 1), (1, 2)}


def test_no_one_writes_for_themselves() -> None:
    alone = person(1, "pika", [wish(fandom=[HARBOUR])], [wish(fandom=[HARBOUR])])
    result = match_exchange([alone], FANDOM)
    assert result.assignments == ()
    assert result.possible_pairs == 0
    assert result.unmatched_recipients[0].reasons == (
        "No one else signed up, so no one can write for pika.",
    )
    assert result.unmatched_givers[0].reasons == (
        "No one else signed up, so pika has no one to write for.",
    )


def test_empty_exchange() -> None:
    result = match_exchange([], FANDOM)
    assert result == MatchResult((), (), (), 0, 0)


def test_everyone_compatible_is_everyone_matched() -> None:
    people = [
        person(k, f"writer{k}", [wish(fandom=[HARBOUR])], [wish(fandom=[HARBOUR])])
        for k in range(1, 8)
    ]
    result = match_exchange(people, FANDOM)
    assert len(result.assignments) == 7
    assert left_out(result) == 0
    assert all(a.giver_key != a.recipient_key for a in result.assignments)
    assert {a.giver_key for a in result.assignments} == set(range(1, 8))
    assert {a.recipient_key for a in result.assignments} == set(range(1, 8))


def test_no_must_match_rule_lets_everyone_write_for_anyone_else() -> None:
    people = [person(k, f"w{k}", [wish(fandom=[k])], [wish(fandom=[k + 10])]) for k in range(4)]
    result = match_exchange(people, MatchRules(must_match={}))
    assert result.possible_pairs == 12
    assert left_out(result) == 0


def test_a_cycle_is_closed_even_when_a_greedy_pass_would_not() -> None:
    # a -> b -> c -> a is the only full assignment; a also could write for c, and a
    # greedy pass taking a -> c first leaves b and c stuck.
    people = [
        person(1, "a", [wish(fandom=[LANTERN])], [wish(fandom=[1, 2])]),
        person(2, "b", [wish(fandom=[1])], [wish(fandom=[2])]),
        person(3, "c", [wish(fandom=[2])], [wish(fandom=[LANTERN])]),
    ]
    result = match_exchange(people, FANDOM)
    assert pairs(result) == {(1, 2), (2, 3), (3, 1)}


def test_a_chain_leaves_the_ends_out_with_reasons() -> None:
    people = [
        person(1, "pika", [wish(fandom=[MOSS])], [wish(fandom=[HARBOUR])]),
        person(2, "rook", [wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]),
        person(3, "wren", [wish(fandom=[LANTERN])], [wish(fandom=[99])]),
    ]
    result = match_exchange(people, FANDOM, NAMES)
    assert pairs(result) == {(1, 2), (2, 3)}
    [no_giver] = result.unmatched_recipients
    assert (no_giver.key, no_giver.reasons) == (
        1,
        ("No one offers anything that satisfies request 1 of pika (fandom: Moss Road).",),
    )
    [no_recipient] = result.unmatched_givers
    assert (no_recipient.key, no_recipient.reasons) == (
        3,
        ("Nobody else requests what wren offers (offer 1: fandom: 99).",),
    )


def test_reason_when_every_possible_giver_is_taken() -> None:
    # pika and rook both want Harbour Tales; only wren offers it.
    people = [
        person(1, "pika", [wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]),
        person(2, "rook", [wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]),
        person(3, "wren", [wish(fandom=[LANTERN])], [wish(fandom=[HARBOUR])]),
    ]
    result = match_exchange(people, FANDOM, NAMES)
    assert len(result.assignments) == 2
    [no_giver] = result.unmatched_recipients
    assert no_giver.reasons == (
        f"Everyone who could write for {no_giver.name} (wren) is already assigned to "
        "someone with fewer other options.",
    )
    [no_recipient] = result.unmatched_givers
    assert no_recipient.reasons == (
        f"Everyone {no_recipient.name} could write for (wren) already has a giver with "
        "fewer other options.",
    )


def test_reason_when_each_type_is_offered_but_never_together() -> None:
    rules = MatchRules(must_match={"fandom": 1, "character": 1})
    people = [
        person(1, "pika", [wish(fandom=[HARBOUR], character=[MIRA])], [wish(fandom=[LANTERN])]),
        person(2, "rook", [wish(fandom=[LANTERN])], [wish(fandom=[HARBOUR], character=[TOBIN])]),
        person(3, "wren", [wish(fandom=[LANTERN])], [wish(fandom=[MOSS], character=[MIRA])]),
    ]
    result = match_exchange(people, rules, NAMES)
    pika = next(u for u in result.unmatched_recipients if u.key == 1)
    assert pika.reasons == (
        "No single offer satisfies request 1 of pika on all of "
        "character: Mira Vell; fandom: Harbour Tales at once.",
    )


def test_reason_names_only_the_types_no_one_offers() -> None:
    rules = MatchRules(must_match={"fandom": 1, "character": 1})
    people = [
        person(1, "pika", [wish(fandom=[HARBOUR], character=[ODA])], [wish(fandom=[LANTERN])]),
        person(2, "rook", [wish(fandom=[LANTERN])], [wish(fandom=[HARBOUR], character=[MIRA])]),
    ]
    result = match_exchange(people, rules, NAMES)
    [pika] = result.unmatched_recipients
    assert pika.reasons == (
        "No one offers anything that satisfies request 1 of pika (character: Oda Finch).",
    )


def test_reason_when_nothing_was_asked_or_offered() -> None:
    people = [
        person(1, "pika", [], [wish(fandom=[HARBOUR])]),
        person(2, "rook", [wish(fandom=[HARBOUR])], []),
    ]
    result = match_exchange(people, FANDOM)
    assert pairs(result) == {(1, 2)}
    assert result.unmatched_recipients[0].reasons == ("pika made no request.",)
    assert result.unmatched_givers[0].reasons == ("rook made no offer.",)


def test_long_lists_of_names_are_shortened() -> None:
    # Nine givers of Harbour Tales, eight recipients: one giver is left out, with seven
    # or eight people it could have written for.
    people = [person(1, "pika", [wish(fandom=[MOSS])], [wish(fandom=[HARBOUR])])] + [
        person(k, f"writer{k}", [wish(fandom=[HARBOUR])], [wish(fandom=[HARBOUR])])
        for k in range(2, 10)
    ]
    result = match_exchange(people, FANDOM)
    [left] = result.unmatched_givers
    assert re.search(r"could write for \(writer\d, .* and [23] others\)", left.reasons[0])


def test_potential_recipients_lists_who_else_a_giver_could_write_for() -> None:
    people = [
        person(1, "pika", [wish(fandom=[HARBOUR])], [wish(fandom=[LANTERN])]),
        person(2, "rook", [wish(fandom=[HARBOUR], character=[MIRA])], [wish(fandom=[LANTERN])]),
        person(3, "wren", [wish(fandom=[MOSS])], [wish(fandom=[HARBOUR], character=[MIRA])]),
    ]
    found = potential_recipients(people, FANDOM, 3)
    assert [(a.recipient_key, a.quality) for a in found] == [(2, 2), (1, 1)]
    with pytest.raises(ValueError, match="No participant with key 9"):
        potential_recipients(people, FANDOM, 9)


# --- hostile input ---------------------------------------------------------------


def test_duplicate_keys_are_refused() -> None:
    twice = [
        person(1, "pika", [wish(fandom=[HARBOUR])], [wish(fandom=[HARBOUR])]),
        person(1, "rook", [wish(fandom=[HARBOUR])], [wish(fandom=[HARBOUR])]),
    ]
    with pytest.raises(ValueError, match="Participant key 1 appears more than once"):
        match_exchange(twice, FANDOM)


def test_negative_must_match_is_refused() -> None:
    with pytest.raises(ValueError, match="must_match for 'fandom'"):
        match_exchange([], MatchRules(must_match={"fandom": -1}))


def test_a_participant_with_ten_thousand_tags() -> None:
    huge = wish(fandom=range(10_000), character=range(20_000, 30_000))
    people = [
        person(1, "pika", [huge], [huge]),
        person(2, "rook", [wish(fandom=[5])], [wish(fandom=[9_999], character=[20_001])]),
    ]
    result = match_exchange(people, MatchRules(must_match={"fandom": 1, "character": 1}))
    assert pairs(result) == {(1, 2), (2, 1)}
    to_pika = next(a for a in result.assignments if a.recipient_key == 1)
    assert to_pika.quality == 2


def test_string_tags_and_missing_names() -> None:
    people = [
        person(1, "pika", [wish(fandom=["harbour"])], [wish(fandom=["lantern"])]),
        person(2, "rook", [wish(fandom=["moss"])], [wish(fandom=["harbour"])]),
    ]
    result = match_exchange(people, FANDOM, {"harbour": "Harbour Tales"})
    assert pairs(result)
    assert result.unmatched_recipients[0].reasons == (
        "No one offers anything that satisfies request 1 of rook (fandom: moss).",
    )


# --- against a brute-force reference -----------------------------------------------


def satisfies(request: Wish, offer: Wish, rules: MatchRules) -> bool:
    for tag_type, number in rules.must_match.items():
        if number == 0 or tag_type in request.any_types or tag_type in offer.any_types:
            continue
        wanted = request.tags.get(tag_type, frozenset())
        if len(wanted & offer.tags.get(tag_type, frozenset())) < min(number, len(wanted)):
            return False
    return True


def reference_quality(giver: Participant, recipient: Participant, rules: MatchRules) -> int | None:
    best = None
    for request, offer in itertools.product(recipient.requests, giver.offers):
        if satisfies(request, offer, rules):
            shared = sum(
                len(tags & offer.tags.get(tag_type, frozenset()))
                for tag_type, tags in request.tags.items()
            )
            best = shared if best is None else max(best, shared)
    return best


def brute_force(people: Sequence[Participant], rules: MatchRules) -> tuple[int, int]:
    """(most pairs, best quality among those) by trying every partial assignment."""
    options: dict[int, dict[int, int]] = {}
    for g, giver in enumerate(people):
        options[g] = {}
        for r, recipient in enumerate(people):
            quality = reference_quality(giver, recipient, rules) if g != r else None
            if quality is not None:
                options[g][r] = quality
    best = (0, 0)

    def walk(g: int, taken: frozenset[int], size: int, quality: int) -> None:
        nonlocal best
        if g == len(people):
            best = max(best, (size, quality))
            return
        walk(g + 1, taken, size, quality)
        for r, q in options[g].items():
            if r not in taken:
                walk(g + 1, taken | {r}, size + 1, quality + q)

    walk(0, frozenset(), 0, 0)
    return best


def max_flow_size(people: Sequence[Participant], rules: MatchRules) -> int:
    """Maximum matching by augmenting paths (Kuhn's algorithm), a second reference."""
    can: Mapping[int, list[int]] = {
        g: [
            r
            for r in range(len(people))
            if r != g and reference_quality(people[g], people[r], rules) is not None
        ]
        for g in range(len(people))
    }
    giver_of: dict[int, int] = {}

    def augment(g: int, seen: set[int]) -> bool:
        for r in can[g]:
            if r not in seen:
                seen.add(r)
                if r not in giver_of or augment(giver_of[r], seen):
                    giver_of[r] = g
                    return True
        return False

    return sum(augment(g, set()) for g in range(len(people)))


random_wish = st.builds(
    Wish,
    tags=st.fixed_dictionaries(
        {
            "fandom": st.frozensets(st.integers(1, 4), max_size=3),
            "character": st.frozensets(st.integers(11, 15), max_size=3),
        }
    ),
    # "any" on about one wish in five.
    any_types=st.sampled_from(
        [frozenset(), frozenset(), frozenset(), frozenset({"fandom"}), frozenset({"character"})]
    ),
)


@st.composite
def exchanges(draw: st.DrawFn) -> tuple[list[Participant], MatchRules]:
    size = draw(st.integers(0, 8))
    people = [
        Participant(
            key=100 + k,
            name=f"w{k}",
            requests=tuple(draw(st.lists(random_wish, min_size=1, max_size=2))),
            offers=tuple(draw(st.lists(random_wish, min_size=1, max_size=2))),
        )
        for k in range(size)
    ]
    rules = MatchRules(
        must_match={"fandom": draw(st.integers(0, 2)), "character": draw(st.integers(0, 2))}
    )
    return people, rules


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(exchanges())
def test_matching_is_exact_against_brute_force(
    exchange: tuple[list[Participant], MatchRules],
) -> None:
    people, rules = exchange
    result = match_exchange(people, rules)
    most, best_quality = brute_force(people, rules)
    assert len(result.assignments) == most
    assert max_flow_size(people, rules) == most
    requests, offers = matching._flatten(people, "requests"), matching._flatten(people, "offers")
    step_one = matching._maximum_matching(
        matching._graph(requests, offers, rules).edges, len(people)
    )
    assert step_one == most  # Hopcroft-Karp alone, and the quality step kept its size
    assert result.total_quality == best_quality
    # Every assignment is allowed, uses the pair it names, and no one appears twice.
    by_key = {p.key: p for p in people}
    for a in result.assignments:
        assert a.giver_key != a.recipient_key
        request = by_key[a.recipient_key].requests[a.request_index]
        offer = by_key[a.giver_key].offers[a.offer_index]
        assert satisfies(request, offer, rules)
        assert a.quality == reference_quality(by_key[a.giver_key], by_key[a.recipient_key], rules)
    assert len({a.giver_key for a in result.assignments}) == most
    assert len({a.recipient_key for a in result.assignments}) == most
    # Everyone left out, and only they, has a reason.
    assert {u.key for u in result.unmatched_givers} == set(by_key) - {
        a.giver_key for a in result.assignments
    }
    assert {u.key for u in result.unmatched_recipients} == set(by_key) - {
        a.recipient_key for a in result.assignments
    }
    assert all(u.reasons for u in result.unmatched_givers + result.unmatched_recipients)
