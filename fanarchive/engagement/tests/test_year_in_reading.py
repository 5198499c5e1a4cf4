"""Year in reading: a reader's history summed up by year; only works they may still see
are counted or named."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.models import ReadingHistory
from fanarchive.engagement.reading_year_selectors import reading_years, year_in_reading
from fanarchive.tags.fixed import EXPLICIT, GENERAL
from fanarchive.works.models import Work

pytestmark = pytest.mark.django_db


def _read(reader, work, when: datetime) -> None:
    ReadingHistory.objects.create(user=reader, work=work, visits=1, last_read_at=when)


@pytest.fixture
def history(user):
    writer = make_user("yirwriter")
    works = [
        make_work(writer, title="A", fandoms=["Moonfall"], relationships=["Ash/Birch"],
                  characters=["Ash"], freeforms=["Slow Burn"], rating=GENERAL),
        make_work(writer, title="B", fandoms=["Moonfall"], characters=["Ash", "Birch"],
                  freeforms=["Slow Burn"], rating=EXPLICIT, restricted=True),
        make_work(writer, title="C", fandoms=["Tidewater"], rating=GENERAL),
        make_work(writer, title="Gone Quiet", fandoms=["Secret Fandom Name"], rating=GENERAL),
    ]  # fmt: skip
    _read(user, works[0], datetime(2025, 3, 2, tzinfo=UTC))
    _read(user, works[1], datetime(2025, 3, 20, tzinfo=UTC))
    _read(user, works[2], datetime(2025, 7, 1, tzinfo=UTC))
    _read(user, works[3], datetime(2025, 8, 1, tzinfo=UTC))
    Work.objects.filter(pk=works[3].pk).update(hidden_by_admin=True)
    other = make_work(writer, title="Other Year", fandoms=["Tidewater"])
    _read(user, other, datetime(2024, 12, 31, 23, 0, tzinfo=UTC))
    return works


def test_summary_of_a_year(user, history):
    summary = year_in_reading(user, 2025)
    assert summary.works == 3 and summary.unavailable == 1
    assert summary.words == sum(w.word_count for w in history[:3])
    assert summary.top["Fandoms"] == [("Moonfall", 2), ("Tidewater", 1)]
    assert summary.top["Characters"][0] == ("Ash", 2)
    assert ("Birch", 1) in summary.top["Characters"]
    assert summary.top["Relationships"] == [("Ash/Birch", 1)]
    assert summary.top["Additional tags"][0] == ("Slow Burn", 2)
    assert dict(summary.ratings) == {GENERAL: 2, EXPLICIT: 1}
    assert summary.months[2] == 2 and summary.busiest_month == 3
    assert reading_years(user) == [2025, 2024]
    assert year_in_reading(user, 2024).works == 1
    empty = year_in_reading(user, 2019)
    assert empty.works == 0 and empty.busiest_month is None


def test_the_page(user, user_client, history):
    page = user_client.get(f"/users/{user.username}/year-in-reading/")
    html = page.content.decode()
    assert page.status_code == 200 and html.count("<h1") == 1
    assert "Your year in reading: 2025" in html  # the latest year by default
    assert "Moonfall" in html and "Slow Burn" in html and "March" in html
    assert "Secret Fandom Name" not in html and "Gone Quiet" not in html
    assert "1 more work you read this year is no longer available" in html
    assert (
        "Tidewater"
        in user_client.get(
            f"/users/{user.username}/year-in-reading/", {"year": "2024"}
        ).content.decode()
    )
    bad = user_client.get(f"/users/{user.username}/year-in-reading/", {"year": "2019"})
    assert bad.status_code == 200
    assert "not offered" in bad.content.decode()
    assert "Your year in reading: 2025" in bad.content.decode()


def test_an_empty_history(user_client, other_user, client):
    client.force_login(other_user)
    page = client.get(f"/users/{other_user.username}/year-in-reading/")
    assert page.status_code == 200
    assert "Nothing in your history for" in page.content.decode()
