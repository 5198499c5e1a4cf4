"""Series: services and pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work
from fanarchive.works.catalogue_models import CatalogueChange
from fanarchive.works.models import Series, SeriesWork, Work
from fanarchive.works.series_selectors import series_navigation
from fanarchive.works.series_services import (
    series_create,
    series_delete,
    series_reorder,
    series_update,
    series_work_add,
    series_work_remove,
)

pytestmark = pytest.mark.django_db


def three_part_series(user):
    series = series_create(
        user=user, title="The Harbour Cycle", summary="Boats.", notes="Read in order."
    )
    works = [make_work(user, title=f"Part {n}") for n in (1, 2, 3)]
    for work in works:
        series_work_add(user=user, work=work, series=series)
    return series, works


def positions(series):
    return list(series.series_works.order_by("position").values_list("work__title", "position"))


# -- services ---------------------------------------------------------------------------


def test_create_series_with_its_own_title_summary_and_notes(user):
    series = series_create(user=user, title="  The Harbour Cycle ", summary="Boats.", notes="N")
    assert series.title == "The Harbour Cycle"
    assert series.summary == "<p>Boats.</p>" and series.notes == "<p>N</p>"
    assert list(series.pseuds.all()) == [user.default_pseud]


@pytest.mark.parametrize(
    ("title", "message"),
    [("", "Please enter a title"), ("x" * 300, "240 characters or fewer")],
)
def test_series_title_is_checked_and_nothing_written(user, title, message):
    with pytest.raises(ValidationError) as excinfo:
        series_create(user=user, title=title)
    assert message in excinfo.value.message_dict["title"][0]
    assert not Series.objects.exists()


def test_works_are_added_in_order_and_a_work_can_be_in_several_series(user):
    series, works = three_part_series(user)
    assert positions(series) == [("Part 1", 1), ("Part 2", 2), ("Part 3", 3)]
    other = series_create(user=user, title="Side Stories")
    series_work_add(user=user, work=works[1], series=other)
    assert works[1].series_works.count() == 2
    assert SeriesWork.objects.get(series=other).position == 1


def test_adding_at_a_position_moves_the_later_parts_down(user):
    series, works = three_part_series(user)
    inserted = make_work(user, title="Part 1.5")
    last_change = CatalogueChange.objects.order_by("id").last()
    assert last_change is not None
    entry = series_work_add(user=user, work=inserted, series=series, position=2)
    assert entry.position == 2
    assert positions(series) == [("Part 1", 1), ("Part 1.5", 2), ("Part 2", 3), ("Part 3", 4)]
    # The works that moved are logged too: blurbs show "Part N of" the series.
    logged = CatalogueChange.objects.filter(id__gt=last_change.id).values_list("work_id", flat=True)
    assert sorted(logged) == sorted([works[1].pk, works[2].pk, inserted.pk])
    first = series_work_add(
        user=user, work=make_work(user, title="Prologue"), series=series, position=1
    )
    last = series_work_add(
        user=user, work=make_work(user, title="Coda"), series=series, position=40
    )
    assert (first.position, last.position) == (1, 6)
    assert [p for _, p in positions(series)] == [1, 2, 3, 4, 5, 6]
    assert positions(series)[0] == ("Prologue", 1)


def test_adding_to_a_new_series_by_title(user):
    work = make_work(user)
    entry = series_work_add(user=user, work=work, new_title="New Tides")
    assert entry.series.title == "New Tides" and entry.position == 1


def test_adding_twice_or_without_a_series_is_refused(user):
    series, works = three_part_series(user)
    with pytest.raises(ValidationError) as excinfo:
        series_work_add(user=user, work=works[0], series=series)
    assert "already in" in excinfo.value.message_dict["series"][0]
    with pytest.raises(ValidationError) as excinfo:
        series_work_add(user=user, work=works[0])
    assert "series" in excinfo.value.message_dict


def test_only_creators_can_add_a_work_or_change_a_series(user, other_user):
    series, works = three_part_series(user)
    theirs = make_work(other_user)
    with pytest.raises(PermissionDenied):
        series_work_add(user=other_user, work=theirs, series=series)
    with pytest.raises(PermissionDenied):
        series_work_add(user=other_user, work=works[0], new_title="Mine now")
    with pytest.raises(PermissionDenied):
        series_update(
            user=other_user, series=series, title="X", summary="", notes="", complete=True
        )
    with pytest.raises(PermissionDenied):
        series_reorder(user=other_user, series=series, work_ids=[w.pk for w in works])
    with pytest.raises(PermissionDenied):
        series_delete(user=other_user, series=series)
    with pytest.raises(PermissionDenied):
        series_work_remove(user=other_user, series=series, work=works[0])


def test_reorder_and_remove_renumber(user):
    series, works = three_part_series(user)
    series_reorder(user=user, series=series, work_ids=[works[2].pk, works[0].pk, works[1].pk])
    assert positions(series) == [("Part 3", 1), ("Part 1", 2), ("Part 2", 3)]
    series_work_remove(user=user, series=series, work=works[0])
    assert positions(series) == [("Part 3", 1), ("Part 2", 2)]
    assert Work.objects.filter(pk=works[0].pk).exists()


def test_reorder_must_name_every_work_once(user):
    series, works = three_part_series(user)
    with pytest.raises(ValidationError):
        series_reorder(user=user, series=series, work_ids=[works[0].pk, works[0].pk, works[1].pk])
    assert positions(series)[0] == ("Part 1", 1)


def test_deleting_a_series_never_deletes_its_works(user):
    series, works = three_part_series(user)
    series_delete(user=user, series=series)
    assert not Series.objects.exists()
    assert Work.objects.filter(pk__in=[w.pk for w in works]).count() == 3


def test_series_changes_are_logged_for_the_catalogue(user):
    series, works = three_part_series(user)
    before = CatalogueChange.objects.filter(work_id=works[0].pk).count()
    series_update(user=user, series=series, title="Renamed", summary="", notes="", complete=True)
    assert CatalogueChange.objects.filter(work_id=works[0].pk).count() == before + 1


def test_navigation_skips_works_the_reader_cannot_see(user):
    series, works = three_part_series(user)
    draft = make_work(user, post=False, title="Unfinished")
    series_work_add(user=user, work=draft, series=series)
    series_reorder(
        user=user, series=series, work_ids=[works[0].pk, draft.pk, works[1].pk, works[2].pk]
    )
    guest = make_user()
    [place] = series_navigation(guest, works[1])
    assert place.part == 3 and place.previous == works[0] and place.next == works[2]
    [place] = series_navigation(user, works[1])
    assert place.previous == draft


# -- pages -------------------------------------------------------------------------------


def test_series_page_lists_works_in_order_with_words_and_completion(client, user):
    series, works = three_part_series(user)
    series_update(
        user=user, series=series, title=series.title, summary="Boats.", notes="", complete=True
    )
    page = client.get(series.get_absolute_url()).content.decode()
    assert page.index("Part 1") < page.index("Part 2") < page.index("Part 3")
    words = sum(w.word_count for w in works)
    assert f"<dt>Words:</dt><dd>{words}</dd>" in page
    assert "<dt>Complete:</dt><dd>Yes</dd>" in page
    assert "Boats." in page


def test_work_page_shows_part_n_of_series_with_previous_and_next(client, user):
    series, works = three_part_series(user)
    page = client.get(works[1].get_absolute_url()).content.decode()
    assert "Part 2 of" in page and series.title in page
    assert f'href="{works[0].get_absolute_url()}">← Previous Work' in page
    assert f'href="{works[2].get_absolute_url()}">Next Work →' in page


def test_blurbs_show_series(client, user):
    series, _ = three_part_series(user)
    page = client.get(reverse("works:list")).content.decode()
    assert f'Part <strong>2</strong> of <a href="{series.get_absolute_url()}">' in page


def test_series_of_drafts_only_is_private(client, user):
    series = series_create(user=user, title="Secret Plans")
    series_work_add(user=user, work=make_work(user, post=False), series=series)
    assert client.get(series.get_absolute_url()).status_code == 404
    client.force_login(user)
    assert client.get(series.get_absolute_url()).status_code == 200


def test_add_reorder_remove_and_delete_through_the_pages(user_client, user):
    work = make_work(user, title="Alpha")
    second = make_work(user, title="Beta")
    response = user_client.post(
        reverse("works:work_series", args=[work.pk]), {"series": "", "new_title": "Tides"}
    )
    assert response.status_code == 302
    series = Series.objects.get()
    user_client.post(reverse("works:work_series", args=[second.pk]), {"series": series.pk})
    user_client.post(
        reverse("works:series_reorder", args=[series.pk]),
        {f"position_{work.pk}": 2, f"position_{second.pk}": 1},
    )
    assert positions(series) == [("Beta", 1), ("Alpha", 2)]
    user_client.post(reverse("works:series_remove_work", args=[series.pk, second.pk]))
    assert positions(series) == [("Alpha", 1)]
    page = user_client.get(reverse("works:series_delete", args=[series.pk])).content.decode()
    assert "Its works are not deleted" in page
    user_client.post(reverse("works:series_delete", args=[series.pk]))
    assert not Series.objects.exists() and Work.objects.count() == 2


def test_series_form_errors_show_and_nothing_is_written(user_client):
    response = user_client.post(reverse("works:series_new"), {"title": ""})
    assert response.status_code == 200
    assert "Please enter a title for the series." in response.content.decode()
    assert not Series.objects.exists()


def test_others_cannot_edit_or_delete_a_series(client, user, other_user):
    series, _ = three_part_series(user)
    client.force_login(other_user)
    for name in ("series_edit", "series_reorder", "series_delete"):
        assert client.get(reverse(f"works:{name}", args=[series.pk])).status_code == 403
    assert client.post(reverse("works:series_delete", args=[series.pk])).status_code == 403
    assert Series.objects.exists()


def test_user_series_page(client, user):
    three_part_series(user)
    page = client.get(reverse("works:user_series", args=[user.username])).content.decode()
    assert "The Harbour Cycle" in page


def test_deleting_a_work_closes_the_gap_in_its_series(user):
    from fanarchive.works.services import work_delete

    series, works = three_part_series(user)
    work_delete(user=user, work=works[0])
    assert positions(series) == [("Part 2", 1), ("Part 3", 2)]


def test_admin_pages_of_the_writers_tools_load(client, user):
    from fanarchive.works.models import CreatorInvitation, Gift

    series, _ = three_part_series(user)
    admin = make_user("site_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    for model in (Series, Gift, CreatorInvitation):
        name = model._meta.model_name
        assert client.get(reverse(f"admin:works_{name}_changelist")).status_code == 200
    assert client.get(reverse("admin:works_series_change", args=[series.pk])).status_code == 200
    assert client.get(reverse("admin:accounts_block_changelist")).status_code == 200
