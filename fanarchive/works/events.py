"""What the works services announce to the apps above them: a port, not an upward import.

Posting a work or a chapter, or adding a work to a series, tells subscribers; a gift or
a co-creator invitation puts a notice in the recipient's inbox; orphaning a work renames
its creator in the notices already written about it. Subscriptions and the inbox belong
to the engagement app, which sits above works (docs/architecture.md, Layers), so works
may not import it. Works declares here what it announces (`WorkEvents`) and engagement
registers its listener once, when the app is ready (`engagement.apps`,
`engagement.work_events`).

These are not signals: each service calls the function below explicitly, at the place
and inside the transaction where the thing happens, so a service still shows every side
effect it has, and the listener's work (its queries, its `on_commit` callbacks) runs
exactly as a direct call would. With no listener (works on its own) the announcements do
nothing; in the project engagement is installed and registers one, which a test checks.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal, Protocol

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from fanarchive.accounts.models import User
from fanarchive.works.models import Chapter, Series, Work

# The kinds of inbox notice works writes (as named by `engagement.models.NoticeKind`).
NoticeKind = Literal["gift", "invitation"]


class WorkEvents(Protocol):
    """Everything the works services announce; each call comes inside their transaction."""

    def work_posted(self, *, work: Work, new_by: User | None) -> None:
        """`work` became visible. `new_by`: it was created and posted at once by this
        user, so it has no other creator and is in no series yet."""

    def chapter_posted(self, *, chapter: Chapter) -> None:
        """A chapter of a posted work became visible."""

    def series_work_added(self, *, series: Series, work: Work) -> None:
        """`work` (posted or not) was put into `series`."""

    def work_notice(
        self,
        *,
        recipient: User,
        kind: NoticeKind,
        subject: str | Promise,
        body: str | Promise,
        url: str,
        work: Work,
    ) -> None:
        """Tell `recipient` about `work` in their inbox (a gift, a co-creator invitation)."""

    def creators_renamed(self, *, work: Work, old_bylines: Mapping[str, str]) -> None:
        """`work`'s creators now go by other bylines (old byline to new): words stored
        about the work must no longer name the old ones."""


_listener: list[WorkEvents] = []


def listen(listener: WorkEvents | None) -> WorkEvents | None:
    """Make `listener` hear the announcements (None: nobody); the one heard before.

    The engagement app calls this once, when it is ready; tests may swap in a fake
    and put the previous listener back."""
    previous = _listener[0] if _listener else None
    _listener[:] = [] if listener is None else [listener]
    return previous


def listener() -> WorkEvents | None:
    """Who hears the announcements now (None: nobody)."""
    return _listener[0] if _listener else None


def work_posted(*, work: Work, new_by: User | None = None) -> None:
    for heard_by in _listener:
        heard_by.work_posted(work=work, new_by=new_by)


def chapter_posted(*, chapter: Chapter) -> None:
    for heard_by in _listener:
        heard_by.chapter_posted(chapter=chapter)


def series_work_added(*, series: Series, work: Work) -> None:
    for heard_by in _listener:
        heard_by.series_work_added(series=series, work=work)


def work_notice(
    *,
    recipient: User,
    kind: NoticeKind,
    subject: str | Promise,
    body: str | Promise,
    url: str,
    work: Work,
) -> None:
    for heard_by in _listener:
        heard_by.work_notice(
            recipient=recipient, kind=kind, subject=subject, body=body, url=url, work=work
        )


def creators_renamed(*, work: Work, old_bylines: Mapping[str, str]) -> None:
    for heard_by in _listener:
        heard_by.creators_renamed(work=work, old_bylines=old_bylines)


# -- collections --------------------------------------------------------------------------
#
# The posting form's "Post to collections" field: works carries the names and the
# collections app (above works) adds, keeps or removes the work's items. Its own port, so
# swapping the engagement listener in a test leaves it in place.


class WorkCollections(Protocol):
    def collections_chosen(self, *, user: User, work: Work, names: Sequence[str]) -> None:
        """`user`, a creator of `work`, wants it in exactly these collections (by name):
        add the new ones, remove the ones left out. Called inside the posting transaction,
        before gift and subscription notices; a ValidationError keyed "collections"
        refuses the post and rolls it back."""

    def collections_of(self, *, work: Work) -> list[str]:
        """The names of the collections `work` is in by its creators' choice (the form's
        initial value)."""


_collections: list[WorkCollections] = []


def listen_collections(listener: WorkCollections | None) -> WorkCollections | None:
    """Make `listener` hear the collection choices (None: nobody); the one heard before."""
    previous = _collections[0] if _collections else None
    _collections[:] = [] if listener is None else [listener]
    return previous


def collections_chosen(*, user: User, work: Work, names: Sequence[str]) -> None:
    if names and not _collections:
        raise ValidationError({"collections": [_("This archive has no collections.")]})
    for heard_by in _collections:
        heard_by.collections_chosen(user=user, work=work, names=names)


def collections_of(*, work: Work) -> list[str]:
    return _collections[0].collections_of(work=work) if _collections else []
