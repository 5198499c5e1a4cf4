import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fanarchive.accounts.models import Pseud
from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.tags.fixed import EXPLICIT, GENERAL, NO_WARNINGS, VIOLENCE
from fanarchive.tags.models import Tag, TagType
from fanarchive.works import limits
from fanarchive.works.models import Chapter, Work
from fanarchive.works.services import (
    ChapterInput,
    chapter_add,
    chapter_delete,
    chapter_update,
    chapters_reorder,
    posting_batch,
    work_create,
    work_delete,
    work_post,
    work_update,
)

pytestmark = pytest.mark.django_db

TEXT = ChapterInput(text="A chapter long enough to post.", text_format="plain")


def errors_of(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def create(user, chapters=(TEXT,), post=True, **overrides):
    return work_create(user=user, data=work_input(**overrides), chapters=list(chapters), post=post)


# -- required fields and limits ------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": ""}, "title", "Please enter a title."),
        ({"title": "   "}, "title", "Please enter a title."),
        ({"title": "x" * 256}, "title", "The title must be 255 characters or fewer; it is 256."),
        ({"summary": "x" * 1251}, "summary", "The summary must be 1,250 characters or fewer"),
        ({"notes": "x" * 5001}, "notes", "The notes must be 5,000 characters or fewer"),
        ({"endnotes": "x" * 5001}, "endnotes", "The end notes must be 5,000 characters or fewer"),
        ({"rating": ""}, "rating", "Please choose a rating."),
        ({"rating": "Adults Only"}, "rating", '"Adults Only" is not a rating.'),
        ({"warnings": []}, "warnings", "Please choose at least one archive warning."),
        ({"warnings": ["Spoilers"]}, "warnings", '"Spoilers" is not one of the archive warnings.'),
        ({"categories": ["M/M/F"]}, "categories", '"M/M/F" is not one of the categorys.'),
        ({"fandoms": []}, "fandoms", "Please add at least one fandom."),
        ({"fandoms": [" ", ""]}, "fandoms", "Please add at least one fandom."),
        ({"characters": ["x" * 101]}, "characters", "tags can be at most 100 characters"),
        ({"freeforms": ["a<b"]}, "freeforms", "cannot contain <"),
        ({"language": "xx"}, "language", '"xx" is not a language this archive knows.'),
        ({"expected_chapters": 0}, "expected_chapters", "must be 1 or more"),
    ],
)
def test_each_required_field_and_limit_has_its_error_and_writes_nothing(
    user, overrides, field, message
):
    with pytest.raises(ValidationError) as excinfo:
        create(user, **overrides)
    assert any(message in text for text in errors_of(excinfo)[field]), errors_of(excinfo)
    assert Work.objects.count() == 0
    assert not Tag.objects.filter(type=TagType.FANDOM).exists()


def test_limits_are_inclusive(user):
    work = create(
        user,
        title="x" * limits.TITLE_MAX,
        summary="s" * limits.SUMMARY_MAX,
        notes="n" * limits.NOTES_MAX,
        endnotes="e" * limits.NOTES_MAX,
        chapters=[ChapterInput(text="y" * limits.CHAPTER_TEXT_MAX, text_format="plain")],
    )
    assert len(work.title) == limits.TITLE_MAX


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The chapter text is empty"),
        ("   \n\n  ", "The chapter text is empty"),
        ("too short", "at least 10 characters"),
        ("x" * (limits.CHAPTER_TEXT_MAX + 1), "510,000 characters or fewer"),
    ],
)
def test_chapter_text_limits(user, text, message):
    with pytest.raises(ValidationError) as excinfo:
        create(user, chapters=[ChapterInput(text=text)])
    assert any(message in m for m in errors_of(excinfo)["text"])
    assert Work.objects.count() == 0


def test_at_most_75_user_tags(user):
    with pytest.raises(ValidationError) as excinfo:
        create(
            user,
            fandoms=["F"],
            characters=[f"Character {n}" for n in range(40)],
            freeforms=[f"Trope {n}" for n in range(35)],
        )
    assert "at most 75" in errors_of(excinfo)["freeforms"][0]
    work = create(
        user,
        fandoms=["F"],
        characters=[f"Character {n}" for n in range(40)],
        freeforms=[f"Trope {n}" for n in range(34)],
    )
    assert work.work_tags.count() == 75 + 3  # plus rating, warning and category


def test_expected_chapters_cannot_be_fewer_than_chapters(user):
    with pytest.raises(ValidationError) as excinfo:
        create(user, chapters=[TEXT, TEXT], expected_chapters=1)
    assert "cannot expect fewer" in errors_of(excinfo)["expected_chapters"][0]


