"""A series holding a work of an anonymous collection (before the author reveal) names
nobody, as one holding an anonymous work does (`series_selectors`, `anonymous_works_q`)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.models import User
from fanarchive.core.testing import make_user, make_work
from fanarchive.works.collection_state_services import work_collection_state_set
from fanarchive.works.models import Series, Work
from fanarchive.works.selectors import anonymous_works_q, named_works_q
from fanarchive.works.series_selectors import series_creators_for, series_with_anonymous_works
from fanarchive.works.series_services import series_create, series_work_add

pytestmark = pytest.mark.django_db


def _series_with(*, by_collection: bool) -> tuple[User, Work, Series]:
    writer = make_user()
    work = make_work(writer)
    work_collection_state_set(work_id=work.pk, unrevealed=False, anonymous=by_collection)
    series = series_create(user=writer, title="Tidewatch")
    series_work_add(user=writer, work=work, series=series)
    return writer, work, series


def test_anonymous_works_q_takes_both_kinds_of_anonymity():
    plain = make_work()
    posted_anonymously = make_work(anonymous=True)
    in_anonymous_collection = make_work()
    work_collection_state_set(work_id=in_anonymous_collection.pk, unrevealed=False, anonymous=True)
    found = set(Work.objects.filter(anonymous_works_q()).values_list("pk", flat=True))
    assert found == {posted_anonymously.pk, in_anonymous_collection.pk}
    named = Work.objects.filter(named_works_q(AnonymousUser(), owner_id=0))
    assert list(named.values_list("pk", flat=True)) == [plain.pk]


def test_a_series_with_a_work_of_an_anonymous_collection_names_nobody_to_others():
    writer, _work, series = _series_with(by_collection=True)
    assert series_creators_for(AnonymousUser(), series) == []
    assert series_creators_for(make_user(), series) == []
    assert [p.user_id for p in series_creators_for(writer, series)] == [writer.pk]
    assert series.pk in set(series_with_anonymous_works())


def test_after_the_author_reveal_the_series_names_its_creator_again():
    writer, work, series = _series_with(by_collection=True)
    work_collection_state_set(work_id=work.pk, unrevealed=False, anonymous=False)
    assert [p.user_id for p in series_creators_for(AnonymousUser(), series)] == [writer.pk]
    assert series.pk not in set(series_with_anonymous_works())


def test_a_series_of_named_works_is_not_taken_for_anonymous():
    writer, _work, series = _series_with(by_collection=False)
    assert [p.user_id for p in series_creators_for(AnonymousUser(), series)] == [writer.pk]
    assert series.pk not in set(series_with_anonymous_works())
