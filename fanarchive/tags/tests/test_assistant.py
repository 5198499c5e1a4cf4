"""The wrangling assistant: its rules one by one (with the look-alikes each must keep
apart), its precision and recall on the labelled sets, and the archive's evidence read
from the database."""

from __future__ import annotations

import csv
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create
from fanarchive.tags.tests import assistant_set
from fanarchive.wrangling.assistant import (
    DEFAULT_THRESHOLD,
    Candidate,
    Context,
    Suggestion,
    damerau_levenshtein,
    fold,
    parse_relationship,
    suggest,
)
from fanarchive.wrangling.assistant_rules import people
from fanarchive.wrangling.assistant_rules.names import abbreviates, roman_value
from fanarchive.wrangling.assistant_rules.words import SPELT_OR_NOT
from fanarchive.wrangling.services import tag_link_fandom, tag_make_synonym, tag_set_canonical
from fanarchive.wrangling.suggestion_selectors import suggestions_for_tag, suggestions_for_tags
from fanarchive.wrangling.wrangler_services import suggestion_reject

DATA = Path(__file__).parent / "data"
TARGET_PRECISION = 0.95
TARGET_RECALL = 0.75


def chars(*names: str, start: int = 1) -> list[Candidate]:
    return [Candidate(start + i, name, "character") for i, name in enumerate(names)]


def rels(*names: str, start: int = 100) -> list[Candidate]:
    return [Candidate(start + i, name, "relationship") for i, name in enumerate(names)]


def named(found: list[Suggestion]) -> list[str]:
    return [s.target.name for s in found]


def on_works(*tag_sets: set[int], **fields: Any) -> Context:
    """A context whose tag is carried by works with these canonical tags."""
    return Context(
        tag_works=len(tag_sets),
        tag_profile=dict(Counter(t for tags in tag_sets for t in tags)),
        tag_work_tags=[frozenset(tags) for tags in tag_sets],
        **fields,
    )


# -- names ----------------------------------------------------------------------


def test_folding():
    assert fold("Élodie  Marchand!") == fold("elodie-marchand") == "elodiemarchand"
    assert fold("Fennick O'Dell") == fold("Fennick ODell")
    assert fold("Fluff & Angst") == fold("fluff and angst")


def test_relationships_parse_order_and_separators():
    romantic = parse_relationship("Mira Vale/Tomas Reyes")
    assert romantic == parse_relationship("Tomas Reyes x Mira Vale")
    assert romantic == parse_relationship("tomas reyes / MIRA VALE")
    platonic = parse_relationship("Mira Vale & Tomas Reyes")
    assert platonic is not None and platonic.platonic and platonic != romantic
    assert parse_relationship("Tomas Reyes and Mira Vale") == platonic
    assert parse_relationship("Mira Vale") is None
    assert parse_relationship("Mira/Tomas & Ilsa") is None


def test_damerau_levenshtein_counts_a_swap_once():
    assert damerau_levenshtein("vale", "vael") == 1
    assert damerau_levenshtein("kitten", "sitting") == 3


def test_roman_numerals_and_initialisms():
    assert roman_value("VII") == 7 and roman_value("xiv") == 14 and roman_value("mix") is None
    assert abbreviates(["mha"], ["my", "hero", "academia"], SPELT_OR_NOT)
    assert abbreviates(["ff7", "remake"], ["final", "fantasy", "#7", "remake"], SPELT_OR_NOT)
    assert abbreviates(["ffvii"], ["final", "fantasy", "#7"], SPELT_OR_NOT)
    assert abbreviates(["tlok"], ["legend", "of", "korra"], SPELT_OR_NOT)
    assert not abbreviates(["ffix"], ["final", "fantasy", "#10"], SPELT_OR_NOT)
    # A negation is never skipped: "H/C" is not "Hurt No Comfort".
    assert not abbreviates(["hc"], ["hurt", "no", "comfort"], SPELT_OR_NOT)


# -- characters -----------------------------------------------------------------

HARBOUR = chars("Mira Vale", "Ana Sorel", "Ana Quill", "Captain Ilsa Varn", "Lady Imke Roos")


