"""A demo archive, so a newcomer sees a living site on first start.

Everything is invented and safe for work: fandoms, characters, writers and prose
come from the vocabulary in `data/`. Ratings and warnings are only labels here;
every work's text is the same gentle kind of story.

Accounts are made with `user_create` and `pseud_create`, and works are posted with
`work_create`, the services behind the registration and posting forms, so the demo
obeys every rule a writer meets. A posted work's dates are spread over the archive's
past with `WorkHistory`, as the eFiction migration keeps its stories' dates. Output
is deterministic for a seed: each concern (accounts, fandoms, works) draws from its
own random stream, so a user name that is already taken changes the accounts but
never the works.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone
from tqdm import tqdm

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.profile_services import pseud_create
from fanarchive.accounts.services import pseud_name_errors, user_create, username_errors
from fanarchive.demo.cast import invent_fandoms
from fanarchive.demo.planner import (
    PlannedWork,
    WorkPlanner,
    author_weights,
    candidate_usernames,
    default_user_count,
    extra_pseud_count,
    fandom_count,
    pseud_name,
)
from fanarchive.works.history_services import WorkHistory
from fanarchive.works.services import work_create

DEMO_USERNAME = "demo"
# Printed for newcomers on purpose: the demo login is public.
DEMO_PASSWORD = "demo-password"  # noqa: S105
DEFAULT_SEED = 1


# -- accounts -----------------------------------------------------------------


@dataclass
class _Accounts:
    writers: list[User]
    pseuds: list[list[Pseud]]  # each writer's pseuds, the default first
    created: int
    demo_created: bool


def _create_accounts(rng: random.Random, count: int) -> _Accounts:
    writers: list[User] = []
    created = 0
    demo = User.objects.filter(username__iexact=DEMO_USERNAME).first()
    demo_created = demo is None
    if demo is None:
        demo = user_create(
            username=DEMO_USERNAME,
            email=f"{DEMO_USERNAME}@example.org",
            password=DEMO_PASSWORD,
            check_password_strength=False,
        )
        created += 1
    writers.append(demo)
    candidates = candidate_usernames(rng)
    while len(writers) < count:
        username = next(candidates)
        if username_errors(username):
            continue  # taken (an earlier demo run), or otherwise unusable
        writers.append(
            user_create(
                username=username,
                email=f"{username}@example.org",
                # Only `demo` logs in; the others reset a password first, like
                # any account made on someone's behalf (and hashing is slow).
                password=None,
                check_password_strength=False,
            )
        )
        created += 1
    pseuds: list[list[Pseud]] = []
    for writer in writers:
        own = [writer.default_pseud]
        for _ in range(extra_pseud_count(rng, demo=writer is demo)):
            name = pseud_name(rng)
            if pseud_name_errors(name, user=writer):
                continue
            own.append(pseud_create(user=writer, owner=writer, name=name))
        pseuds.append(own)
    return _Accounts(writers, pseuds, created, demo_created)


# -- writing ------------------------------------------------------------------


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@dataclass(frozen=True)
class DemoSummary:
    users_created: int
    pseuds: int
    fandoms: int
    works_posted: int
    drafts: int
    chapters: int
    words: int
    seconds: float
    demo_username: str
    # None when the demo account existed already: its password may have changed.
    demo_password: str | None

    def describe(self) -> str:
        return (
            f"Created {_count(self.users_created, 'user')}, "
            f"{_count(self.works_posted, 'posted work')} and {_count(self.drafts, 'draft')} "
            f"({_count(self.chapters, 'chapter')}, {_count(self.words, 'word')}) "
            f"in {_count(self.fandoms, 'fandom')} in {self.seconds:.1f} s."
        )

    def login(self) -> str:
        if self.demo_password is None:
            return f"Log in as {self.demo_username} (the account existed already)."
        return f"Log in as {self.demo_username} with password {self.demo_password}"


def history_of(planned: PlannedWork, now: datetime) -> WorkHistory | None:
    """A posted work's dates in the archive's past: the services stamp a work "now", and
    an archive posted all in one second has no history to sort or filter by date. The
    migration-only `work_create(history=...)` keeps them, as for an eFiction story."""
    if not planned.post:
        return None
    return WorkHistory(
        first_posted_at=now - planned.posted_ago, revised_at=now - planned.updated_ago
    )


def generate_demo_archive(
    *,
    works: int,
    seed: int = DEFAULT_SEED,
    users: int | None = None,
    progress: bool = False,
) -> DemoSummary:
    """Write a demo archive of `works` works by `users` accounts (the `demo` account included)."""
    if works < 1:
        raise ValueError("The demo needs at least one work.")
    if users is not None and users < 1:
        raise ValueError("The demo needs at least one user.")
    started = time.monotonic()
    accounts = _create_accounts(random.Random(f"{seed}:users"), users or default_user_count(works))
    fandoms = invent_fandoms(random.Random(f"{seed}:fandoms"), fandom_count(works))
    planner = WorkPlanner(
        random.Random(f"{seed}:works"),
        fandoms,
        author_weights(len(accounts.writers)),
        [len(own) - 1 for own in accounts.pseuds],
    )
    posted = drafts = chapters = words = 0
    fandoms_used: set[str] = set()
    bar = tqdm(
        total=works,
        desc="Demo works",
        unit="work",
        file=sys.stderr,
        # None lets tqdm switch itself off when stderr is not a terminal.
        disable=None if progress else True,
    )
    with bar:
        for planned in planner.plan(works):
            planned.data.pseud_ids = [accounts.pseuds[planned.author][planned.pseud].pk]
            work = work_create(
                user=accounts.writers[planned.author],
                data=planned.data,
                chapters=planned.chapters,
                post=planned.post,
                history=history_of(planned, timezone.now()),
            )
            posted += planned.post
            drafts += not planned.post
            chapters += len(planned.chapters)
            words += work.word_count
            fandoms_used.update(planned.data.fandoms)
            bar.update()
    return DemoSummary(
        users_created=accounts.created,
        pseuds=sum(len(own) for own in accounts.pseuds),
        fandoms=len(fandoms_used),
        works_posted=posted,
        drafts=drafts,
        chapters=chapters,
        words=words,
        seconds=time.monotonic() - started,
        demo_username=DEMO_USERNAME,
        demo_password=DEMO_PASSWORD if accounts.demo_created else None,
    )
