"""Post -> export (EPUB, HTML, text) -> import gives back the same work."""

from __future__ import annotations

import pytest

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.formats.exporters import FORMATS
from fanarchive.formats.import_services import IMPORTED, ImportOptions, work_import
from fanarchive.formats.importers.registry import Source
from fanarchive.formats.selectors import export_document
from fanarchive.tags.fixed import MATURE, VIOLENCE
from fanarchive.tags.models import TagType
from fanarchive.works.models import Series, Work
from fanarchive.works.series_services import series_create, series_work_add
from fanarchive.works.services import ChapterInput, WorkInput, work_create

TYPES = list(TagType)


def _original(user: User) -> Work:
    data = WorkInput(
        title="Salt & Lanterns: A Harbour Story",
        rating=MATURE,
        warnings=[VIOLENCE],
        fandoms=["Harbour Tales", "River Ports"],
        categories=["F/F", "Gen"],
        relationships=["Mira Vale/Ines"],
        characters=["Mira Vale", "Ines", "Tomas"],
        freeforms=["Found Family", "Storms"],
        summary="A keeper counts the boats.\n\nOne is missing.",
        notes="Written for the <em>harbour</em> exchange.",
        endnotes="Thanks to my beta!",
        language="en",
        expected_chapters=3,
    )
    chapters = [
        ChapterInput(
            text=(
                "The lantern swung.\n\n\u201cSeven,\u201d she said.\n\n* * *\n\nThe boat came home."
            ),
            text_format="plain",
            title="The Count",
            notes="Chapter one notes.",
            endnotes="Chapter one end notes.",
        ),
        ChapterInput(
            text="<p>The storm <strong>broke</strong> at noon.</p><p>Nobody slept.</p>",
            text_format="html",
            summary="The storm arrives.",
        ),
        ChapterInput(
            text="Morning came.\n\n~~~\n\nThe harbour was quiet & still.",
            text_format="plain",
            title="After",
        ),
    ]
    return work_create(user=user, data=data, chapters=chapters, post=True)


def _tags(work: Work) -> dict[str, list[str]]:
    return {t: [tag.name for tag in work.tags_of(t)] for t in TYPES}


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_round_trip(user: User, fmt: str, epubcheck) -> None:
    original = _original(user)
    data = FORMATS[fmt].build(export_document(original))
    if fmt == "epub":
        epubcheck(data)
    importer = make_user("archivist")
    outcome = work_import(
        user=importer, source=Source(f"export.{fmt}", data), options=ImportOptions(post=True)
    )
    assert outcome.status == IMPORTED, outcome.reason
    assert outcome.work_id is not None
    copy = Work.objects.get(pk=outcome.work_id)
    assert copy.title == original.title
    assert _tags(copy) == _tags(original)
    assert copy.language == original.language
    old = list(original.chapters.order_by("position"))
    new = list(copy.chapters.order_by("position"))
    assert [c.title for c in new] == [c.title for c in old]
    if fmt == "txt":
        # Plain text keeps paragraphs and scene breaks, not inline markup.
        for before, after in zip(old, new, strict=True):
            assert after.content.count("<p>") == before.content.count("<p>")
            assert after.content.count("scene-break") == before.content.count("scene-break")
        assert "Thanks to my beta!" in copy.endnotes
        return
    assert [c.content for c in new] == [c.content for c in old]
    assert [c.notes for c in new] == [c.notes for c in old]
    assert [c.endnotes for c in new] == [c.endnotes for c in old]
    assert [c.summary for c in new] == [c.summary for c in old]
    assert copy.summary == original.summary
    assert copy.notes == original.notes
    assert copy.endnotes == original.endnotes
    assert copy.word_count == original.word_count
    assert new[0].content.count('<hr class="scene-break">') == 1


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_series_come_back(user: User, fmt: str, epubcheck) -> None:
    """Part 1 of one series and part 2 of another: the download names both, and the
    importer's own series of those titles get the work at those places."""
    original = _original(user)
    series_work_add(user=user, work=original, new_title="The Harbour Cycle")
    salt = series_create(user=user, title="Salt Stories")
    series_work_add(user=user, work=make_work(user, title="Salt One"), series=salt)
    series_work_add(user=user, work=original, series=salt)
    data = FORMATS[fmt].build(export_document(original))
    if fmt == "epub":
        epubcheck(data)
    importer = make_user("archivist")
    own_salt = series_create(user=importer, title="Salt Stories")
    series_work_add(
        user=importer, work=make_work(importer, title="Their Salt One"), series=own_salt
    )
    outcome = work_import(
        user=importer, source=Source(f"export.{fmt}", data), options=ImportOptions(post=True)
    )
    assert outcome.status == IMPORTED and outcome.work_id is not None, outcome.reason
    copy = Work.objects.get(pk=outcome.work_id)
    placed = sorted(
        (entry.series.title, entry.position, entry.series_id)
        for entry in copy.series_works.select_related("series")
    )
    cycle = Series.objects.get(title="The Harbour Cycle", creatorships__pseud__user=importer)
    assert placed == [("Salt Stories", 2, own_salt.pk), ("The Harbour Cycle", 1, cycle.pk)]
    assert not any("series" in notice for notice in outcome.notices)


@pytest.mark.parametrize("fmt", ["epub", "html", "txt"])
def test_chapter_titles_that_look_generic_come_back(user: User, fmt: str) -> None:
    titles = ["Prologue", "Chapter 1", "", "Chapter Four: Home"]
    original = work_create(
        user=user,
        data=WorkInput(
            title="Four Lamps",
            rating=MATURE,
            warnings=[VIOLENCE],
            fandoms=["Harbour Tales"],
            expected_chapters=len(titles),
        ),
        chapters=[
            ChapterInput(text=f"Lamp number {n}.", text_format="plain", title=title)
            for n, title in enumerate(titles, start=1)
        ],
        post=True,
    )
    data = FORMATS[fmt].build(export_document(original))
    outcome = work_import(
        user=make_user("archivist"), source=Source(f"four.{fmt}", data), options=ImportOptions()
    )
    assert outcome.status == IMPORTED and outcome.work_id is not None, outcome.reason
    copy = Work.objects.get(pk=outcome.work_id)
    assert [c.title for c in copy.chapters.order_by("position")] == titles