def read(name: str, characters: list[Candidate], **aliases: list[str]) -> set[str]:
    by_name = {c.name: c.id for c in characters}
    cast = people.cast_for(
        characters, {by_name[k.replace("_", " ")]: v for k, v in aliases.items()}
    )
    match = cast.read(name, ())
    if match is None or (len(match.ids) != 1 and not match.needs_company):
        return set()
    return {c.name for c in characters if c.id in match.ids}


def test_short_names_need_exactly_one_character():
    assert read("Mira", HARBOUR) == {"Mira Vale"}
    assert read("Captain Varn", HARBOUR) == {"Captain Ilsa Varn"}
    assert read("Ana", HARBOUR) == set()


def test_titles_of_the_other_sex_never_match():
    pickett = chars("Miss Pickett", "Bartholomew Pickett")
    assert read("Mr. Pickett", pickett) == {"Bartholomew Pickett"}
    assert read("Ms. Pickett", pickett) == {"Miss Pickett"}
    assert read("Pickett", pickett) == set()  # a surname the family shares
    assert read("Lord Roos", HARBOUR) == set()
    assert read("Princess Aurelie", chars("Queen Aurelie")) == {"Queen Aurelie"}


def test_a_quoted_nickname_alternatives_and_synonyms_are_names():
    cast = chars('James "Bucky" Barnes', "Ben Solo | Kylo Ren", "Sam Winchester", "Sam Wilson")
    for name in ("Bucky", "Bucky Barnes", "James Barnes"):
        assert read(name, cast) == {'James "Bucky" Barnes'}
    assert read("Kylo Ren", cast) == {"Ben Solo | Kylo Ren"}
    assert read("Sammy Winchester", cast, Sam_Winchester=["Sammy"]) == {"Sam Winchester"}
    assert read("Sam", cast) == set()


def test_nicknames_shorten_or_lengthen_a_first_name_not_another_persons():
    cast = chars("Newton Pulsifer", "Max Mayfield", "Tavish Crane", "Tavi Moss")
    assert read("Newt", cast) == {"Newton Pulsifer"}
    assert read("Maxine Mayfield", cast) == {"Max Mayfield"}
    assert read("Tavi", cast) == {"Tavi Moss"}
    assert read("Tavish Moss", cast) == set()  # Tavish is someone else's name


def test_a_fandom_suffix_may_be_dropped_or_name_the_fandom_only():
    hannibal = chars("Will Graham (Hannibal)", "Hannibal Lecter")
    context = Context(characters=hannibal, fandom_names=["Hannibal (TV)"])
    assert named(suggest("Will Graham", "character", hannibal, context=context)) == [
        "Will Graham (Hannibal)"
    ]
    spn = chars("Castiel (Supernatural)", "Dean Winchester")
    context = Context(characters=spn, fandom_names=["Supernatural (TV 2005)", "SPN"])
    assert named(suggest("Castiel (SPN)", "character", spn, context=context)) == [
        "Castiel (Supernatural)"
    ]
    # A version of the character, or the same name in another fandom, is not it.
    assert suggest("Castiel (Human)", "character", spn, context=context) == []
    go = chars("Crowley (Good Omens)")
    context = Context(characters=go, fandom_names=["Good Omens (TV)"])
    assert suggest("Crowley (Supernatural)", "character", go, context=context) == []


WEASLEYS = chars("Molly Weasley", "Arthur Weasley", "Ron Weasley", "Ginny Weasley", "Harry Potter")
WEASLEY_RELS = rels("Arthur Weasley/Molly Weasley", "Ginny Weasley/Harry Potter")


