"""The wrangling assistant: its pure rules, and its precision and recall on a labelled set."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from fanarchive.core.testing import make_work
from fanarchive.tags.models import Tag, TagType
from fanarchive.wrangling.assistant import (
    DEFAULT_THRESHOLD,
    Candidate,
    Context,
    damerau_levenshtein,
    fold,
    parse_relationship,
    resolve_character,
    suggest,
)
from fanarchive.wrangling.services import tag_link_fandom, tag_set_canonical
from fanarchive.wrangling.suggestion_selectors import suggestions_for_tag
from fanarchive.wrangling.wrangler_services import suggestion_reject

DATA = Path(__file__).parent / "data"


def test_folding():
    assert fold("Élodie  Marchand!") == fold("elodie-marchand") == "elodiemarchand"
    assert fold("Fennick O'Dell") == fold("Fennick ODell")


def test_relationships_parse_order_and_separators():
    romantic = parse_relationship("Mira Vale/Tomas Reyes")
    assert romantic == parse_relationship("Tomas Reyes x Mira Vale")
    assert romantic == parse_relationship("tomas reyes / MIRA VALE")
    platonic = parse_relationship("Mira Vale & Tomas Reyes")
    assert platonic is not None and platonic.platonic and platonic != romantic
    assert parse_relationship("Mira Vale") is None
    assert parse_relationship("Mira/Tomas & Ilsa") is None


def test_short_names_need_exactly_one_match():
    names = ["mira vale", "ana sorel", "ana quill", "ilsa varn"]
    assert resolve_character("Mira", names) == "mira vale"
    assert resolve_character("Captain Varn", names) == "ilsa varn"
    assert resolve_character("Ana", names) is None


def test_damerau_levenshtein_counts_a_swap_once():
    assert damerau_levenshtein("vale", "vael") == 1
    assert damerau_levenshtein("kitten", "sitting") == 3


def test_suggestions_with_reasons_and_rejections():
    pool = [
        Candidate(1, "Mira Vale", "character"),
        Candidate(2, "Tomas Reyes", "character"),
        Candidate(3, "Mira Vale/Tomas Reyes", "relationship"),
    ]
    context = Context(characters=pool[:2])
    (best,) = suggest("Tomas/Mira", "relationship", pool, context=context)
    assert best.target.id == 3 and "first name" in best.reason
    (best,) = suggest("Tomas Reyes x Mira Vale", "relationship", pool, context=context)
    assert "order" in best.reason
    assert suggest("Mira & Tomas", "relationship", pool, context=context) == []
    assert suggest("Mira", "character", pool, context=Context(rejected=frozenset({1}))) == []


def test_cooccurrence_is_evidence():
    pool = [Candidate(1, "Kestrel Dawn", "character"), Candidate(2, "Oren Blackwood", "character")]
    profile = {10: 5.0, 11: 3.0, 12: 1.0}
    context = Context(tag_profile=profile, profiles={1: {10: 10.0, 11: 6.0, 12: 2.0}, 2: {13: 4.0}})
    (best,) = suggest("The Windrider", "character", pool, context=context)
    assert best.target.id == 1 and "same tags" in best.reason


def load_labelled_set():
    canonicals: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
    with (DATA / "wrangling_canonicals.csv").open(encoding="utf-8") as file:
        for number, row in enumerate(csv.DictReader(file), start=1):
            canonicals[(row["fandom"], row["type"])].append(
                Candidate(number, row["name"], row["type"])
            )
    with (DATA / "wrangling_pairs.csv").open(encoding="utf-8") as file:
        pairs = list(csv.DictReader(file))
    return canonicals, pairs


def measure(threshold: float = DEFAULT_THRESHOLD) -> dict[str, float]:
    """Precision and recall of "the assistant suggests this target for this tag"."""
    canonicals, pairs = load_labelled_set()
    tp = fp = fn = 0
    for pair in pairs:
        # A tag that differs only in case would be that same tag: leave it out of the pool.
        pool = [
            c
            for c in canonicals[(pair["fandom"], pair["type"])]
            if c.name.casefold() != pair["tag"].casefold()
        ]
        context = Context(characters=canonicals[(pair["fandom"], "character")])
        suggested = {
            s.target.name
            for s in suggest(pair["tag"], pair["type"], pool, context=context, threshold=threshold)
        }
        hit = pair["target"] in suggested
        if pair["same"] == "1":
            tp, fn = tp + hit, fn + (not hit)
        else:
            fp += hit
    return {
        "pairs": len(pairs),
        "true_pairs": tp + fn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }


def test_labelled_set_is_big_and_balanced():
    canonicals, pairs = load_labelled_set()
    assert len(pairs) >= 300
    labels = [pair["same"] for pair in pairs]
    assert labels.count("1") >= 100 and labels.count("0") >= 100
    for pair in pairs:
        names = {c.name for c in canonicals[(pair["fandom"], pair["type"])]}
        assert pair["target"] in names, pair


def test_precision_at_the_default_threshold(capsys):
    figures = measure()
    with capsys.disabled():
        print(
            f"\nwrangling assistant on {figures['pairs']:.0f} labelled pairs "
            f"({figures['true_pairs']:.0f} true joins), threshold {DEFAULT_THRESHOLD}: "
            f"precision {figures['precision']:.3f}, recall {figures['recall']:.3f}"
        )
    assert figures["precision"] >= 0.9
    assert figures["recall"] >= 0.8


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
