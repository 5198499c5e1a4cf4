"""`fanarchive search-catch-up`: rewrite the search documents waiting to be rewritten."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fanarchive.works.catalogue_services import search_documents_catch_up


class Command(BaseCommand):
    help = (
        "Rewrite the full-text search documents queued by a change to many works at once "
        "(a wrangling of a big tag). A background task does this after each such change; "
        "this catches any the queue missed. Safe to run at any time, from cron too."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        done = search_documents_catch_up()
        self.stdout.write(f"Rewrote {done} search document{'s' if done != 1 else ''}.")