def test_a_title_and_a_family_name_goes_by_the_works():
    molly, arthur, ron, ginny, _ = (c.id for c in WEASLEYS)
    couple, _ = (r.id for r in WEASLEY_RELS)
    # Nothing to go by: the Weasleys share the name.
    context = Context(characters=WEASLEYS, relationships=WEASLEY_RELS)
    assert suggest("Mrs. Weasley", "character", WEASLEYS, context=context) == []
    # Her works are tagged with Arthur Weasley/Molly Weasley, and not with Molly.
    context = on_works(
        {couple, arthur, ron},
        {couple, arthur},
        {couple, arthur, ginny},
        characters=WEASLEYS,
        relationships=WEASLEY_RELS,
        frequencies={couple: 10},
        profiles={couple: {molly: 9, arthur: 9}},
        total_works=50,
    )
    (best,) = suggest("Mrs. Weasley", "character", WEASLEYS, context=context)
    assert best.target.name == "Molly Weasley" and "relationships" in best.reason
    # A bare surname stays ambiguous whatever the works say.
    assert suggest("Weasley", "character", WEASLEYS, context=context) == []


def test_close_spelling_keeps_apart_a_relative_standing_beside():
    cast = chars("Teodor Balan", "Mira Vale")
    teodor = cast[0].id
    assert named(suggest("Teodr Balan", "character", cast, context=Context(characters=cast))) == [
        "Teodor Balan"
    ]
    context = on_works({teodor}, {teodor}, {teodor}, characters=cast)
    assert suggest("Teodr Balan", "character", cast, context=context) == []
    # Each differing word must be close too: Mitsuki is no misspelling of Katsuki.
    mha = chars("Bakugou Katsuki")
    assert suggest("Bakugou Mitsuki", "character", mha, context=Context(characters=mha)) == []


def test_company_alone_finds_the_character_a_nickname_stands_in_for():
    cast = chars("Remus Lupin", "Sirius Black", "Harry Potter")
    remus, sirius, harry = (c.id for c in cast)
    pairing = rels("Remus Lupin/Sirius Black")
    couple = pairing[0].id
    context = on_works(
        {couple, sirius},
        {couple, sirius, harry},
        {couple, sirius},
        characters=cast,
        relationships=pairing,
        frequencies={couple: 20},
        profiles={couple: {remus: 18, sirius: 18}},
        total_works=100,
    )
    assert named(suggest("Moony", "character", cast, context=context)) == ["Remus Lupin"]


@pytest.mark.parametrize(
    "name",
    [
        "!!!",
        "",
        "   ",
        "/",
        "&",
        "(",
        "()",
        "a" * 100,
        "x/" * 50,
        "🦊🦊",
        "ش/ج",
        "\u0000x",
        "I" * 40,
    ],
)
def test_odd_names_suggest_nothing_and_do_not_fail(name):
    context = on_works({1, 2}, {1}, characters=HARBOUR, relationships=rels("Ana Quill/Mira Vale"))
    for tag_type, pool in (
        ("character", HARBOUR),
        ("relationship", rels("Ana Quill/Mira Vale")),
        ("fandom", FANDOMS),
        ("freeform", FREEFORMS),
    ):
        started = time.perf_counter()
        assert suggest(name, tag_type, pool, context=context) == []
        assert time.perf_counter() - started < 0.5


def test_rejected_targets_are_not_suggested_again():
    pool = chars("Mira Vale", "Tomas Reyes")
    assert suggest("Mira", "character", pool, context=Context(rejected=frozenset({1}))) == []


# -- relationships ----------------------------------------------------------------

SPN = chars("Castiel (Supernatural)", "Dean Winchester", "Sam Winchester", "Gabriel (Supernatural)")
SPN_RELS = rels(
    "Castiel/Dean Winchester", "Gabriel/Sam Winchester", "Dean Winchester & Sam Winchester"
)


def spn_context(*tag_sets: set[int]) -> Context:
    """Supernatural, its tag carried by works with these canonical tags."""
    return on_works(*tag_sets, characters=SPN, relationships=SPN_RELS, aliases={1: ["Cas"]})


def test_relationships_by_names_aliases_and_and():
    context = spn_context()
    (best,) = suggest("Dean/Cas", "relationship", SPN_RELS, context=context)
    assert best.target.name == "Castiel/Dean Winchester"
    (best,) = suggest("Sam and Dean", "relationship", SPN_RELS, context=context)
    assert best.target.name == "Dean Winchester & Sam Winchester"
    assert suggest("Dean & Cas", "relationship", SPN_RELS, context=context) == []
    assert suggest("Sam/Dean/Cas", "relationship", SPN_RELS, context=context) == []


