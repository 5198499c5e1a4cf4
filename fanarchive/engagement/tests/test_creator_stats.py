"""The creator statistics page: per-work counts, totals, sorting, the year chooser, counts
by day as an SVG chart with a table, CSV downloads; only for the account's owner."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from fanarchive.core.testing import make_user, make_work
from fanarchive.engagement.bookmark_services import bookmark_create
from fanarchive.engagement.hit_flush_services import hits_flush
from fanarchive.engagement.models import (
    HitMark,
    Kudos,
    Subscription,
    SubscriptionKind,
    WorkHitCount,
)
from fanarchive.engagement.stats_selectors import creator_stats, daily_series
from fanarchive.engagement.svg_chart import bar_chart, nice_ceiling
from fanarchive.works.models import Chapter, Work

pytestmark = pytest.mark.django_db


def _kudos(work: Work, n: int, *, days_ago: int = 0) -> None:
    moment = timezone.now() - timedelta(days=days_ago)
    for i in range(n):
        kudos = Kudos.objects.create(work=work, guest_key=f"k{work.pk}-{days_ago}-{i}")
        Kudos.objects.filter(pk=kudos.pk).update(created_at=moment)


@pytest.fixture
def archive(user, other_user):
    first = make_work(user, title="First Light")
    second = make_work(user, title='=HYPERLINK("x")')  # hostile title for the CSV
    hidden_anon = make_work(user, title="Masked Ball")
    Work.objects.filter(pk=hidden_anon.pk).update(anonymous=True, unrevealed=True)
    make_work(other_user, title="Not Mine")
    make_work(user, title="Still Drafting", post=False)
    _kudos(first, 3)
    _kudos(first, 2, days_ago=3)
    _kudos(second, 1, days_ago=40)
    _kudos(hidden_anon, 4, days_ago=1)
    WorkHitCount.objects.create(work=first, hits=50)
    WorkHitCount.objects.create(work=second, hits=70)
    for reader, private in ((other_user, False), (make_user(), True)):  # private: not counted
        bookmark_create(user=reader, pseud=reader.pseuds.get(), work=first, private=private)
    Subscription.objects.create(user=other_user, kind=SubscriptionKind.WORK, work=second)
    HitMark.objects.create(work=first, visitor="g1", day=timezone.now().date())
    return {"first": first, "second": second, "anon": hidden_anon}


def test_per_work_counts_totals_and_sorting(user, archive):
    stats = creator_stats(user)
    titles = [row.title for row in stats.rows]
    assert titles == ['=HYPERLINK("x")', "First Light", "Masked Ball"]  # by hits, then id
    first = stats.rows[1]
    assert (first.kudos, first.hits, first.bookmarks, first.subscriptions) == (5, 50, 1, 0)
    assert stats.totals["kudos"] == 10 and stats.totals["hits"] == 120
    assert stats.totals["subscriptions"] == 1
    assert stats.totals["words"] == sum(row.words for row in stats.rows) > 0
    by_kudos = creator_stats(user, sort="kudos", descending=True)
    assert by_kudos.rows[0].title == "First Light"
    by_title = creator_stats(user, sort="title", descending=False)
    assert [row.title for row in by_title.rows][-1] == "Masked Ball"


def test_year_keeps_works_with_a_chapter_published_that_year(user, archive):
    Chapter.objects.filter(work=archive["second"]).update(
        published_at=datetime(2021, 5, 1, tzinfo=UTC)
    )
    stats = creator_stats(user, year=2021)
    assert [row.title for row in stats.rows] == ['=HYPERLINK("x")']
    assert 2021 in stats.years
    assert creator_stats(user, year=1990).rows == []


def test_daily_series_counts_each_day_with_zeros(user, archive):
    today = timezone.now().date()
    series = daily_series(user, measure="kudos", days=7, today=today)
    assert len(series) == 7 and series[-1] == (today, 3)
    assert dict(series)[today - timedelta(days=3)] == 2
    assert dict(series)[today - timedelta(days=1)] == 4  # their anonymous work too
    assert sum(n for _, n in series) == 9  # the kudos 40 days ago is outside
    assert daily_series(user, measure="hits", days=7, today=today)[-1] == (today, 1)
    assert daily_series(user, measure="bookmarks", days=7, today=today)[-1] == (today, 1)
    assert daily_series(user, measure="subscriptions", days=7, today=today)[-1] == (today, 1)
    with pytest.raises(ValueError):
        daily_series(user, measure="everything", days=7, today=today)


def test_hits_by_day_outlive_their_marks(user, archive):
    """The flush prunes past days' marks, but keeps what it counted by day."""
    today = timezone.now().date()
    first = archive["first"]
    for visitor in ("g2", "g3"):
        HitMark.objects.create(work=first, visitor=visitor, day=today - timedelta(days=3))
    hits_flush()  # counts today's mark and the two, and prunes the past day's marks
    assert not HitMark.objects.filter(day=today - timedelta(days=3)).exists()
    HitMark.objects.create(work=first, visitor="g4", day=today)  # not counted yet
    series = dict(daily_series(user, measure="hits", days=7, today=today))
    assert series[today - timedelta(days=3)] == 2
    assert series[today] == 2  # one counted, one waiting for the flush
    hits_flush()  # counting the waiting one neither loses nor doubles it
    assert dict(daily_series(user, measure="hits", days=7, today=today))[today] == 2


