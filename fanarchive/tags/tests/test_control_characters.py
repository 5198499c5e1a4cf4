"""Tag names are cleaned of control characters where the tag services take names in, and
the migration cleans stored ones (a name taken by the cleaning gets the tag's id)."""

from __future__ import annotations

import pytest

from fanarchive.core.testing import run_data_migration
from fanarchive.tags.models import Tag, TagType, WranglingLog, fold_name
from fanarchive.tags.services import tags_find_or_create
from fanarchive.wrangling.services import tag_rename

pytestmark = pytest.mark.django_db


def test_typed_names_are_cleaned_and_find_the_clean_tag():
    (sea,) = tags_find_or_create(tag_type=TagType.FREEFORM, names=["Sea\x01\nSong\x7f"])
    assert (sea.name, sea.name_folded) == ("Sea Song", "sea song")
    again = tags_find_or_create(tag_type=TagType.FREEFORM, names=["sea\tsong", "Sea \x02Song"])
    assert again == [sea]


def test_renaming_cleans_the_name(admin):
    (tag,) = tags_find_or_create(tag_type=TagType.CHARACTER, names=["Mira"])
    tag_rename(user=admin, tag=tag, name="Mira\x1b\u2028Vale")
    tag.refresh_from_db()
    assert (tag.name, tag.name_folded) == ("Mira Vale", "mira vale")
    assert WranglingLog.objects.get().tag_name == "Mira Vale"


def test_the_migration_cleans_stored_names_and_keeps_them_unique():
    sea, stored, empty, clash = tags_find_or_create(
        tag_type=TagType.FREEFORM, names=["Sea Song", "Storm Song", "Lost", "Clash"]
    )
    # Rows written before the tag services cleaned names.
    Tag.objects.filter(pk=stored.pk).update(name="Storm\x01 \x02Song\x7f")
    Tag.objects.filter(pk=empty.pk).update(name="\x03", name_folded="")
    Tag.objects.filter(pk=clash.pk).update(name="SEA\nSONG\x05")

    run_data_migration(app_label="tags", name="0005_strip_control_characters")

    names = dict(Tag.objects.filter(type=TagType.FREEFORM).values_list("pk", "name"))
    assert names[sea.pk] == "Sea Song"
    assert names[stored.pk] == "Storm Song"
    assert names[empty.pk] == str(empty.pk)
    assert names[clash.pk] == f"SEA SONG {clash.pk}"
    for tag in Tag.objects.filter(pk__in=[stored.pk, clash.pk]):
        assert tag.name_folded == fold_name(tag.name)