def test_a_ship_name_blends_two_characters_who_appear_on_its_works():
    castiel, dean, sam, gabriel = (c.id for c in SPN)
    context = spn_context({castiel, dean}, {castiel, dean, sam})
    (best,) = suggest("Destiel", "relationship", SPN_RELS, context=context)
    assert best.target.name == "Castiel/Dean Winchester" and "ship name" in best.reason
    (best,) = suggest("Sabriel", "relationship", SPN_RELS, context=spn_context({sam, gabriel}))
    assert best.target.name == "Gabriel/Sam Winchester"
    # Sam/Castiel has no canonical tag: "Sastiel" is neither pairing.
    context = spn_context({sam, castiel})
    assert suggest("Sastiel", "relationship", SPN_RELS, context=context) == []


def test_a_ship_name_is_romantic_and_needs_its_characters():
    mcu = chars("Loki (Marvel)", "Thor (Marvel)")
    platonic = rels("Loki & Thor (Marvel)")
    context = on_works({1, 2}, characters=mcu, relationships=platonic)
    assert suggest("Thorki", "relationship", platonic, context=context) == []
    pp = chars("Beca Mitchell", "Emily Junk", "Benji Applebaum")
    pairing = rels("Benji Applebaum/Emily Junk")
    # "Be" begins Beca as well as Benji, and Benji is not on its works.
    context = on_works({1, 2}, {1, 2}, characters=pp, relationships=pairing)
    assert suggest("Bemily", "relationship", pairing, context=context) == []


def test_a_name_for_a_cast_goes_by_the_works():
    go = chars("Aziraphale (Good Omens)", "Crowley (Good Omens)", "Gabriel (Good Omens)")
    pairings = rels("Aziraphale/Crowley (Good Omens)", "Aziraphale & Gabriel (Good Omens)")
    couple = pairings[0].id
    context = on_works(
        {1, 2}, {1, 2, couple}, {1, 2, 3}, {1, 2}, characters=go, relationships=pairings
    )
    (best,) = suggest("Ineffable Husbands", "relationship", pairings, context=context)
    assert best.target.name == "Aziraphale/Crowley (Good Omens)"
    # One work is not enough to name a cast.
    context = on_works({1, 2, couple}, characters=go, relationships=pairings)
    assert suggest("Ineffable Husbands", "relationship", pairings, context=context) == []


# -- fandoms ------------------------------------------------------------------------

FANDOMS = [
    Candidate(i, name, "fandom")
    for i, name in enumerate(
        [
            "Star Wars - All Media Types",
            "Star Wars Episode IV: A New Hope (1977)",
            "Star Wars Episode V: The Empire Strikes Back (1980)",
            "Star Wars: The Clone Wars (2008) - All Media Types",
            "Star Wars: The Clone Wars (2003)",
            "Good Omens (TV)",
            "Good Omens - Neil Gaiman & Terry Pratchett",
            "Harry Potter - J. K. Rowling",
            "Harry Potter and the Cursed Child - Thorne & Rowling",
            "Final Fantasy VII",
            "Final Fantasy VIII",
            "Final Fantasy X",
            "Final Fantasy VII Remake (Video Game)",
            "Boku no Hero Academia | My Hero Academia",
            "Mó Dào Zǔ Shī - Mòxiāng Tóngxiù",
            "Tiān Guān Cì Fú - Mòxiāng Tóngxiù",
            "Hannibal (TV)",
            "Hannibal (2001)",
            "Ironbloom (Video Game)",
            "Ironbloom II: Rustlight (Video Game)",
            "Avatar: The Last Airbender",
        ],
        start=1,
    )
]


