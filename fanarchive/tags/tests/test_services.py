"""Wrangling services: filter results after each operation, from the index and the database."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.core.testing import make_user, make_work
from fanarchive.tags.fixed import GENERAL
from fanarchive.tags.models import (
    FandomLink,
    MetaTagLink,
    SuggestionDecision,
    Tag,
    TagType,
    WranglingAction,
    WranglingLog,
)
from fanarchive.tags.selectors import can_wrangle, implied_tag_ids
from fanarchive.tags.services import tags_find_or_create
from fanarchive.tags.tests.conftest import found, tag
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.tag_count_services import tags_recount
from fanarchive.wrangling.services import (
    tag_add_metatag,
    tag_link_fandom,
    tag_make_synonym,
    tag_merge,
    tag_remove_metatag,
    tag_remove_synonym,
    tag_rename,
    tag_set_canonical,
    tag_set_unwrangleable,
)
from fanarchive.wrangling.wrangler_services import (
    suggestion_accept,
    suggestion_reject,
    tags_mass_wrangle,
    wrangler_remove,
    wrangler_set,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(user):
    """Three works: "Mira Vale", its variant "mira  vale!" and the short "Mira"."""
    return {
        "full": make_work(user, characters=["Mira Vale"]),
        "variant": make_work(user, characters=["Mira-Vale"]),
        "short": make_work(user, characters=["Mira"]),
        "other": make_work(user, characters=["Tomas Reyes"]),
    }


def changes_since(mark: int) -> set[int]:
    return set(CatalogueChange.objects.filter(id__gt=mark).values_list("work_id", flat=True))


def last_change() -> int:
    return CatalogueChange.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_synonym_and_unsynonym_change_filter_results_at_once(admin, works):
    mira = tag("Mira Vale")
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    assert found(mira) == {works["full"].pk}
    mark = last_change()
    tag_make_synonym(user=admin, tag=tag("Mira-Vale"), canonical=mira)
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=mira)
    assert changes_since(mark) == {works["variant"].pk, works["short"].pk}
    assert found(mira) == {works["full"].pk, works["variant"].pk, works["short"].pk}
    # A filter naming a synonym filters by its canonical, as AO3 redirects to it.
    assert tag("Mira").filter_tag == mira

    tag_remove_synonym(user=admin, tag=tag("Mira"))
    assert found(mira) == {works["full"].pk, works["variant"].pk}
    assert found(tag("Mira")) == {works["short"].pk}
    assert tag("Mira").filter_tag == tag("Mira")


def test_metatags_are_transitive_and_removable(admin, user):
    family = make_work(user, freeforms=["Found Family"])
    chosen = make_work(user, freeforms=["Found Family (Chosen)"])
    ship = make_work(user, freeforms=["Ship Crew as Family"])
    family_tag, chosen_tag, ship_tag = (
        tag(n, TagType.FREEFORM)
        for n in ("Found Family", "Found Family (Chosen)", "Ship Crew as Family")
    )
    synonym = make_work(user, freeforms=["ship crew family"])
    for one in (family_tag, chosen_tag, ship_tag):
        tag_set_canonical(user=admin, tag=one, canonical=True)
    tag_make_synonym(user=admin, tag=tag("ship crew family", TagType.FREEFORM), canonical=ship_tag)
    tag_add_metatag(user=admin, tag=chosen_tag, metatag=family_tag)
    tag_add_metatag(user=admin, tag=ship_tag, metatag=chosen_tag)
    assert found(family_tag) == {family.pk, chosen.pk, ship.pk, synonym.pk}
    assert found(chosen_tag) == {chosen.pk, ship.pk, synonym.pk}
    assert implied_tag_ids([tag("ship crew family", TagType.FREEFORM).pk])[
        tag("ship crew family", TagType.FREEFORM).pk
    ] == {tag("ship crew family", TagType.FREEFORM).pk, ship_tag.pk, chosen_tag.pk, family_tag.pk}

    tag_remove_metatag(user=admin, tag=ship_tag, metatag=chosen_tag)
    assert found(family_tag) == {family.pk, chosen.pk}
    assert found(ship_tag) == {ship.pk, synonym.pk}


def test_cycles_are_refused(admin, user):
    make_work(user, freeforms=["Angst", "Hurt/Comfort", "Whump"])
    angst, hurt, whump = (tag(n, TagType.FREEFORM) for n in ("Angst", "Hurt/Comfort", "Whump"))
    for one in (angst, hurt, whump):
        tag_set_canonical(user=admin, tag=one, canonical=True)
    tag_add_metatag(user=admin, tag=hurt, metatag=angst)
    tag_add_metatag(user=admin, tag=whump, metatag=hurt)
    with pytest.raises(ValidationError) as error:
        tag_add_metatag(user=admin, tag=angst, metatag=whump)
    assert "cycle" in error.value.message_dict["metatag"][0]
    with pytest.raises(ValidationError):
        tag_add_metatag(user=admin, tag=angst, metatag=angst)
    assert MetaTagLink.objects.count() == 2


def test_merge_moves_synonyms_and_relations(admin, user):
    old = make_work(user, characters=["Captain Ilsa"])
    variant = make_work(user, characters=["Capt. Ilsa"])
    new = make_work(user, characters=["Ilsa Varn"])
    crew_work = make_work(user, characters=["Harbour Crew"])
    captain, capt, ilsa, crew = (
        tag(n) for n in ("Captain Ilsa", "Capt. Ilsa", "Ilsa Varn", "Harbour Crew")
    )
    for one in (captain, ilsa, crew):
        tag_set_canonical(user=admin, tag=one, canonical=True)
    tag_make_synonym(user=admin, tag=capt, canonical=captain)
    tag_add_metatag(user=admin, tag=captain, metatag=crew)
    fandom = tag("Harbour Tales", TagType.FANDOM)
    tag_set_canonical(user=admin, tag=fandom, canonical=True)
    tag_link_fandom(user=admin, tag=captain, fandom=fandom)
    assert found(crew) == {old.pk, variant.pk, crew_work.pk}

    mark = last_change()
    tag_merge(user=admin, tag=captain, into=ilsa)
    captain.refresh_from_db()
    capt.refresh_from_db()
    assert not captain.canonical and captain.synonym_of == ilsa
    assert capt.synonym_of == ilsa
    assert MetaTagLink.objects.filter(sub=ilsa, meta=crew).exists()
    assert FandomLink.objects.filter(tag=ilsa, fandom=fandom).exists()
    # Ilsa Varn gained the metatag, so its own work is filed anew too.
    assert changes_since(mark) == {old.pk, variant.pk, new.pk}
    assert found(ilsa) == {old.pk, variant.pk, new.pk}
    assert found(crew) == {old.pk, variant.pk, new.pk, crew_work.pk}
    entry = WranglingLog.objects.get(action=WranglingAction.MERGE)
    assert entry.user == admin and entry.tag == captain and entry.target == ilsa
    assert entry.details["synonyms"] == ["Capt. Ilsa"]


def test_rename_keeps_filter_results_and_refuses_clashes(admin, works):
    mira = tag("Mira Vale")
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    tag_make_synonym(user=admin, tag=tag("Mira"), canonical=mira)
    before = found(mira)
    tag_rename(user=admin, tag=mira, name="Mira Valé")
    mira.refresh_from_db()
    assert mira.name == "Mira Valé" and mira.name_folded == "mira vale"
    assert found(mira) == before
    # Blurbs keep what the writer typed.
    assert [t.name for t in works["short"].tags.filter(type=TagType.CHARACTER)] == ["Mira"]
    with pytest.raises(ValidationError) as error:
        tag_rename(user=admin, tag=mira, name="tomas reyes")
    assert "already" in error.value.message_dict["name"][0]
    with pytest.raises(ValidationError):
        tag_rename(user=admin, tag=mira, name="Mira, Vale")
    tag_rename(user=admin, tag=mira, name="MIRA VALÉ")  # case only: allowed
    assert WranglingLog.objects.filter(action=WranglingAction.RENAME).count() == 2


def test_synonym_rules(admin, user):
    make_work(user, characters=["Mira Vale", "Mira", "Tomas Reyes"], fandoms=["Harbour Tales"])
    mira, short, tomas = tag("Mira Vale"), tag("Mira"), tag("Tomas Reyes")
    with pytest.raises(ValidationError, match="not canonical"):
        tag_make_synonym(user=admin, tag=short, canonical=mira)
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    tag_set_canonical(user=admin, tag=tomas, canonical=True)
    with pytest.raises(ValidationError, match="same type"):
        tag_make_synonym(user=admin, tag=tag("Harbour Tales", TagType.FANDOM), canonical=mira)
    with pytest.raises(ValidationError, match="merge"):
        tag_make_synonym(user=admin, tag=tomas, canonical=mira)
    tag_make_synonym(user=admin, tag=short, canonical=mira)
    with pytest.raises(ValidationError):
        tag_set_canonical(user=admin, tag=short, canonical=True)
    with pytest.raises(ValidationError, match="synonyms"):
        tag_set_canonical(user=admin, tag=mira, canonical=False)


def test_only_wranglers_and_admins_wrangle(user, wrangler, admin):
    make_work(user, characters=["Mira Vale", "Mira"], fandoms=["Harbour Tales"])
    make_work(user, characters=["Kestrel Dawn"], fandoms=["Skyward Lanterns"])
    harbour, skyward = tag("Harbour Tales", TagType.FANDOM), tag("Skyward Lanterns", TagType.FANDOM)
    mira, kestrel = tag("Mira Vale"), tag("Kestrel Dawn")
    with pytest.raises(PermissionDenied):
        tag_set_canonical(user=user, tag=mira, canonical=True)
    # Unclaimed tags: any wrangler.
    tag_set_canonical(user=wrangler, tag=mira, canonical=True)
    tag_set_canonical(user=admin, tag=harbour, canonical=True)
    tag_set_canonical(user=admin, tag=skyward, canonical=True)
    tag_set_canonical(user=admin, tag=kestrel, canonical=True)
    tag_link_fandom(user=admin, tag=kestrel, fandom=skyward)
    tag_link_fandom(user=admin, tag=mira, fandom=harbour)
    wrangler_set(user=admin, wrangler=wrangler, fandoms=[harbour])
    assert can_wrangle(wrangler, mira) and not can_wrangle(wrangler, kestrel)
    with pytest.raises(PermissionDenied):
        tag_rename(user=wrangler, tag=kestrel, name="Kes")
    tag_make_synonym(user=wrangler, tag=tag("Mira"), canonical=mira)
    with pytest.raises(PermissionDenied):
        wrangler_set(user=wrangler, wrangler=user)
    with pytest.raises(PermissionDenied):
        tag_set_canonical(user=admin, tag=tag(GENERAL, TagType.RATING), canonical=False)
    wrangler_remove(user=admin, wrangler=wrangler)
    with pytest.raises(PermissionDenied):
        tag_rename(user=wrangler, tag=mira, name="Mira V.")


def test_mass_wrangling_is_all_or_nothing(admin, user):
    work = make_work(user, characters=["Mira", "Mira-Vale", "Mira Vale", "Tomas Reyes"])
    mira = tag("Mira Vale")
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    tag_set_canonical(user=admin, tag=tag("Tomas Reyes"), canonical=True)
    with pytest.raises(ValidationError):
        tags_mass_wrangle(
            user=admin,
            tags=[tag("Mira"), tag("Tomas Reyes")],
            action="synonym",
            target=mira,
        )
    assert tag("Mira").synonym_of is None
    assert (
        tags_mass_wrangle(
            user=admin, tags=[tag("Mira"), tag("Mira-Vale")], action="synonym", target=mira
        )
        == 2
    )
    assert set(mira.synonyms.values_list("name", flat=True)) == {"Mira", "Mira-Vale"}
    fandom = tag("Harbour Tales", TagType.FANDOM)
    tag_set_canonical(user=admin, tag=fandom, canonical=True)
    tags_mass_wrangle(user=admin, tags=[mira, tag("Tomas Reyes")], action="fandom", target=fandom)
    assert FandomLink.objects.filter(fandom=fandom).count() == 2
    assert found(mira) == {work.pk}


def test_unwrangleable_only_for_freeforms(admin, user):
    make_work(user, freeforms=["I don't know how to tag"])
    odd = tag("I don't know how to tag", TagType.FREEFORM)
    tag_set_unwrangleable(user=admin, tag=odd, unwrangleable=True)
    assert Tag.objects.unwrangled().filter(pk=odd.pk).count() == 0
    with pytest.raises(ValidationError):
        tag_set_unwrangleable(user=admin, tag=tag("Mira Vale"), unwrangleable=True)


def test_suggestions_accepted_and_rejected(admin, user):
    work = make_work(user, characters=["Mira Vale", "Mira V"])
    mira = tag("Mira Vale")
    tag_set_canonical(user=admin, tag=mira, canonical=True)
    suggestion_reject(user=admin, tag=tag("Mira V"), target=mira)
    assert SuggestionDecision.objects.get().accepted is False
    suggestion_accept(user=admin, tag=tag("Mira V"), target=mira)
    assert SuggestionDecision.objects.get().accepted is True
    assert tag("Mira V").synonym_of == mira
    assert found(mira) == {work.pk}


def test_new_tags_are_folded_and_counted(user):
    make_work(user, characters=["Élodie  Marchand"])
    make_work(user, characters=["élodie marchand"], restricted=True)
    (elodie,) = tags_find_or_create(tag_type=TagType.CHARACTER, names=["ÉLODIE MARCHAND"])
    assert elodie.name == "Élodie Marchand" and elodie.name_folded == "elodie marchand"
    tags_recount()
    elodie.refresh_from_db()
    assert elodie.use_count == 1  # restricted works are not counted


def test_every_wrangling_change_is_logged(admin, user):
    make_work(user, characters=["Mira"])
    other = make_user("second_admin", is_staff=True)
    mira = tag("Mira")
    tag_set_canonical(user=other, tag=mira, canonical=True)
    tag_rename(user=admin, tag=mira, name="Mira Vale")
    entries = list(WranglingLog.objects.order_by("id"))
    assert [(e.user, e.action, e.tag_name) for e in entries] == [
        (other, WranglingAction.CANONICAL, "Mira"),
        (admin, WranglingAction.RENAME, "Mira Vale"),
    ]
    assert entries[1].details == {"previous": "Mira"}