def test_cannot_post_under_someone_elses_pseud(user, other_user):
    with pytest.raises(ValidationError) as excinfo:
        create(user, pseud_ids=[other_user.default_pseud.pk])
    assert "your own pseuds" in errors_of(excinfo)["pseuds"][0]
    assert Work.objects.count() == 0


def test_a_posting_batch_reads_the_pseuds_once_and_keeps_the_rules(
    user, other_user, django_assert_max_num_queries
):
    second = Pseud.objects.create(user=user, name="Lamplighter")
    default = user.default_pseud
    with posting_batch(user):
        with django_assert_max_num_queries(30) as first_post:
            create(user)
        with django_assert_max_num_queries(len(first_post.captured_queries)) as later:
            work = create(user, pseud_ids=[second.pk, default.pk])
        assert not any("accounts_pseud" in q["sql"] for q in later.captured_queries)
        assert list(work.creatorships.values_list("pseud__name", flat=True)) == [
            "Lamplighter",
            default.name,
        ]
        with pytest.raises(ValidationError) as excinfo:
            create(user, pseud_ids=[other_user.default_pseud.pk])
        assert "your own pseuds" in errors_of(excinfo)["pseuds"][0]
        # Another user's post inside the batch reads its own pseuds.
        theirs = create(other_user)
        assert theirs.creatorships.get().pseud == other_user.default_pseud
    assert Work.objects.count() == 3


# -- posting --------------------------------------------------------------------


def test_posted_work_holds_its_tags_in_order_and_stats(user):
    work = create(
        user,
        chapters=[ChapterInput(text="One two three four five.", text_format="plain")],
        rating=EXPLICIT,
        warnings=[VIOLENCE, NO_WARNINGS],
        fandoms=["Harbour Tales", "Skyward"],
        relationships=["Mira/Tomas", "Mira & Ada"],
        freeforms=["Angst", "angst", " Fluff "],
    )
    assert work.posted and work.complete and work.first_posted_at and work.revised_at
    assert [t.name for t in work.tags_of(TagType.RATING)] == [EXPLICIT]
    # Fixed tags come in AO3's order whatever order they were given in.
    assert [t.name for t in work.tags_of(TagType.WARNING)] == [NO_WARNINGS, VIOLENCE]
    assert [t.name for t in work.tags_of(TagType.FANDOM)] == ["Harbour Tales", "Skyward"]
    assert [t.name for t in work.tags_of(TagType.FREEFORM)] == ["Angst", "Fluff"]
    assert work.word_count == 5
    assert work.chapter_fraction == "1/1"
    assert [c.pseud for c in work.creatorships.all()] == [user.default_pseud]


def test_free_tags_are_unique_per_type_regardless_of_case(user):
    create(user, fandoms=["Harbour Tales"], characters=["Harbour Tales"])
    create(user, fandoms=["harbour TALES"])
    fandoms = Tag.objects.filter(type=TagType.FANDOM, name__iexact="harbour tales")
    assert [t.name for t in fandoms] == ["Harbour Tales"]
    assert Tag.objects.filter(name__iexact="harbour tales").count() == 2  # one per type


def test_draft_is_not_posted_until_work_post(user):
    work = create(user, post=False, chapters=[TEXT, TEXT], expected_chapters=None)
    assert not work.posted and work.first_posted_at is None
    assert not work.chapters.filter(posted=True).exists()
    work_post(user=user, work=work)
    work.refresh_from_db()
    assert work.posted and work.first_posted_at and work.posted_chapters == 2
    assert work.chapter_fraction == "2/?"
    with pytest.raises(ValidationError):
        work_post(user=user, work=work)