@pytest.mark.parametrize(
    ("tag", "target"),
    [
        ("Star Wars", "Star Wars - All Media Types"),
        ("Star Wars Episode 4", "Star Wars Episode IV: A New Hope (1977)"),
        ("A New Hope", "Star Wars Episode IV: A New Hope (1977)"),
        ("Empire Strikes Back", "Star Wars Episode V: The Empire Strikes Back (1980)"),
        ("Clone Wars (2008)", "Star Wars: The Clone Wars (2008) - All Media Types"),
        (
            "Star Wars: The Clone Wars (2008 TV)",
            "Star Wars: The Clone Wars (2008) - All Media Types",
        ),
        ("Good Omens TV", "Good Omens (TV)"),
        (
            "Good Omens - Neil Gaiman and Terry Pratchett",
            "Good Omens - Neil Gaiman & Terry Pratchett",
        ),
        ("Harry Potter", "Harry Potter - J. K. Rowling"),
        ("Final Fantasy 7", "Final Fantasy VII"),
        ("Hannibal 2001", "Hannibal (2001)"),
        ("Ironbloom 2", "Ironbloom II: Rustlight (Video Game)"),
        ("Rustlight", "Ironbloom II: Rustlight (Video Game)"),
        ("My Hero Academia", "Boku no Hero Academia | My Hero Academia"),
        ("MHA", "Boku no Hero Academia | My Hero Academia"),
        ("BNHA", "Boku no Hero Academia | My Hero Academia"),
        ("ATLA", "Avatar: The Last Airbender"),
        ("FF7", "Final Fantasy VII"),
        ("FF7 Remake", "Final Fantasy VII Remake (Video Game)"),
        ("MDZS", "Mó Dào Zǔ Shī - Mòxiāng Tóngxiù"),
        ("Tian Guan Ci Fu", "Tiān Guān Cì Fú - Mòxiāng Tóngxiù"),
        ("Ironblom (Video Game)", "Ironbloom (Video Game)"),
    ],
)
def test_fandom_titles_written_another_way(tag, target):
    assert named(suggest(tag, "fandom", FANDOMS)) == [target]


@pytest.mark.parametrize(
    "tag",
    [
        "Good Omens",  # the TV series or the book
        "The Clone Wars",  # 2003 or 2008
        "Hannibal",  # the series or the film
        "Ironbloom 3",  # no such game
        "Ironbloom (Cartoon)",  # another medium
        "Final Fantasy IX",  # neither VIII nor X
        "FFIX",
        "Harry Potter and the Cursed Child (Movie)",
        "Mo Dao Zu Shi (Anime)",  # the donghua is a fandom of its own
        "MXTX",  # the author's initials, not a title's
        "Avatar: The Last Airbender (2024)",  # a year the fandom is not told apart by
    ],
)
def test_fandoms_that_must_stay_apart(tag):
    assert suggest(tag, "fandom", FANDOMS) == []


# -- additional tags ------------------------------------------------------------------

FREEFORMS = [
    Candidate(i, name, "freeform")
    for i, name in enumerate(
        [
            "Enemies to Lovers",
            "Fluff and Angst",
            "Hurt/Comfort",
            "Hurt No Comfort",
            "Minor Character Death",
            "Unrequited Love",
            "Canon Compliant",
            "Alternate Universe - Coffee Shops & Cafés",
            "Alternate Universe - College/University",
            "Alternate Universe - Soulmates",
            "Soulmates",
            "Fake/Pretend Relationship",
            "Happily Ever After",
            "Angst with a Happy Ending",
            "Misunderstandings",
        ],
        start=1,
    )
]


@pytest.mark.parametrize(
    ("tag", "target"),
    [
        ("Fluff & Angst", "Fluff and Angst"),
        ("Angst and Fluff", "Fluff and Angst"),
        ("Hurt and Comfort", "Hurt/Comfort"),
        ("H/C", "Hurt/Comfort"),
        ("HEA", "Happily Ever After"),
        ("Coffee Shop AU", "Alternate Universe - Coffee Shops & Cafés"),
        ("University AU", "Alternate Universe - College/University"),
        ("Soulmate AU", "Alternate Universe - Soulmates"),
        ("Soulmate", "Soulmates"),
        ("Pretend Relationship", "Fake/Pretend Relationship"),
        ("angst w/ happy ending", "Angst with a Happy Ending"),
        ("Enemies 2 Lovers", "Enemies to Lovers"),
        ("Misunderstanding", "Misunderstandings"),
        ("Unrequieted Love", "Unrequited Love"),
        ("Hurt/No Comfort", "Hurt No Comfort"),
    ],
)
def test_additional_tags_written_another_way(tag, target):
    assert named(suggest(tag, "freeform", FREEFORMS)) == [target]


