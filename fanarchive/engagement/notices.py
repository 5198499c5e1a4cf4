"""The inbox seam (owned by engage-social)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fanarchive.accounts.models import User
    from fanarchive.works.models import Work


def notify(
    *,
    recipients: Iterable[User],
    kind: str,
    subject: str,
    body: str,
    url: str,
    work: Work | None = None,
    comment_id: int | None = None,
    actor: User | None = None,
) -> None:
    """placeholder: replaced by engage-social at merge"""
    return