def test_the_svg_chart_is_accessible_and_escapes_its_text():
    svg = bar_chart(
        [("<b>day</b>", 3), ("2", 0), ("3", 7)],
        title="Kudos & more",
        description='"quoted"',
        chart_id="c1",
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert 'role="img"' in svg and 'aria-labelledby="c1-title c1-desc"' in svg
    assert '<title id="c1-title">Kudos &amp; more</title>' in svg
    assert "&lt;b&gt;day&lt;/b&gt;" in svg and "<b>" not in svg
    assert svg.count('class="chart-bar"') == 3
    assert nice_ceiling(0) == 1 and nice_ceiling(7) == 10 and nice_ceiling(11) == 20
    assert nice_ceiling(150) == 200 and nice_ceiling(500) == 500
    assert 'class="chart-bar"' not in bar_chart([], title="t", description="d", chart_id="e")


def test_the_page_shows_table_chart_and_links(user, user_client, archive):
    page = user_client.get(f"/users/{user.username}/stats/", {"measure": "kudos", "days": "7"})
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<h1") == 1
    assert "First Light" in html and "Masked Ball" in html and "Not Mine" not in html
    assert "Still Drafting" not in html
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"' in html
    assert "Kudos by day as a table" in html
    assert 'aria-sort="descending"' in html  # hits, the default sort
    assert f"/users/{user.username}/stats/works.csv?" in html
    sorted_page = user_client.get(
        f"/users/{user.username}/stats/", {"sort": "title", "order": "asc"}
    ).content.decode()
    assert sorted_page.index("=HYPERLINK") < sorted_page.index("First Light")
    hits = user_client.get(f"/users/{user.username}/stats/", {"measure": "hits"})
    assert "Hits by day as a table" in hits.content.decode()
    nav = user_client.get(f"/users/{user.username}/").content.decode()
    assert f'href="/users/{user.username}/stats/"' in nav
    assert f'href="/users/{user.username}/year-in-reading/"' in nav


def test_bad_choices_fall_back_with_a_message(user, user_client, archive):
    page = user_client.get(
        f"/users/{user.username}/stats/",
        {"year": "1066", "sort": "'; drop", "days": "99999", "measure": "x" * 5000},
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert "Showing the default for" in html and "not offered" in html
    assert "First Light" in html  # all years, sorted by hits
    assert "Kudos by day" in html


def test_csv_downloads(user, user_client, archive):
    answer = user_client.get(f"/users/{user.username}/stats/works.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    assert "attachment" in answer["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == [
        "work id", "title", "date", "word count", "hits", "kudos", "comments", "bookmarks",
        "subscriptions",
    ]  # fmt: skip
    assert rows[1][1] == '\'=HYPERLINK("x")'  # never a formula in a spreadsheet
    assert rows[2][1] == "First Light" and rows[2][4:6] == ["50", "5"]
    days = user_client.get(f"/users/{user.username}/stats/days.csv", {"days": "7"})
    day_rows = list(csv.reader(io.StringIO(days.content.decode())))
    assert day_rows[0] == ["day", "kudos"] and len(day_rows) == 8
    assert day_rows[-1] == [timezone.now().date().isoformat(), "3"]


@pytest.mark.parametrize(
    "path", ["stats/", "stats/works.csv", "stats/days.csv", "year-in-reading/"]
)
def test_only_the_owner_gets_in(client, user, other_user, path):
    url = f"/users/{user.username}/{path}"
    assert client.get(url).status_code == 302  # guests are sent to log in
    client.force_login(other_user)
    assert client.get(url).status_code == 403
    assert client.get(f"/users/nobody-by-this-name/{path}").status_code == 404