@pytest.mark.parametrize(
    "tag",
    [
        "Lovers to Enemies",  # the opposite story
        "Major Character Death",  # one word apart, and a word of its own
        "Requited Love",
        "Not Canon Compliant",
        "Canon Non-Compliant",
        "Understanding",
        "Soulmate Marks AU",
        "Fluff without Angst",
    ],
)
def test_additional_tags_that_must_stay_apart(tag):
    assert suggest(tag, "freeform", FREEFORMS) == []


# -- the labelled sets ------------------------------------------------------------------


@pytest.fixture(scope="module")
def unseen() -> assistant_set.LabelledSet:
    return assistant_set.load()


def test_unseen_set_is_big_varied_and_split_by_fandom(unseen):
    pairs = unseen.pairs
    assert len(pairs) >= 400
    fandoms = {p.fandom for p in pairs if p.type in assistant_set.ENTITY_TYPES}
    assert len(fandoms) >= 20
    synonyms = sum(p.same for p in pairs) / len(pairs)
    assert 0.55 <= synonyms <= 0.7
    kinds = {
        "portmanteau", "alias", "fandom-title", "abbreviation", "and-ampersand",
        "fandom-suffix", "cooccurrence", "short-name", "typo", "folding", "order", "opposite",
    }  # fmt: skip
    for split in assistant_set.SPLITS:
        in_split = [p for p in pairs if p.split == split]
        assert kinds <= {p.kind for p in in_split if p.same} | {"opposite"}, split
        assert {"portmanteau", "alias", "fandom-title", "opposite", "fandom-suffix"} <= {
            p.kind for p in in_split if not p.same
        }, split
    split_of = defaultdict(set)
    tag_split = defaultdict(set)
    for p in pairs:
        split_of[p.fandom].add(p.split)
        tag_split[(p.fandom, p.type, p.tag)].add(p.split)
    assert all(len(split_of[f]) == 1 for f in fandoms), "a fandom in both parts"
    assert all(len(splits) == 1 for splits in tag_split.values()), "a tag in both parts"
    held = [f for f in fandoms if split_of[f] == {"heldout"}]
    assert 0.3 <= len(held) / len(fandoms) <= 0.45
    for p in pairs:
        targets = {c.name for c in unseen.pool(p.fandom, p.type)}
        assert p.target in targets and p.tag not in targets, p
        assert p.same or not p.means or p.means in targets, p


def report(split: str, measured: assistant_set.Measured, capsys: Any) -> None:
    figures = measured.overall
    with capsys.disabled():
        print(
            f"\nwrangling assistant, unseen set, {split}: {figures.pairs} pairs, "
            f"precision {figures.precision:.3f}, recall {figures.recall:.3f}"
        )


def test_precision_and_recall_on_the_development_part(unseen, capsys):
    measured = assistant_set.measure("dev", unseen)
    report("dev", measured, capsys)
    assert measured.overall.precision >= TARGET_PRECISION
    assert measured.overall.recall >= TARGET_RECALL


def test_precision_and_recall_on_the_held_out_part(unseen, capsys):
    measured = assistant_set.measure("heldout", unseen)
    report("held-out", measured, capsys)
    assert measured.overall.precision >= TARGET_PRECISION
    assert measured.overall.recall >= TARGET_RECALL


def load_old_set():
    canonicals: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    with (DATA / "wrangling_canonicals.csv").open(encoding="utf-8") as file:
        for number, row in enumerate(csv.DictReader(file), start=1):
            canonicals[(row["fandom"], row["type"])].append(
                Candidate(number, row["name"], row["type"])
            )
    with (DATA / "wrangling_pairs.csv").open(encoding="utf-8") as file:
        pairs = list(csv.DictReader(file))
    return canonicals, pairs


