"""A filter's tags: names looked up at once, synonyms filtering as their canonical tags."""

import pytest

from fanarchive.core.testing import make_user
from fanarchive.tags.filtering import MAX_TAGS, filter_tags
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create_many
from fanarchive.wrangling.services import tag_make_synonym, tag_set_canonical

pytestmark = pytest.mark.django_db


def tags(names, tag_type=TagType.CHARACTER):
    return tags_find_or_create_many(names_by_type={tag_type: names})[tag_type]


def test_names_of_any_number_are_looked_up_in_one_query(django_assert_max_num_queries):
    made = tags([f"Keeper {n}" for n in range(30)])
    text = ", ".join(f"keeper {n}" for n in range(30))
    with django_assert_max_num_queries(3):
        meaning = filter_tags(named={"character_names": (TagType.CHARACTER, text)})
    assert not meaning.errors
    assert sorted(meaning.include) == sorted(t.pk for t in made)


def test_a_synonym_filters_as_its_canonical_and_excludes_too():
    admin = make_user("wrangler_admin", is_staff=True)
    canonical, synonym = tags(["Mira Vale", "Mira"])
    tag_set_canonical(user=admin, tag=canonical, canonical=True)
    tag_make_synonym(user=admin, tag=synonym, canonical=canonical)
    meaning = filter_tags(
        named={"character_names": (TagType.CHARACTER, "mira"), "exclude_names": (None, "MIRA")},
        excluding={"exclude_names"},
    )
    assert meaning.include == [canonical.pk] and meaning.exclude == [canonical.pk]
    assert filter_tags(include=[synonym.pk]).include == [canonical.pk]


def test_unknown_names_ids_and_too_many_tags_are_explained():
    meaning = filter_tags(
        named={"fandom_names": (TagType.FANDOM, "Nowhere Tales")}, include=[999999]
    )
    assert meaning.errors["fandom_names"] == ['There is no fandom called "Nowhere Tales".']
    assert "999999" in meaning.errors[None][0]
    many = filter_tags(include=range(1, MAX_TAGS + 2))
    assert many.errors[None] == [f"A filter can use at most {MAX_TAGS} tags."]
    character = tags(["Ines Rook"])[0]
    assert filter_tags(ratings=[character.pk]).errors[None] == [
        "Only ratings can be chosen as ratings."
    ]


def test_a_name_of_the_wrong_type_is_not_found():
    tags(["Harbour Tales"], TagType.FANDOM)
    meaning = filter_tags(named={"character_names": (TagType.CHARACTER, "Harbour Tales")})
    assert meaning.errors and not meaning.include
    assert Tag.objects.filter(name="Harbour Tales").count() == 1
