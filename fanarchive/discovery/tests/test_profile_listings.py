"""The listings of a user's and a pseud's works read straight from the database
(`discovery.selectors`), and the pseuds' work counts (`works.selectors.pseuds_for`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.models import User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.core.testing import make_work, work_input
from fanarchive.discovery.selectors import works_by_pseud_for
from fanarchive.works.selectors import pseuds_for
from fanarchive.works.services import ChapterInput, work_create

pytestmark = pytest.mark.django_db


def work_count(pseud: Any) -> int:
    """The count `pseuds_for` annotates (the model does not declare it)."""
    return int(pseud.work_count)


def test_pseud_selectors_respect_visibility(user: User) -> None:
    owl = pseud_create(user=user, owner=user, name="Night Owl")
    make_work(user, title="Public")
    make_work(user, title="Restricted", restricted=True)
    make_work(user, title="Draft", post=False)
    owl_work = work_create(
        user=user,
        data=work_input(title="Owl work", pseud_ids=[owl.pk]),
        chapters=[ChapterInput(text="The owl watched the harbour all night.", text_format="plain")],
        post=True,
    )
    guest = AnonymousUser()
    counts = {p.name: work_count(p) for p in pseuds_for(guest, user)}
    assert counts == {"writer": 1, "Night Owl": 1}
    counts = {p.name: work_count(p) for p in pseuds_for(user, user)}
    assert counts == {"writer": 2, "Night Owl": 1}
    assert list(works_by_pseud_for(guest, owl)) == [owl_work]
    titles = {w.title for w in works_by_pseud_for(user, user.default_pseud)}
    assert titles == {"Public", "Restricted"}