def test_only_creators_change_a_work(user, other_user):
    work = create(user)
    for attempt in (
        lambda: work_update(user=other_user, work=work, data=work_input(title="Mine now")),
        lambda: work_delete(user=other_user, work=work),
        lambda: chapter_add(
            user=other_user, work=work, data=TEXT, post=True, expected_chapters=None
        ),
        lambda: chapter_delete(user=other_user, chapter=work.chapters.get()),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    work.refresh_from_db()
    assert work.title != "Mine now" and work.chapters.count() == 1


def test_update_replaces_metadata_and_tags(user):
    work = create(user, fandoms=["Old Fandom"], rating=GENERAL)
    work_update(
        user=user,
        work=work,
        data=work_input(title="New title", fandoms=["New Fandom"], rating=EXPLICIT),
    )
    work.refresh_from_db()
    assert work.title == "New title"
    assert [t.name for t in work.tags_of(TagType.FANDOM)] == ["New Fandom"]
    assert [t.name for t in work.tags_of(TagType.RATING)] == [EXPLICIT]


def test_update_with_bad_data_changes_nothing(user):
    work = create(user, title="Kept")
    with pytest.raises(ValidationError):
        work_update(user=user, work=work, data=work_input(title="", fandoms=["Another"]))
    work.refresh_from_db()
    assert work.title == "Kept"
    assert not Tag.objects.filter(name="Another").exists()


# -- chapters -----------------------------------------------------------------------


def test_adding_chapters_updates_counts_and_completion(user):
    work = create(user, expected_chapters=3)
    assert not work.complete and work.chapter_fraction == "1/3"
    chapter_add(user=user, work=work, data=TEXT, post=True, expected_chapters=3)
    chapter = chapter_add(user=user, work=work, data=TEXT, post=True, expected_chapters=3)
    work.refresh_from_db()
    assert chapter.position == 3 and work.complete and work.chapter_fraction == "3/3"


def test_adding_a_chapter_beyond_the_expected_count_is_refused(user):
    work = create(user, expected_chapters=1)
    with pytest.raises(ValidationError) as excinfo:
        chapter_add(user=user, work=work, data=TEXT, post=True, expected_chapters=1)
    assert "cannot expect fewer" in errors_of(excinfo)["expected_chapters"][0]
    assert work.chapters.count() == 1


def test_draft_chapter_on_posted_work_is_hidden_until_posted(user):
    work = create(user, expected_chapters=None)
    chapter = chapter_add(user=user, work=work, data=TEXT, post=False, expected_chapters=None)
    work.refresh_from_db()
    assert not chapter.posted and work.posted_chapters == 1
    chapter_update(user=user, chapter=chapter, data=TEXT, post=True)
    work.refresh_from_db()
    assert work.posted_chapters == 2


def test_chapter_edit_keeps_source_and_recounts(user):
    work = create(user)
    chapter = work.chapters.get()
    chapter_update(
        user=user,
        chapter=chapter,
        data=ChapterInput(text="Some *new* words here.", text_format="markdown"),
    )
    chapter.refresh_from_db()
    work.refresh_from_db()
    assert chapter.source == "Some *new* words here."
    assert chapter.content == "<p>Some <em>new</em> words here.</p>\n"
    assert chapter.word_count == 4 == work.word_count


def test_chapter_edit_with_empty_text_is_refused(user):
    work = create(user)
    chapter = work.chapters.get()
    with pytest.raises(ValidationError):
        chapter_update(user=user, chapter=chapter, data=ChapterInput(text=""))
    chapter.refresh_from_db()
    assert chapter.source == TEXT.text


def test_delete_chapter_renumbers_and_refuses_the_last_one(user):
    work = create(
        user,
        chapters=[ChapterInput(text=f"Chapter text {n}") for n in (1, 2, 3)],
        expected_chapters=3,
    )
    first, second, _third = work.chapters.order_by("position")
    chapter_delete(user=user, chapter=second)
    assert list(work.chapters.values_list("position", flat=True)) == [1, 2]
    work.refresh_from_db()
    assert work.complete and work.expected_chapters == 2
    chapter_delete(user=user, chapter=first)
    with pytest.raises(ValidationError):
        chapter_delete(user=user, chapter=work.chapters.get())


def test_reorder_chapters(user):
    work = create(
        user,
        chapters=[ChapterInput(text=f"Chapter text {n}") for n in (1, 2, 3)],
        expected_chapters=3,
    )
    a, b, c = work.chapters.order_by("position")
    chapters_reorder(user=user, work=work, chapter_ids=[c.pk, a.pk, b.pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        c.pk,
        a.pk,
        b.pk,
    ]
    with pytest.raises(ValidationError):
        chapters_reorder(user=user, work=work, chapter_ids=[a.pk, a.pk, b.pk])
    other = make_work(make_user())
    with pytest.raises(ValidationError):
        chapters_reorder(user=user, work=work, chapter_ids=[a.pk, b.pk, other.chapters.get().pk])
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == [
        c.pk,
        a.pk,
        b.pk,
    ]


def test_delete_work_removes_chapters(user):
    work = create(user)
    work_delete(user=user, work=work)
    assert not Work.objects.exists() and not Chapter.objects.exists()


def test_a_summary_at_the_limit_can_be_saved_again_as_its_stored_html(user):
    typed = "word " * (limits.SUMMARY_MAX // 5)
    work = create(user, summary=typed.strip())
    # The edit form shows the stored HTML (with its <p>); saving it unchanged must work.
    work_update(user=user, work=work, data=work_input(summary=work.summary))
    work.refresh_from_db()
    assert "word" in work.summary


def test_markup_cannot_stretch_a_summary_without_bound(user):
    bloated = "<b></b>" * limits.SUMMARY_MAX + "short"
    with pytest.raises(ValidationError) as excinfo:
        create(user, summary=bloated)
    assert "too much markup" in errors_of(excinfo)["summary"][0]
