"""What the accounts services announce to the apps above them: a port, not an upward import.

Bylines are pseud and user names, and the works app keeps words made of them: the search
documents and the catalogue's sort by creator (`works.catalogue_services`). When a pseud
is renamed (`profile_services.pseud_update`) or an account changes its user name
(`change_services.username_change`), the works of those pseuds must be catalogued again.
Works sits above accounts (docs/architecture.md, Layers), so accounts may not import it:
accounts declares here what it announces and works registers its listener once, when the
app is ready (`works.apps`, `works.account_events`). As with `works.events`, these are
explicit calls inside the service's transaction, not signals; with no listener they do
nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol


class AccountEvents(Protocol):
    """Everything the accounts services announce; each call comes inside their transaction."""

    def bylines_changed(self, *, pseud_ids: Collection[int]) -> None:
        """The bylines of these pseuds changed (a pseud or its account was renamed)."""


_listener: list[AccountEvents] = []


def listen(listener: AccountEvents | None) -> AccountEvents | None:
    """Make `listener` hear the announcements (None: nobody); the one heard before."""
    previous = _listener[0] if _listener else None
    _listener[:] = [] if listener is None else [listener]
    return previous


def listener() -> AccountEvents | None:
    """Who hears the announcements now (None: nobody)."""
    return _listener[0] if _listener else None


def bylines_changed(*, pseud_ids: Collection[int]) -> None:
    for heard_by in _listener:
        heard_by.bylines_changed(pseud_ids=pseud_ids)
