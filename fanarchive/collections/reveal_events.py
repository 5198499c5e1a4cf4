"""What a collection's reveals announce to the apps above collections: a port, not an
upward import (as `works.events` is for works).

A challenge run in a collection must hear of its reveals however they happen (the
moderators' buttons, the API, or its own schedule): a prompt meme's prompters hear of
their fills, and the challenge records that the reveal is done so its schedule does not
repeat it. The challenges app registers its listener when it is ready
(`challenges.apps`); each call comes inside the reveal's transaction.
"""

from __future__ import annotations

from typing import Protocol

from fanarchive.accounts.models import User
from fanarchive.collections.models import Collection


class CollectionReveals(Protocol):
    def works_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        """The collection's works were revealed; `work_ids` are those that became visible."""

    def authors_revealed(self, *, collection: Collection, work_ids: list[int], actor: User) -> None:
        """The creators of the collection's works were revealed."""


_listener: list[CollectionReveals] = []


def listen(listener: CollectionReveals | None) -> CollectionReveals | None:
    """Make `listener` hear the reveals (None: nobody); the one heard before."""
    previous = _listener[0] if _listener else None
    _listener[:] = [] if listener is None else [listener]
    return previous


def works_revealed(*, collection: Collection, work_ids: list[int], actor: User) -> None:
    for heard_by in _listener:
        heard_by.works_revealed(collection=collection, work_ids=work_ids, actor=actor)


def authors_revealed(*, collection: Collection, work_ids: list[int], actor: User) -> None:
    for heard_by in _listener:
        heard_by.authors_revealed(collection=collection, work_ids=work_ids, actor=actor)
