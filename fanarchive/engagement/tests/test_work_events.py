"""Engagement hears what the works services announce (`works.events`) and acts on it.

Subscribers of new works, chapters and series parts: test_subscriptions.py; notices
renamed when a work is orphaned: works/tests/test_gate_rules.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fanarchive.core.testing import make_user, make_work, work_input
from fanarchive.engagement.models import Notice, NoticeKind
from fanarchive.engagement.work_events import EngagementWorkEvents
from fanarchive.works import events
from fanarchive.works.creator_services import creator_invite
from fanarchive.works.services import work_update


def test_the_installed_app_listens_to_works():
    # Registered by `EngagementConfig.ready`: without it nobody would hear of new works.
    assert isinstance(events.listener(), EngagementWorkEvents)


@pytest.mark.django_db
def test_invitations_and_gifts_reach_the_inbox(user, other_user):
    work = make_work(user)
    creator_invite(user=user, work=work, pseud_name=other_user.username)
    gifted = make_user("harbour_friend")
    work_update(user=user, work=work, data=work_input(title=work.title, gifts=[gifted.username]))
    notices = list(Notice.objects.filter(work=work).order_by("id"))
    assert [(n.recipient_id, n.kind, n.url) for n in notices] == [
        (other_user.pk, NoticeKind.INVITATION, reverse("works:invitations")),
        (gifted.pk, NoticeKind.GIFT, work.get_absolute_url()),
    ]
    assert notices[0].subject == f"Co-creator invitation: {work.title}"
    assert notices[1].body == f"{work.title} was given to harbour_friend."
