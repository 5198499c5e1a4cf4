"""Imports go through the posting services, which remove control characters: a file's
title, summary, tags and series come in clean (YAML escapes can spell any character)."""

from __future__ import annotations

import pytest

from fanarchive.accounts.models import User
from fanarchive.core.testing import run_data_migration
from fanarchive.formats.import_services import IMPORTED, ImportOptions, work_import
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.models import ImportRecord
from fanarchive.works.models import Series, Work

pytestmark = pytest.mark.django_db

STORY = """---
title: "Sea\\x01 Song\\nof\\u2028Home\\x7f"
summary: "Mira\\x02 waits.\\x0cAll night."
fandom: "Harbour\\x03 Tales"
tags: ["Found\\x1b\\tFamily"]
series: "Part 1 of Tides\\x04 of\\tHome"
---

The lantern\\x05 swung above the harbour as Mira counted the boats coming home.
"""


def _import(user: User, name: str, text: str) -> Work:
    outcome = work_import(
        user=user, source=Source(name, text.encode()), options=ImportOptions(post=True)
    )
    assert outcome.status == IMPORTED and outcome.work_id is not None, outcome.reason
    return Work.objects.get(pk=outcome.work_id)


def test_an_imported_text_file_is_stored_clean(user: User) -> None:
    work = _import(user, "sea\x06song.txt", STORY)
    assert work.title == "Sea Song of Home"
    assert "Mira waits." in work.summary and "All night." in work.summary
    assert "\x02" not in work.summary and "\x0c" not in work.summary
    assert [tag.name for tag in work.tags_of("fandom")] == ["Harbour Tales"]
    assert [tag.name for tag in work.tags_of("freeform")] == ["Found Family"]
    assert [entry.series.title for entry in work.series_works.all()] == ["Tides of Home"]
    assert ImportRecord.objects.get(work=work).source_name == "seasong.txt"
    # A second part finds the series made from the same (cleaned) title.
    second = _import(user, "second.txt", STORY.replace("Part 1", "Part 2").replace("Sea", "Sky"))
    assert [entry.series for entry in second.series_works.all()] == [Series.objects.get()]


def test_the_migration_cleans_stored_import_names(user: User) -> None:
    work = _import(user, "plain.txt", STORY)
    ImportRecord.objects.filter(work=work).update(source_name="pl\x01ain.txt")
    run_data_migration(app_label="formats", name="0004_strip_control_characters")
    assert ImportRecord.objects.get(work=work).source_name == "plain.txt"
