"""The advice analyser, rule by rule, on a made-up test language (tests/data/languages/zz,
whose invented words stand for the real lists' terms), and the English lists on passages
of the labelled set."""

from __future__ import annotations

from pathlib import Path

import pytest

from fanarchive.core.advice import ArchiveWarning, Rating, analyse
from fanarchive.core.advice.analyse import CLUSTER_GAP
from fanarchive.core.advice.tests import quality
from fanarchive.core.advice.vocabulary import (
    DATA_ROOT,
    VocabularyError,
    language_folder,
    vocabulary_for,
)
from fanarchive.tags import fixed

LANGUAGES = Path(__file__).parent / "data" / "languages"
PASSAGES = {p.id: p for p in quality.load()}


def zz(*chapters: str):
    return analyse(list(chapters), language="zz", root=LANGUAGES)


def filler(words: int) -> str:
    return " ".join(["plain"] * words)


def test_names_are_the_fixed_tags():
    assert [r.value for r in Rating] == [fixed.GENERAL, fixed.TEEN, fixed.MATURE, fixed.EXPLICIT]
    assert {w.value for w in ArchiveWarning} == {
        fixed.VIOLENCE,
        fixed.CHARACTER_DEATH,
        fixed.NON_CON,
        fixed.UNDERAGE,
    }


def test_nothing_found_reads_as_general():
    advice = zz("A quiet walk by the sea.")
    assert advice.rating is Rating.GENERAL
    assert advice.warnings == ()
    assert advice.findings == ()
    assert not advice.more_mature_than(fixed.GENERAL)


def test_two_distinct_terms_raise_a_signal_and_name_the_chapter():
    advice = zz("Nothing here.", "<p>They zorp.</p><p>Then <em>blick</em>.</p>")
    assert advice.rating is Rating.EXPLICIT
    assert advice.reasons_for_rating() == ["explicit sexual content in chapter 2"]
    assert advice.more_mature_than(fixed.MATURE)
    assert not advice.more_mature_than(fixed.EXPLICIT)
    # Not Rated promises nothing, so it is never "less mature" than the text.
    assert not advice.more_mature_than(fixed.NOT_RATED)
    assert 0 < advice.findings[0].confidence < 1


def test_one_term_alone_is_not_enough():
    assert zz("They zorp. They zorp again.").rating is Rating.GENERAL


def test_phrases_match_across_markup_and_case():
    assert zz("<p>Zorp, then QUORN <b>tik</b>.</p>").rating is Rating.EXPLICIT


def test_an_everyday_word_needs_company():
    assert zz("They frob and frob.").rating is Rating.GENERAL
    assert zz("They frob, then zorp.").rating is Rating.EXPLICIT


def test_negation_cancels_a_term():
    assert zz("There was nae zorp, and blick.").rating is Rating.GENERAL
    assert zz("Nae trouble. Zorp and blick.").rating is Rating.EXPLICIT  # another sentence


def test_clinical_sentences_do_not_count():
    assert zz("The medicus named zorp and blick.").rating is Rating.GENERAL
    assert zz("The medicus left. Zorp and blick.").rating is Rating.EXPLICIT


def test_terms_far_apart_are_no_cluster():
    apart = f"Zorp. {filler(CLUSTER_GAP + 10)} Blick."
    assert zz(apart).rating is Rating.GENERAL


def test_density_asks_one_term_more_in_a_long_chapter():
    sparse = f"Zorp and blick. {filler(5_000)}"
    assert zz(sparse).rating is Rating.GENERAL
    assert zz(f"Zorp and blick and zorp. {filler(5_000)}").rating is Rating.EXPLICIT
    dense = zz("Zorp and blick.").findings[0]
    assert dense.density > 100


def test_warnings_and_decisive_terms():
    advice = zz("A gash, a splat.", "It was forcebind.")
    assert advice.warnings == (ArchiveWarning.VIOLENCE, ArchiveWarning.NON_CON)
    assert advice.rating is Rating.MATURE
    assert advice.reasons_for_warning(ArchiveWarning.VIOLENCE) == ["graphic violence in chapter 1"]
    assert advice.reasons_for_warning(ArchiveWarning.NON_CON) == ["non-consensual sex in chapter 2"]


def test_an_age_only_warns_beside_sexual_terms():
    assert ArchiveWarning.UNDERAGE not in zz("The younglet ran home.").warnings
    assert ArchiveWarning.UNDERAGE in zz("The younglet; zorp and blick.").warnings
    far = f"The younglet ran home. {filler(80)} Zorp and blick."
    assert ArchiveWarning.UNDERAGE not in zz(far).warnings


def test_a_language_folder_is_chosen_by_the_work_language(tmp_path):
    assert language_folder("zz", LANGUAGES).name == "zz"
    assert language_folder("zz-Latn", LANGUAGES).name == "zz"  # its base language
    assert language_folder("fr", DATA_ROOT).name == "en"  # English by default
    assert vocabulary_for("zz", LANGUAGES).words["zorp"][0].signal == "explicit"
    # The English lists know nothing of the made-up words.
    assert analyse(["Zorp and blick."], language="zz").rating is Rating.GENERAL
    with pytest.raises(VocabularyError):
        language_folder("zz", tmp_path)


def test_a_misnamed_list_is_refused(tmp_path):
    (tmp_path / "qq").mkdir()
    (tmp_path / "qq" / "explicitt.txt").write_text("zorp\n", encoding="utf-8")
    with pytest.raises(VocabularyError, match="explicitt"):
        vocabulary_for("qq", tmp_path)


@pytest.mark.parametrize(
    ("passage", "rating", "warnings"),
    [
        ("d108", Rating.EXPLICIT, ()),
        ("d080", Rating.MATURE, ()),
        ("d053", Rating.TEEN, ()),
        ("d052", Rating.TEEN, ()),  # swearing is not negated by "don't"
        ("d092", Rating.MATURE, (ArchiveWarning.VIOLENCE,)),
        ("d068", Rating.TEEN, (ArchiveWarning.CHARACTER_DEATH,)),
        ("d101", Rating.MATURE, (ArchiveWarning.NON_CON,)),
        ("d137", Rating.MATURE, (ArchiveWarning.NON_CON, ArchiveWarning.UNDERAGE)),
        # Hard negatives: everyday words, negations, lessons, a doctor's questions.
        ("d001", Rating.GENERAL, ()),
        ("d008", Rating.GENERAL, ()),
        ("d010", Rating.GENERAL, ()),
        ("d012", Rating.GENERAL, ()),
        ("d011", Rating.GENERAL, ()),
        ("d150", Rating.GENERAL, ()),
    ],
)
def test_english_lists_on_labelled_passages(passage, rating, warnings):
    advice = analyse([PASSAGES[passage].text])
    assert advice.rating is rating
    assert advice.warnings == warnings
