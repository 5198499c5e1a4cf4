"""Set up and check the database of the concurrency test (run in a subprocess).

    python -m fanarchive.engagement.tests.concurrency_helper setup N OUT.json
    python -m fanarchive.engagement.tests.concurrency_helper check WORK_ID

The database is whatever the environment names (DATABASE_URL or the data dir's SQLite),
the same one the server under test uses.
"""

from __future__ import annotations

import json
import os
import sys
from importlib import import_module


def setup(count: int, out: str) -> None:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from fanarchive.accounts.models import Preference, Pseud, User
    from fanarchive.core.testing import make_user, make_work

    author = make_user("crowd_author")
    work = make_work(author, title="The Crowded Quay")
    chapter = work.chapters.get()
    readers = User.objects.bulk_create(
        [
            User(username=f"crowd{i:03d}", email=f"crowd{i:03d}@example.org", password="!")
            for i in range(count)
        ]
    )
    Pseud.objects.bulk_create([Pseud(user=u, name=u.username, is_default=True) for u in readers])
    Preference.objects.bulk_create([Preference(user=u) for u in readers])
    store = import_module(settings.SESSION_ENGINE).SessionStore
    sessions = []
    for reader in readers:
        session = store()
        session[SESSION_KEY] = str(reader.pk)
        session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
        session[HASH_SESSION_KEY] = reader.get_session_auth_hash()
        session.create()
        sessions.append({"user_id": reader.pk, "session": session.session_key})
    with open(out, "w") as handle:
        json.dump(
            {
                "work_id": work.pk,
                "chapter_id": chapter.pk,
                "session_cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "readers": sessions,
            },
            handle,
        )


def check(work_id: int) -> None:
    from fanarchive.engagement.models import Comment, Kudos

    kudos = list(Kudos.objects.filter(work_id=work_id).values_list("user_id", flat=True))
    comments = list(Comment.objects.filter(work_id=work_id).values_list("user_id", "text"))
    print(json.dumps({"kudos": kudos, "comments": comments}))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    if sys.argv[1] == "setup":
        setup(int(sys.argv[2]), sys.argv[3])
    else:
        check(int(sys.argv[2]))


if __name__ == "__main__":
    main()