def test_the_projects_own_set_keeps_its_figures(capsys):
    canonicals, pairs = load_old_set()
    assert len(pairs) >= 300
    tp = fp = fn = 0
    for pair in pairs:
        # A tag that differs only in case would be that same tag: leave it out of the pool.
        pool = [
            c
            for c in canonicals[(pair["fandom"], pair["type"])]
            if c.name.casefold() != pair["tag"].casefold()
        ]
        context = Context(characters=canonicals[(pair["fandom"], "character")])
        found = named(suggest(pair["tag"], pair["type"], pool, context=context))
        hit = pair["target"] in found
        tp, fp, fn = (
            tp + (hit and pair["same"] == "1"),
            fp + (hit and pair["same"] == "0"),
            fn + (not hit and pair["same"] == "1"),
        )
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(
            f"\nwrangling assistant, the project's set: {len(pairs)} pairs, threshold "
            f"{DEFAULT_THRESHOLD}: precision {precision:.3f}, recall {recall:.3f}"
        )
    # 0.964 and 0.926 before the unseen set's rules.
    assert precision >= 0.964
    assert recall >= 0.96


# -- the archive's evidence, from the database -----------------------------------------


def wrangled_archive(admin: Any, fandom: str, canonicals: list[assistant_set.Canonical]) -> None:
    """Make the set's canonical tags (and their synonyms) canonical in the archive,
    linked to `fandom` when they are characters or relationships."""
    fandom_tag = None
    for c in sorted(canonicals, key=lambda c: c.type != "fandom"):
        (tag_,) = tags_find_or_create(tag_type=c.type, names=[c.name])
        tag_set_canonical(user=admin, tag=tag_, canonical=True)
        if c.type == "fandom" and c.name == fandom:
            fandom_tag = tag_
        if c.type in assistant_set.ENTITY_TYPES and fandom_tag is not None:
            tag_link_fandom(user=admin, tag=tag_, fandom=fandom_tag)
        for synonym in c.synonyms:
            (other,) = tags_find_or_create(tag_type=c.type, names=[synonym])
            tag_make_synonym(user=admin, tag=other, canonical=tag_)


@pytest.mark.django_db
def test_the_tag_page_suggests_the_pairing_a_ship_name_blends(client, admin):
    writer = make_user()
    for extra in ("Sam Winchester", "Bobby Singer"):
        make_work(
            writer,
            fandoms=["Supernatural (TV 2005)"],
            characters=["Castiel (Supernatural)", "Dean Winchester", extra],
            relationships=["Destiel"],
        )
    wrangled_archive(
        admin,
        "Supernatural (TV 2005)",
        [
            assistant_set.Canonical("", "", "fandom", "Supernatural (TV 2005)", ()),
            *(
                assistant_set.Canonical("", "Supernatural (TV 2005)", "character", name, ())
                for name in ("Castiel (Supernatural)", "Dean Winchester", "Sam Winchester")
            ),
            *(
                assistant_set.Canonical("", "Supernatural (TV 2005)", "relationship", name, ())
                for name in ("Castiel/Dean Winchester", "Dean Winchester & Sam Winchester")
            ),
        ],
    )
    destiel = Tag.objects.get(type=TagType.RELATIONSHIP, name="Destiel")
    client.force_login(admin)
    page = client.get(reverse("wrangling:tag_edit", args=[destiel.pk])).content.decode()
    assert "The assistant suggests" in page
    assert "Castiel/Dean Winchester" in page and "ship name" in page
    assert "Dean Winchester &amp; Sam Winchester" not in page.split("The assistant suggests")[1]


