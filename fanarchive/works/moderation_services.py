"""What the archive's administrators do to works: hiding and showing them again.

Every change reaches the catalogue's change log in the same transaction, so listings,
counts, search, feeds and the API follow at once (the admin pages call these too).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from fanarchive.accounts.models import User
from fanarchive.tags.selectors import is_admin
from fanarchive.works.catalogue_services import catalogue_work_changed
from fanarchive.works.models import Work


def work_set_hidden(*, user: User, work: Work, hidden: bool) -> Work:
    """Hide `work` from everyone but its creators (or show it again): admins only."""
    if not is_admin(user):
        raise PermissionDenied("Only administrators can hide or show works.")
    if work.hidden_by_admin == hidden:
        return work
    with transaction.atomic():
        work.hidden_by_admin = hidden
        work.save(update_fields=["hidden_by_admin", "updated_at"])
        catalogue_work_changed(work_id=work.pk)
    return work
