"""The Django admin pages for kudos, comments and hit counts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fanarchive.core.testing import make_user
from fanarchive.engagement.comment_services import comment_create
from fanarchive.engagement.kudos_services import kudos_give

pytestmark = pytest.mark.django_db


def test_admin_lists_and_change_pages_open(client: Client, work, reader) -> None:
    kudos_give(work=work, user=reader)
    comment = comment_create(chapter=work.chapters.get(), user=reader, text="Hello there")
    client.force_login(make_user("boss", is_staff=True, is_superuser=True))
    for name in ("kudos", "comment", "workhitcount"):
        assert client.get(reverse(f"admin:engagement_{name}_changelist")).status_code == 200
    page = client.get(reverse("admin:engagement_comment_change", args=[comment.pk]))
    assert page.status_code == 200 and "Hello there" in page.content.decode()
    assert "guest_key" not in page.content.decode()