@pytest.mark.django_db
def test_the_archive_gives_the_assistant_what_the_set_measures(unseen, admin):
    """One fandom of the set, posted and wrangled through the services: the selector reads
    from the database the evidence the measurement hands the assistant, so both suggest
    the same for every tag of the fandom, and for the set's fandom and additional tags."""
    fandom = "Avatar: The Last Airbender"
    writer = make_user()
    for work in unseen.works:
        if ("fandom", fandom) in work:
            names = defaultdict(list)
            for tag_type, name in sorted(work):
                names[tag_type].append(name)
            make_work(
                writer,
                fandoms=names["fandom"],
                characters=names["character"],
                relationships=names["relationship"],
                freeforms=[],
            )
    wrangled_archive(
        admin,
        fandom,
        [c for c in unseen.canonicals if c.fandom == fandom or c.type == "freeform"],
    )
    evidence = assistant_set.Evidence(unseen, fandom=fandom)
    checked, suggested, by_works = 0, 0, 0
    one_by_one: dict[int, list[str]] = {}
    for pair in unseen.pairs:
        if pair.fandom != fandom and pair.type in assistant_set.ENTITY_TYPES:
            continue
        if pair.type == "fandom":
            continue  # the other fandoms are not in this archive
        (tag_,) = tags_find_or_create(tag_type=pair.type, names=[pair.tag])
        context = assistant_set.context_for(unseen, evidence, pair)
        measured = named(
            suggest(pair.tag, pair.type, unseen.pool(pair.fandom, pair.type), context=context)
        )
        found = suggestions_for_tag(tag_)
        assert [s.target.name for s in found] == measured, pair
        checked += 1
        suggested += bool(found)
        by_works += any("works" in s.reason for s in found)
        one_by_one[tag_.pk] = [s.target.name for s in found]
    assert checked > 100 and suggested > 60 and by_works >= 3, (checked, suggested, by_works)
    # A queue page asks for many tags at once, sharing what it reads: the same answers.
    batched = suggestions_for_tags(Tag.objects.filter(pk__in=one_by_one))
    assert {pk: [s.target.name for s in found] for pk, found in batched.items()} == one_by_one


@pytest.mark.django_db
def test_a_page_of_additional_tags_reads_the_canonical_ones_once(admin):
    """The pool of canonical additional tags (up to 20,000) is read once per queue page,
    not once per tag: each further tag costs only its own few queries."""
    canonical = tags_find_or_create(
        tag_type=TagType.FREEFORM, names=[f"Harbour Story {n}" for n in range(30)]
    )
    for tag_ in canonical:
        tag_set_canonical(user=admin, tag=tag_, canonical=True)
    unwrangled = tags_find_or_create(
        tag_type=TagType.FREEFORM, names=[f"harbour storie {n}" for n in range(8)]
    )

    def queries(tags: list[Tag]) -> int:
        with CaptureQueriesContext(connection) as captured:
            suggestions_for_tags(tags)
        return len(captured)

    two, eight = queries(unwrangled[:2]), queries(unwrangled)
    per_tag = (eight - two) / 6
    assert per_tag <= 4, (two, eight)
    (found,) = suggestions_for_tags(unwrangled[:1]).values()
    assert [s.target.name for s in found] == ["Harbour Story 0"]


@pytest.mark.django_db
def test_suggestions_for_an_archive_tag(user):
    make_work(user, fandoms=["Harbour Tales"], characters=["Mira Vale", "Tomas Reyes"])
    make_work(user, fandoms=["Harbour Tales"], characters=["Mira"])
    admin_user = user
    admin_user.is_staff = True
    fandom = Tag.objects.get(type=TagType.FANDOM, name="Harbour Tales")
    tag_set_canonical(user=admin_user, tag=fandom, canonical=True)
    for name in ("Mira Vale", "Tomas Reyes"):
        canonical = Tag.objects.get(type=TagType.CHARACTER, name=name)
        tag_set_canonical(user=admin_user, tag=canonical, canonical=True)
        tag_link_fandom(user=admin_user, tag=canonical, fandom=fandom)
    mira = Tag.objects.get(type=TagType.CHARACTER, name="Mira")
    (suggestion,) = suggestions_for_tag(mira)
    assert suggestion.target.name == "Mira Vale"
    suggestion_reject(user=admin_user, tag=mira, target=suggestion.target)
    assert suggestions_for_tag(mira) == []
