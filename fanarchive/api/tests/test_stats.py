"""/api/v1 statistics: the owner's counts per work and by day, their year in reading;
nobody else's."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils import timezone

from fanarchive.api.tests.conftest import api_as
from fanarchive.core.testing import make_work
from fanarchive.engagement.models import Kudos, ReadingHistory, WorkHitCount

pytestmark = pytest.mark.django_db


def test_owner_reads_their_stats_series_and_year(user, other_user):
    work = make_work(user, title="Counted")
    Kudos.objects.create(work=work, guest_key="g1")
    WorkHitCount.objects.create(work=work, hits=12)
    read = make_work(other_user, title="Read", fandoms=["Orchard Lane"])
    ReadingHistory.objects.create(
        user=user, work=read, visits=1, last_read_at=datetime(2025, 2, 1, tzinfo=UTC)
    )
    api = api_as(user)
    stats = api.get(f"/api/v1/users/{user.username}/stats", {"sort": "kudos"}).json()
    assert stats["works"][0]["title"] == "Counted"
    assert (stats["works"][0]["kudos"], stats["works"][0]["hits"]) == (1, 12)
    assert stats["totals"]["kudos"] == 1
    days = api.get(f"/api/v1/users/{user.username}/stats/days", {"days": 7}).json()
    assert len(days["days"]) == 7
    assert days["days"][-1] == {"day": timezone.now().date().isoformat(), "count": 1}
    year = api.get(f"/api/v1/users/{user.username}/year-in-reading").json()
    assert year["year"] == 2025 and year["works"] == 1
    assert {"name": "Orchard Lane", "works": 1} in year["top"]["Fandoms"]


def test_bad_parameters_and_other_people(user, other_user):
    api = api_as(user)
    base = f"/api/v1/users/{user.username}"
    assert api.get(f"{base}/stats", {"sort": "nonsense"}).status_code == 422
    assert api.get(f"{base}/stats", {"year": "99999"}).status_code == 422
    assert api.get(f"{base}/stats/days", {"days": "8"}).status_code == 422
    assert api.get(f"{base}/stats/days", {"measure": "x" * 3000}).status_code == 422
    assert api_as(other_user).get(f"{base}/stats").status_code == 403
    assert api_as(other_user).get(f"{base}/year-in-reading").status_code == 403
    assert api_as(None).get(f"{base}/stats").status_code == 401
    assert api.get("/api/v1/users/no-such-person/stats").status_code == 404
